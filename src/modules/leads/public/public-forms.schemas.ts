import Type, { type Static } from 'typebox'
import { FORM_FIELD_TYPES } from '../forms/forms.schemas.js'
import { nullable } from '../schema-parts.js'

export const PublicFormParams = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'Form id, or `default`: the organization’s default form (its oldest form in this mode)',
    examples: ['form_01jd3k8m2x7q9v4b6n5t0w1y2z'],
  }),
})
export type PublicFormParams = Static<typeof PublicFormParams>

export const PublicKeyQuery = Type.Object(
  {
    key: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'The publishable key, when it cannot be sent in `X-API-Key` (e.g. a script tag)',
        examples: ['pk_live_4f9Qz1xV8wLm2Kp7sR3tY6uB0nC5dE9aH1jG'],
      }),
    ),
  },
  { additionalProperties: false },
)

const PublicField = Type.Object(
  {
    key: Type.String({ description: 'The name to submit the value under, in `data`', examples: ['email'] }),
    label: Type.String({
      description: 'What to show; for a consent field, the full consent text',
      examples: ['Your email'],
    }),
    type: Type.Enum(FORM_FIELD_TYPES, { description: 'How to render and what to send', examples: ['email'] }),
    required: Type.Boolean({ description: 'Whether it must be filled (a required consent must be checked)' }),
    options: nullable(
      Type.Array(Type.String({ description: 'A choice' }), { examples: [['Sales', 'Support']] }),
      'The choices of a select field; null for the other types',
    ),
  },
  { description: 'One field to render' },
)

export const PublicForm = Type.Object(
  {
    id: Type.String({ description: 'Form id', examples: ['form_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('public_form', { description: 'Always `public_form`' }),
    name: Type.String({ description: 'Form name', examples: ['Contact us'] }),
    fields: Type.Array(PublicField, { description: 'The fields, in display order' }),
    success_message: nullable(
      Type.String({ examples: ['Thanks, we will be in touch shortly.'] }),
      'What to show after a submission; null for the widget’s own',
    ),
    redirect_url: nullable(
      Type.String({ examples: ['https://example.com/thanks'] }),
      'Where to send the visitor after a submission; null to stay',
    ),
    submit_url: Type.String({
      description: 'Where to POST the submission',
      examples: ['https://crm.example.com/api/v1/forms/form_01jd3k8m2x7q9v4b6n5t0w1y2z/submissions'],
    }),
    token: Type.String({
      description:
        'Send it back with the submission. Signed; valid for 24 h (then fetch the definition again), and a submission sooner than a few seconds after it was issued is taken for a bot',
      examples: ['form_01jd3k8m2x7q9v4b6n5t0w1y2z.key_01jd3k8m2x7q9v4b6n5t0w1y2z.1736933400000.Zm9v'],
    }),
    token_expires_at: Type.String({
      format: 'date-time',
      description: 'When the token stops being accepted',
      examples: ['2025-01-16T09:30:00.000Z'],
    }),
    min_fill_ms: Type.Integer({
      description:
        'A submission sent sooner than this after the token was issued is taken for a bot (answered 201, not stored): wait at least this long before submitting',
      examples: [3000],
    }),
    honeypot: Type.String({
      description:
        'The name of a text input to render hidden from people (off-screen, not `display:none`, `tabindex=-1`, `autocomplete=off`) and submit in `data`, empty',
      examples: ['website'],
    }),
  },
  {
    description: 'What a browser widget needs to render a form: no private data',
    examples: [
      {
        id: 'form_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'public_form',
        name: 'Contact us',
        fields: [
          { key: 'name', label: 'Your name', type: 'text', required: false, options: null },
          { key: 'email', label: 'Your email', type: 'email', required: true, options: null },
        ],
        success_message: 'Thanks, we will be in touch shortly.',
        redirect_url: null,
        submit_url: 'https://crm.example.com/api/v1/forms/form_01jd3k8m2x7q9v4b6n5t0w1y2z/submissions',
        token: 'form_01jd3k8m2x7q9v4b6n5t0w1y2z.key_01jd3k8m2x7q9v4b6n5t0w1y2z.1736933400000.Zm9v',
        token_expires_at: '2025-01-16T09:30:00.000Z',
        min_fill_ms: 3000,
        honeypot: 'website',
      },
    ],
  },
)
export type PublicForm = Static<typeof PublicForm>

export const SUBMISSION_BODY_LIMIT_BYTES = 64 * 1024

export const SubmissionCreate = Type.Object(
  {
    data: Type.Record(
      Type.String({ maxLength: 64 }),
      Type.Union([Type.String({ maxLength: 10_000 }), Type.Boolean(), Type.Null()]),
      {
        maxProperties: 101,
        description:
          'The values by field key: strings (select: one of its options), booleans for checkbox and consent fields; plus the honeypot, empty. A key the form does not have is a 422',
        examples: [{ name: 'John Doe', email: 'john@example.com', website: '' }],
      },
    ),
    token: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'The `token` of the form’s public definition',
      examples: ['form_01jd3k8m2x7q9v4b6n5t0w1y2z.key_01jd3k8m2x7q9v4b6n5t0w1y2z.1736933400000.Zm9v'],
    }),
    source_url: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'The page the form was submitted on (http or https)',
        examples: ['https://www.example.com/contact'],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A submission from a browser',
    examples: [
      {
        data: { name: 'John Doe', email: 'john@example.com', website: '' },
        token: 'form_01jd3k8m2x7q9v4b6n5t0w1y2z.key_01jd3k8m2x7q9v4b6n5t0w1y2z.1736933400000.Zm9v',
        source_url: 'https://www.example.com/contact',
      },
    ],
  },
)
export type SubmissionCreate = Static<typeof SubmissionCreate>

export const SubmissionAccepted = Type.Object(
  {
    id: Type.String({ description: 'Form response id', examples: ['fr_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    status: Type.Literal('created', { description: 'Always `created`' }),
    success_message: nullable(Type.String({ examples: ['Thanks!'] }), 'What to show; null for the widget’s own'),
    redirect_url: nullable(Type.String({ examples: ['https://example.com/thanks'] }), 'Where to go next; null to stay'),
  },
  { description: 'The submission was received' },
)
export type SubmissionAccepted = Static<typeof SubmissionAccepted>
