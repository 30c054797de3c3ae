import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../../core/pagination.js'
import { Email, Phone } from '../../contacts/contacts.schemas.js'
import { CreatedRange, DateTime, IdParams, nullable } from '../schema-parts.js'

const FormData = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'The person’s name', examples: ['John Doe'] }),
    ),
    email: { ...Email, description: 'The person’s email: the lead becomes (or matches) the contact with it' },
    phone: Type.Optional({ ...Phone, description: 'Phone number; required when a callback is requested' }),
    company: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Company name', examples: ['Acme Inc.'] }),
    ),
    message: Type.Optional(
      Type.String({ maxLength: 10_000, description: 'Free text from the person', examples: ['I need a quote'] }),
    ),
    callback_requested: Type.Optional(
      Type.Boolean({ description: 'true asks to be called back (the form must offer callbacks)', examples: [true] }),
    ),
    preferred_time: Type.Optional(
      DateTime('When the person would like the callback; absent for as soon as possible', '2025-01-16T14:00:00Z'),
    ),
  },
  {
    additionalProperties: true,
    maxProperties: 100,
    description:
      'The submitted fields. Any other field is kept with the response (and checked against the form’s fields when `form_id` is given)',
  },
)

export const FormResponseCreate = Type.Object(
  {
    form_response: Type.Object(
      {
        form_data: FormData,
        form_id: Type.Optional(
          Type.String({
            maxLength: 64,
            description: 'The form submitted; `form_data` is then validated against its fields',
            examples: ['form_01jd3k8m2x7q9v4b6n5t0w1y2z'],
          }),
        ),
        domain_id: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 2000,
            description:
              'The website it came from: a domain of the organization, by its id (`dom_…`) or its hostname (`www.example.com`, or a URL of the site). Answered as the domain’s id',
            examples: ['dom_01jd3k8m2x7q9v4b6n5t0w1y2z', 'www.example.com'],
          }),
        ),
        form_type: Type.Optional(
          Type.String({ minLength: 1, maxLength: 100, description: 'What kind of form', examples: ['contact'] }),
        ),
        source_url: Type.Optional(
          Type.String({
            maxLength: 2000,
            description: 'The page it was submitted on',
            examples: ['https://example.com/contact'],
          }),
        ),
        user_agent: Type.Optional(
          Type.String({ maxLength: 1000, description: 'The visitor’s browser', examples: ['Mozilla/5.0'] }),
        ),
        ip_address: Type.Optional(
          Type.String({
            maxLength: 45,
            pattern: '^[0-9A-Fa-f:.]+$',
            description: 'The visitor’s IP address (IPv4 or IPv6)',
            examples: ['192.168.1.1'],
          }),
        ),
      },
      { additionalProperties: false, description: 'The submission' },
    ),
  },
  {
    additionalProperties: false,
    description: 'A form submission to store as a lead',
    examples: [
      {
        form_response: {
          domain_id: 'dom_01jd3k8m2x7q9v4b6n5t0w1y2z',
          form_data: {
            name: 'John Doe',
            email: 'john@example.com',
            phone: '+1234567890',
            message: 'I’m interested in your services',
          },
          form_type: 'contact',
          source_url: 'https://example.com/contact',
          user_agent: 'Mozilla/5.0',
          ip_address: '192.168.1.1',
        },
      },
    ],
  },
)
export type FormResponseCreate = Static<typeof FormResponseCreate>

export const FormResponseCreated = Type.Object(
  {
    id: Type.String({ description: 'Form response id', examples: ['fr_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    status: Type.Literal('created', { description: 'Always `created`' }),
    lead_id: Type.String({
      description: 'The contact the lead became or matched',
      examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'],
    }),
    callback_scheduled: Type.Boolean({ description: 'Whether a callback was scheduled' }),
    created_at: DateTime('When it was stored'),
  },
  { description: 'The stored submission' },
)
export type FormResponseCreated = Static<typeof FormResponseCreated>

const NullableId = (description: string, example: string) =>
  nullable(Type.String({ description, examples: [example] }), description)

export const FormResponse = Type.Object(
  {
    id: Type.String({ description: 'Form response id', examples: ['fr_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('form_response', { description: 'Always `form_response`' }),
    form_id: NullableId(
      'The form submitted; null if none was named or it was deleted',
      'form_01jd3k8m2x7q9v4b6n5t0w1y2z',
    ),
    domain_id: NullableId('The website it came from; null if none', 'dom_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    lead_id: NullableId('The contact the lead became; null once deleted', 'c_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    callback_id: NullableId('The callback it scheduled; null if none', 'cb_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    form_type: nullable(Type.String({ description: 'Form kind', examples: ['contact'] }), 'What kind of form'),
    form_data: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The submitted fields, as sent',
      examples: [{ name: 'John Doe', email: 'john@example.com' }],
    }),
    source_url: nullable(Type.String({ description: 'Page URL' }), 'The page it was submitted on'),
    user_agent: nullable(Type.String({ description: 'Browser' }), 'The visitor’s browser'),
    ip_address: nullable(Type.String({ description: 'IP address' }), 'The visitor’s IP address'),
    created_at: DateTime('When it was stored'),
  },
  {
    description: 'A stored form submission',
    examples: [
      {
        id: 'fr_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'form_response',
        form_id: null,
        domain_id: 'dom_01jd3k8m2x7q9v4b6n5t0w1y2z',
        lead_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
        callback_id: null,
        form_type: 'contact',
        form_data: { name: 'John Doe', email: 'john@example.com' },
        source_url: 'https://example.com/contact',
        user_agent: 'Mozilla/5.0',
        ip_address: '192.168.1.1',
        created_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type FormResponse = Static<typeof FormResponse>

export const FormResponseListQuery = Type.Object(
  {
    ...PageQuery,
    form_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only responses to this form' })),
    domain_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only responses from this website' })),
    lead_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only responses of this contact' })),
    ...CreatedRange,
  },
  { additionalProperties: false },
)
export type FormResponseListQuery = Static<typeof FormResponseListQuery>

export const FormResponseList = ListOf(FormResponse)
export const FormResponseIdParams = IdParams('Form response', 'fr_01jd3k8m2x7q9v4b6n5t0w1y2z')
