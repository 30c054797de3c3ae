import Type, { type Static } from 'typebox'
import { ListOf } from '../../../core/pagination.js'
import { CreatedRange, DateTime, IdParams, nullable } from '../schema-parts.js'

export const FORM_FIELD_TYPES = ['text', 'email', 'phone', 'textarea', 'select', 'checkbox', 'consent'] as const
/** The forms list accepts pages of up to this many forms (other lists stop at 100). */
export const FORMS_MAX_LIMIT = 1000

const FormField = Type.Object(
  {
    key: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      description: 'The field’s name in `form_data`; unique within the form',
      examples: ['email'],
    }),
    label: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'What the visitor sees; for a `consent` field, the full consent text they agree to',
      examples: ['Your email'],
    }),
    type: Type.Enum(FORM_FIELD_TYPES, {
      description:
        'text, textarea, email, phone and select take a string (select: one of `options`); checkbox and consent take a boolean (a required consent must be true)',
      examples: ['email'],
    }),
    required: Type.Optional(
      Type.Boolean({ default: false, description: 'Whether a response must fill it', examples: [true] }),
    ),
    options: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200, description: 'One choice', examples: ['Sales'] }), {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        description: 'The choices of a `select` field (required for it, refused for the other types)',
        examples: [['Sales', 'Support']],
      }),
    ),
  },
  { additionalProperties: false, description: 'One field of a form' },
)

const Fields = Type.Array(FormField, {
  maxItems: 100,
  description: 'The fields, in display order',
  examples: [
    [
      { key: 'name', label: 'Your name', type: 'text', required: true },
      { key: 'email', label: 'Your email', type: 'email', required: true },
    ],
  ],
})
const Name = Type.String({ minLength: 1, maxLength: 200, description: 'Form name', examples: ['Contact us'] })
const SuccessMessage = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'Shown after a submission',
  examples: ['Thanks, we will be in touch shortly.'],
})
const RedirectUrl = Type.String({
  format: 'uri',
  pattern: '^https?://',
  maxLength: 2000,
  description: 'Where the visitor goes after a submission (wins over the success message)',
  examples: ['https://example.com/thanks'],
})
const TeamIds = Type.Array(
  Type.String({ maxLength: 64, description: 'A team id', examples: ['team_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
  {
    maxItems: 50,
    uniqueItems: true,
    description: 'Teams that handle the form’s leads and callbacks (the first one gets callback tasks)',
    examples: [['team_01jd3k8m2x7q9v4b6n5t0w1y2z']],
  },
)
const CallbackEnabled = Type.Boolean({
  description:
    'Whether the form offers "call me back": a response with `form_data.callback_requested: true` then schedules a callback',
  examples: [true],
})

export const Form = Type.Object(
  {
    id: Type.String({ description: 'Form id', examples: ['form_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('form', { description: 'Always `form`' }),
    name: Name,
    fields: Type.Array(
      Type.Object(
        {
          key: Type.String({ description: 'The field’s name in `form_data`', examples: ['email'] }),
          label: Type.String({ description: 'What the visitor sees (consent: the consent text)' }),
          type: Type.Enum(FORM_FIELD_TYPES, { description: 'The field type', examples: ['email'] }),
          required: Type.Boolean({ description: 'Whether a response must fill it' }),
          options: nullable(
            Type.Array(Type.String({ description: 'One choice' })),
            'The choices of a select field; null for the other types',
          ),
        },
        { description: 'One field of a form' },
      ),
      { description: 'The fields, in display order' },
    ),
    success_message: nullable(SuccessMessage, 'Shown after a submission; null for none'),
    redirect_url: nullable(RedirectUrl, 'Where the visitor goes after a submission; null for none'),
    team_ids: TeamIds,
    callback_enabled: CallbackEnabled,
    created_at: DateTime('When the form was created'),
    updated_at: DateTime('When the form last changed'),
  },
  {
    description: 'A lead-capture form: its fields, what happens after a submission, the teams it feeds',
    examples: [
      {
        id: 'form_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'form',
        name: 'Contact us',
        fields: [
          { key: 'name', label: 'Your name', type: 'text', required: true, options: null },
          { key: 'email', label: 'Your email', type: 'email', required: true, options: null },
        ],
        success_message: 'Thanks, we will be in touch shortly.',
        redirect_url: null,
        team_ids: [],
        callback_enabled: false,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Form = Static<typeof Form>

export const FormCreate = Type.Object(
  {
    name: Name,
    fields: Type.Optional(Fields),
    success_message: Type.Optional(nullable(SuccessMessage, 'Shown after a submission; null for none')),
    redirect_url: Type.Optional(nullable(RedirectUrl, 'Where the visitor goes after a submission; null for none')),
    team_ids: Type.Optional(TeamIds),
    callback_enabled: Type.Optional(CallbackEnabled),
  },
  {
    additionalProperties: false,
    description: 'A new form',
    examples: [
      {
        name: 'Contact us',
        fields: [
          { key: 'name', label: 'Your name', type: 'text', required: true },
          { key: 'email', label: 'Your email', type: 'email', required: true },
          { key: 'topic', label: 'Topic', type: 'select', options: ['Sales', 'Support'] },
          { key: 'consent', label: 'I agree to be contacted about my request.', type: 'consent', required: true },
        ],
        success_message: 'Thanks, we will be in touch shortly.',
      },
    ],
  },
)
export type FormCreate = Static<typeof FormCreate>

export const FormUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    fields: Type.Optional(Fields),
    success_message: Type.Optional(nullable(SuccessMessage, 'Shown after a submission; null clears it')),
    redirect_url: Type.Optional(nullable(RedirectUrl, 'Where the visitor goes after a submission; null clears it')),
    team_ids: Type.Optional(TeamIds),
    callback_enabled: Type.Optional(CallbackEnabled),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change; `fields` and `team_ids` replace the whole list',
    examples: [{ name: 'Contact sales', callback_enabled: true }],
  },
)
export type FormUpdate = Static<typeof FormUpdate>

export const FormName = Type.Object(
  { name: Name },
  { additionalProperties: false, description: 'The form’s new name', examples: [{ name: 'Contact sales' }] },
)
export const FormTeams = Type.Object(
  {
    teams: Type.Array(
      Type.String({ maxLength: 64, description: 'A team id', examples: ['team_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
      { maxItems: 50, uniqueItems: true, description: 'The ids of the form’s teams' },
    ),
  },
  {
    additionalProperties: false,
    description: 'The teams of a form',
    examples: [{ teams: ['team_01jd3k8m2x7q9v4b6n5t0w1y2z'] }],
  },
)
export type FormTeams = Static<typeof FormTeams>

export const FormListQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: 'Page number, from 1' })),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: FORMS_MAX_LIMIT,
        default: 50,
        description: 'Items per page (at most 1,000 for this list)',
      }),
    ),
    offset: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10_000_000,
        description: 'Skip this many forms (instead of `page`); the answer’s `page` is then null',
        examples: [0],
      }),
    ),
    cursor: Type.Optional(
      Type.String({
        maxLength: 512,
        description: 'Opaque cursor from `pagination.next_cursor`; when given, `page` is ignored',
      }),
    ),
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Case-insensitive substring of the name' }),
    ),
    team_id: Type.Optional(Type.String({ maxLength: 64, description: 'Forms of this team' })),
    ...CreatedRange,
  },
  { additionalProperties: false },
)
export type FormListQuery = Static<typeof FormListQuery>

export const FormList = ListOf(Form)
export const FormIdParams = IdParams('Form', 'form_01jd3k8m2x7q9v4b6n5t0w1y2z')
