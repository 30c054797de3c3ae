import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { CONTACT_ID, DateTime, EmailAddress, IdParams, nullable, TEMPLATE_ID } from './email.schema-parts.js'

const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'Name, for people',
  examples: ['Quote follow-up'],
})
const Subject = Type.String({
  minLength: 1,
  maxLength: 998,
  description: 'Subject line (Liquid)',
  examples: ['Your quote, {{ contact.first_name | default: "friend" }}'],
})
const Html = Type.String({
  maxLength: 1_000_000,
  description: 'HTML body (Liquid; every `{{ value }}` is HTML-escaped)',
  examples: ['<p>Hello {{ contact.name }}, here is <a href="{{ data.quote_url }}">your quote</a>.</p>'],
})
const Text = Type.String({
  maxLength: 1_000_000,
  description: 'Plain-text body (Liquid); when null, derived from the rendered HTML',
  examples: ['Hello {{ contact.name }}, here is your quote: {{ data.quote_url }}'],
})

export const Template = Type.Object(
  {
    id: Type.String({ description: 'Template id', examples: [TEMPLATE_ID] }),
    object: Type.Literal('email_template', { description: 'Always `email_template`' }),
    name: Name,
    subject: Subject,
    html: nullable(Html, 'HTML body; null for a text-only template'),
    text: nullable(Text, 'Plain-text body; null: derived from the HTML'),
    created_at: DateTime('When it was created'),
    updated_at: DateTime('When it last changed'),
  },
  {
    description:
      'An email template in Liquid. Variables: `contact` (id, name, first_name, last_name, email, phone, company, status, tags, custom_fields), `organization` (id, name) and `data` (given with the send)',
    examples: [
      {
        id: TEMPLATE_ID,
        object: 'email_template',
        name: 'Quote follow-up',
        subject: 'Your quote, {{ contact.first_name }}',
        html: '<p>Hello {{ contact.name }}</p>',
        text: null,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Template = Static<typeof Template>

export const TemplateCreate = Type.Object(
  { name: Name, subject: Subject, html: Type.Optional(Html), text: Type.Optional(Text) },
  {
    additionalProperties: false,
    description: 'At least one of `html` and `text`',
    examples: [
      { name: 'Welcome', subject: 'Welcome, {{ contact.first_name }}', html: '<p>Hello {{ contact.name }}</p>' },
    ],
  },
)
export type TemplateCreate = Static<typeof TemplateCreate>

export const TemplateUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    subject: Type.Optional(Subject),
    html: Type.Optional(nullable(Html, 'HTML body; null removes it')),
    text: Type.Optional(nullable(Text, 'Plain-text body; null: derive it from the HTML')),
  },
  { additionalProperties: false, examples: [{ subject: 'Your quote is ready' }] },
)
export type TemplateUpdate = Static<typeof TemplateUpdate>

const RenderInput = {
  contact_id: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'Render for this contact (else a sample contact)',
      examples: [CONTACT_ID],
    }),
  ),
  data: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'The `data` variables',
      examples: [{ quote_url: 'https://acme.example/q/42' }],
    }),
  ),
}

export const TemplatePreviewInput = Type.Object(RenderInput, {
  additionalProperties: false,
  description: 'Whom to render the template for, and its `data`',
  examples: [{ contact_id: CONTACT_ID, data: { quote_url: 'https://acme.example/q/42' } }],
})
export type TemplatePreviewInput = Static<typeof TemplatePreviewInput>

export const DraftPreviewInput = Type.Object(
  { subject: Subject, html: Type.Optional(Html), text: Type.Optional(Text), ...RenderInput },
  {
    additionalProperties: false,
    description: 'Unsaved template content to render (the dashboard’s live preview)',
    examples: [{ subject: 'Hi {{ contact.first_name }}', html: '<p>{{ data.body }}</p>', data: { body: 'Hello' } }],
  },
)
export type DraftPreviewInput = Static<typeof DraftPreviewInput>

export const TemplateTestInput = Type.Object(
  {
    to: EmailAddress('Where the test goes', 'me@acme.example'),
    from: Type.Optional(
      Type.String({ maxLength: 320, description: 'A sender id or address; default: the default sender' }),
    ),
    ...RenderInput,
  },
  {
    additionalProperties: false,
    examples: [{ to: 'me@acme.example', data: { quote_url: 'https://acme.example/q/42' } }],
  },
)
export type TemplateTestInput = Static<typeof TemplateTestInput>

export const RenderedTemplate = Type.Object(
  {
    subject: Type.String({ description: 'Rendered subject', examples: ['Your quote, Jane'] }),
    html: nullable(Type.String({ description: 'Rendered HTML' }), 'Rendered HTML; null for a text-only template'),
    text: Type.String({ description: 'Rendered (or derived) plain text' }),
  },
  { description: 'A template rendered as it would be sent' },
)

export const TemplateListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type TemplateListQuery = Static<typeof TemplateListQuery>
export const TemplateList = ListOf(Template)
export const TemplateIdParams = IdParams('Template', TEMPLATE_ID)
