import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'

export const CONTACT_STATUSES = ['lead', 'prospect', 'customer', 'churned'] as const
export const CONTACT_SOURCES = ['manual', 'api', 'form', 'import', 'booking', 'lead_capture'] as const
export const CUSTOM_FIELDS_MAX_BYTES = 16 * 1024

export const Status = Type.Enum(CONTACT_STATUSES, { description: 'Lifecycle stage', examples: ['lead'] })
export const Source = Type.Enum(CONTACT_SOURCES, { description: 'How the contact entered Rapport', examples: ['api'] })
const Name = Type.String({ minLength: 1, maxLength: 200, description: 'Full name', examples: ['Jane Doe'] })
const Email = Type.String({
  format: 'email',
  maxLength: 254,
  description: 'Primary email; unique per organization and mode, compared case-insensitively',
  examples: ['jane@example.com'],
})
const Phone = Type.String({
  minLength: 3,
  maxLength: 40,
  pattern: '^\\+?[0-9 ().\\-]+( ?(x|ext\\.?) ?[0-9]+)?$',
  description: 'Phone number, ideally E.164',
  examples: ['+1-555-0100'],
})
const Company = Type.String({ minLength: 1, maxLength: 200, description: 'Company name', examples: ['Acme Inc.'] })
const Tags = Type.Array(
  Type.String({
    minLength: 1,
    maxLength: 50,
    pattern: '\\S',
    description: 'A tag name; matched case-insensitively',
    examples: ['enterprise'],
  }),
  {
    maxItems: 50,
    description: 'Tag names; a tag is created in the organization on first use',
    examples: [['lead', 'enterprise']],
  },
)
export const ExternalId = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '\\S',
  description: 'Your own id for the contact (from another system); unique per organization and mode',
  examples: ['crm-4711'],
})
const CustomFields = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
  description: 'Your own fields, as a JSON object of at most 16 KB',
  examples: [{ plan_interest: 'teams', seats: 12 }],
})

export const Contact = Type.Object(
  {
    id: Type.String({ description: 'Contact id', examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('contact', { description: 'Always `contact`' }),
    name: Type.Union([Name, Type.Null()], { description: 'Full name; null if unknown', examples: ['Jane Doe'] }),
    email: Type.Union([Email, Type.Null()], {
      description: 'Primary email, unique per organization and mode; null if unknown',
      examples: ['jane@example.com'],
    }),
    phone: Type.Union([Phone, Type.Null()], {
      description: 'Phone number; null if unknown',
      examples: ['+1-555-0100'],
    }),
    company: Type.Union([Company, Type.Null()], {
      description: 'Company name; null if unknown',
      examples: ['Acme Inc.'],
    }),
    status: Status,
    source: Source,
    external_id: Type.Union([ExternalId, Type.Null()], {
      description: 'Your own id for the contact, unique per organization and mode; null if not set',
      examples: ['crm-4711'],
    }),
    tags: Tags,
    custom_fields: CustomFields,
    created_at: Type.String({
      format: 'date-time',
      description: 'When the contact was created',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
    updated_at: Type.String({
      format: 'date-time',
      description: 'When the contact last changed',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
  },
  {
    description: 'A person the organization has a relationship with',
    examples: [
      {
        id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'contact',
        name: 'Jane Doe',
        email: 'jane@example.com',
        phone: '+1-555-0100',
        company: 'Acme Inc.',
        status: 'lead',
        source: 'api',
        external_id: 'crm-4711',
        tags: ['lead', 'enterprise'],
        custom_fields: { plan_interest: 'teams', seats: 12 },
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Contact = Static<typeof Contact>

export const ContactCreate = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    company: Type.Optional(Company),
    status: Type.Optional(Status),
    source: Type.Optional(Source),
    external_id: Type.Optional(ExternalId),
    tags: Type.Optional(Tags),
    custom_fields: Type.Optional(CustomFields),
  },
  {
    additionalProperties: false,
    description: 'A new contact: at least one of name, email or phone',
    examples: [{ name: 'Jane Doe', email: 'jane@example.com', phone: '+1-555-0100', tags: ['lead', 'enterprise'] }],
  },
)
export type ContactCreate = Static<typeof ContactCreate>

export const ContactUpdate = Type.Object(
  {
    name: Type.Optional(
      Type.Union([Name, Type.Null()], { description: 'Full name; null clears it', examples: ['Jane Roe'] }),
    ),
    email: Type.Optional(
      Type.Union([Email, Type.Null()], {
        description: 'Primary email, unique per organization and mode; null clears it',
        examples: ['jane.roe@example.com'],
      }),
    ),
    phone: Type.Optional(
      Type.Union([Phone, Type.Null()], { description: 'Phone number; null clears it', examples: ['+1-555-0199'] }),
    ),
    company: Type.Optional(
      Type.Union([Company, Type.Null()], { description: 'Company name; null clears it', examples: ['Globex'] }),
    ),
    status: Type.Optional(Status),
    source: Type.Optional(Source),
    external_id: Type.Optional(
      Type.Union([ExternalId, Type.Null()], {
        description: 'Your own id for the contact, unique per organization and mode; null clears it',
        examples: ['crm-4712'],
      }),
    ),
    tags: Type.Optional(Tags),
    custom_fields: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
        description: 'Merged into the existing custom fields; a key set to null is removed',
        examples: [{ seats: 20, plan_interest: null }],
      }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change; null clears an optional field',
    examples: [{ status: 'customer', tags: ['enterprise'] }],
  },
)
export type ContactUpdate = Static<typeof ContactUpdate>

export const CONTACT_SORTS = ['created_at', '-created_at', 'updated_at', '-updated_at', 'name', '-name'] as const

export const ContactListQuery = Type.Object(
  {
    ...PageQuery,
    email: Type.Optional(
      Type.String({ maxLength: 254, description: 'Exact email, case-insensitive', examples: ['jane@example.com'] }),
    ),
    tag: Type.Optional(
      Type.String({
        maxLength: 50,
        description: 'Contacts carrying this tag (case-insensitive)',
        examples: ['enterprise'],
      }),
    ),
    status: Type.Optional(Status),
    source: Type.Optional(Source),
    external_id: Type.Optional(
      Type.String({ maxLength: 255, description: 'Exact external id', examples: ['crm-4711'] }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Case-insensitive substring search in name, email, phone and company',
        examples: ['acme'],
      }),
    ),
    created_after: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Created at or after this instant',
        examples: ['2025-01-01T00:00:00Z'],
      }),
    ),
    created_before: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Created before this instant',
        examples: ['2025-02-01T00:00:00Z'],
      }),
    ),
    sort: Type.Optional(
      Type.Enum([...CONTACT_SORTS], {
        default: '-created_at',
        description:
          'Sort field; a leading `-` sorts descending. Names sort case-insensitively, contacts without a name last',
        examples: ['name'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type ContactListQuery = Static<typeof ContactListQuery>

export const ContactList = ListOf(Contact)
/** Tags and custom fields, exported for the bulk routes (import, batch, search) of this module. */
export { CustomFields, Email, Phone, Tags }
export const ContactIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Contact id', examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
