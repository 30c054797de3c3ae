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
export const USER_ID_EXAMPLE = 'user_01jd3k8m2x7q9v4b6n5t0w1y2z'
const OwnerId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'A user of the organization (`GET /api/v1/users`)',
  examples: [USER_ID_EXAMPLE],
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
    owner_id: Type.Union([OwnerId, Type.Null()], {
      description: 'The user of the organization who owns the contact; null when nobody does',
      examples: [USER_ID_EXAMPLE],
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
        owner_id: USER_ID_EXAMPLE,
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
    owner_id: Type.Optional(
      Type.Union([OwnerId, Type.Null()], {
        description:
          'The user who owns the contact: a user of the organization (else 422 naming `owner_id`); null or absent for nobody',
        examples: [USER_ID_EXAMPLE],
      }),
    ),
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
    owner_id: Type.Optional(
      Type.Union([OwnerId, Type.Null()], {
        description: 'The user who owns the contact, of the organization (else 422 naming `owner_id`); null clears it',
        examples: [USER_ID_EXAMPLE],
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

/** The sortable fields of the contacts list; each has an index per direction (migrations 0016 and 0033). */
export const CONTACT_SORT_FIELDS = [
  'created_at',
  'updated_at',
  'name',
  'email',
  'company',
  'status',
  'source',
  'owner_id',
] as const
export type ContactSortField = (typeof CONTACT_SORT_FIELDS)[number]
export const CONTACT_SORTS: readonly (ContactSortField | `-${ContactSortField}`)[] = CONTACT_SORT_FIELDS.flatMap(
  (f) => [f, `-${f}` as const],
)
const SORT_DESCRIPTION =
  'Sort field; a leading `-` sorts descending. Fields: created_at, updated_at, name, email, company, status, source, owner_id. Text sorts (name, email, company) ignore case; status and source sort by their value’s spelling; owner_id groups each owner’s contacts (owners in the order they were added). Contacts without the value come last in both directions; ties are ordered by id. Phone, external_id, tags and custom fields are not sortable (no index could keep those sorts cheap at scale)'

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
    owner_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'Contacts owned by this user; `me` for the signed-in user (or, with an API key, the user who created it)',
        examples: [USER_ID_EXAMPLE, 'me'],
      }),
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
        description: SORT_DESCRIPTION,
        examples: ['name', '-owner_id'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type ContactListQuery = Static<typeof ContactListQuery>

export const ContactList = ListOf(Contact)

/** Contacts one bulk assignment may name. */
export const BULK_ASSIGN_MAX_IDS = 500

export const BulkAssignBody = Type.Object(
  {
    ids: Type.Array(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'A contact id',
        examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'],
      }),
      {
        minItems: 1,
        maxItems: BULK_ASSIGN_MAX_IDS,
        uniqueItems: true,
        description: `The contacts to assign, at most ${BULK_ASSIGN_MAX_IDS}, each once`,
        examples: [['c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'c_01jd3k8m2x7q9v4b6n5t0w1y30']],
      },
    ),
    owner_id: Type.Union([OwnerId, Type.Null()], {
      description: 'The new owner, a user of the organization (else 422 naming `owner_id`), or null to unassign',
      examples: [USER_ID_EXAMPLE],
    }),
  },
  {
    additionalProperties: false,
    examples: [{ ids: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'], owner_id: USER_ID_EXAMPLE }],
  },
)
export type BulkAssignBody = Static<typeof BulkAssignBody>

export const BulkAssignResult = Type.Object(
  {
    object: Type.Literal('bulk_assignment', { description: 'Always `bulk_assignment`' }),
    owner_id: Type.Union([Type.String(), Type.Null()], {
      description: 'The owner the contacts now have',
      examples: [USER_ID_EXAMPLE],
    }),
    updated: Type.Array(Type.String(), {
      description: 'Contacts whose owner changed (each emitted `contact.updated`), in request order',
      examples: [['c_01jd3k8m2x7q9v4b6n5t0w1y2z']],
    }),
    unchanged: Type.Array(Type.String(), {
      description: 'Contacts that already had this owner (no event)',
      examples: [[]],
    }),
    not_found: Type.Array(Type.String(), {
      description: 'Ids that name no contact of this organization and mode (left alone)',
      examples: [[]],
    }),
  },
  { description: 'What a bulk assignment did' },
)
export type BulkAssignResult = Static<typeof BulkAssignResult>
/** Tags and custom fields, exported for the bulk routes (import, batch, search) of this module. */
export { CustomFields, Email, Phone, Tags }
export const ContactIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Contact id', examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
