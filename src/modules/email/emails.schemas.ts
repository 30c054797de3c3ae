import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { CONTACT_ID, DateTime, EMAIL_ID, EmailAddress, IdParams, nullable, TEMPLATE_ID } from './email.schema-parts.js'

export const EMAIL_STATUSES = ['queued', 'sent', 'delivered', 'failed'] as const

const Subject = Type.String({
  minLength: 1,
  maxLength: 998,
  pattern: '\\S',
  description: 'Subject line',
  examples: ['Your quote'],
})
const Html = Type.String({
  minLength: 1,
  maxLength: 1_000_000,
  description: 'HTML body; the plain-text part is derived from it unless `text` is given',
  examples: ['<p>Hello Jane, here is <a href="https://acme.example/q/42">your quote</a>.</p>'],
})
const Text = Type.String({
  minLength: 1,
  maxLength: 1_000_000,
  description: 'Plain-text body',
  examples: ['Hello Jane, here is your quote: https://acme.example/q/42'],
})

export const EmailCreate = Type.Object(
  {
    to: Type.String({
      minLength: 1,
      maxLength: 320,
      description:
        'A contact id (`c_…`, sent to its email) or an email address (linked to the contact with that address, if any)',
      examples: [CONTACT_ID, 'jane@example.com'],
    }),
    to_name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Display name of the recipient; default: the contact’s name',
      }),
    ),
    subject: Type.Optional(Subject),
    html: Type.Optional(Html),
    text: Type.Optional(Text),
    template_id: Type.Optional(
      Type.String({
        maxLength: 64,
        description:
          'Render this template (instead of `subject`/`html`/`text`) with the contact, organization and `data`',
        examples: [TEMPLATE_ID],
      }),
    ),
    data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Variables for the template, available as `{{ data.name }}`',
        examples: [{ quote_url: 'https://acme.example/q/42' }],
      }),
    ),
    from: Type.Optional(
      Type.String({
        maxLength: 320,
        description: 'A sender id or the address of one of the organization’s senders; default: the default sender',
        examples: ['hello@acme.example'],
      }),
    ),
    reply_to: Type.Optional(EmailAddress('Reply-To for this message; default: the sender’s', 'support@acme.example')),
    force: Type.Optional(
      Type.Boolean({
        description:
          'Send even when the address is suppressed (it bounced for good or complained; see GET /api/v1/suppressions). Without it such a message is a 422 naming `to`',
        examples: [false],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Either `subject` with `html` and/or `text`, or `template_id` (with optional `data`)',
    examples: [
      { to: CONTACT_ID, subject: 'Your quote', html: '<p>Hello Jane, here is your quote.</p>' },
      { to: 'jane@example.com', template_id: TEMPLATE_ID, data: { quote_url: 'https://acme.example/q/42' } },
    ],
  },
)
export type EmailCreate = Static<typeof EmailCreate>

export const EmailEvent = Type.Object(
  {
    type: Type.Enum(['queued', 'deferred', 'sent', 'delivered', 'failed'], {
      description:
        '`queued` accepted; `deferred` a temporary failure, retried later; `sent` handed to the transport; `delivered` accepted by the next hop (SMTP server); `failed` given up',
      examples: ['delivered'],
    }),
    detail: nullable(
      Type.String({ description: 'The server’s answer or the error' }),
      'The server’s answer or the error',
    ),
    created_at: DateTime('When it happened'),
  },
  { description: 'One step in the life of a message' },
)

export const Email = Type.Object(
  {
    id: Type.String({ description: 'Email id', examples: [EMAIL_ID] }),
    object: Type.Literal('email', { description: 'Always `email`' }),
    status: Type.Enum(EMAIL_STATUSES, {
      description:
        '`queued` until the worker sends it; `sent` kept in the development mailbox (never `delivered`); `delivered` accepted by the SMTP server; `failed` refused or out of retries',
      examples: ['queued'],
    }),
    to: Type.String({ description: 'Recipient address', examples: ['jane@example.com'] }),
    to_name: nullable(Type.String({ description: 'Recipient name' }), 'Recipient display name'),
    contact_id: nullable(
      Type.String({ description: 'The recipient contact', examples: [CONTACT_ID] }),
      'The recipient contact, when known',
    ),
    from: Type.String({ description: 'From-address', examples: ['hello@acme.example'] }),
    from_name: nullable(Type.String({ description: 'From display name' }), 'From display name'),
    reply_to: nullable(Type.String({ description: 'Reply-To' }), 'Reply-To address'),
    subject: Type.String({ description: 'Subject, as sent', examples: ['Your quote'] }),
    html: nullable(Type.String({ description: 'HTML body, as sent' }), 'HTML body; null for a text-only message'),
    text: Type.String({ description: 'Plain-text body, as sent' }),
    template_id: nullable(
      Type.String({ description: 'Template', examples: [TEMPLATE_ID] }),
      'The template it was rendered from',
    ),
    category: Type.String({
      description:
        '`api` for POST /api/v1/emails, `template_test` for a template test send, else which of Rapport’s own messages it is (`booking.confirmed`, `invite`…)',
      examples: ['api'],
    }),
    message_id: Type.String({
      description: 'The Message-ID header: the same on every attempt',
      examples: [`<${EMAIL_ID}@acme.example>`],
    }),
    transport: nullable(
      Type.Enum(['smtp', 'mailbox'], { description: 'Where it went' }),
      '`smtp` or `mailbox` (the development mailbox); null while queued',
    ),
    attempt_count: Type.Integer({ description: 'Attempts so far', examples: [1] }),
    last_error: nullable(Type.String({ description: 'Last error' }), 'The last failure, if any'),
    next_attempt_at: nullable(DateTime('Next attempt'), 'When the next attempt is due; null once sent or failed'),
    sent_at: nullable(DateTime('Sent'), 'When it was sent'),
    delivered_at: nullable(DateTime('Delivered'), 'When the next hop accepted it'),
    failed_at: nullable(DateTime('Failed'), 'When it was given up'),
    created_at: DateTime('When it was queued'),
    updated_at: DateTime('When it last changed'),
    events: Type.Optional(
      Type.Array(EmailEvent, { description: 'Its history, oldest first (on GET /api/v1/emails/:id only)' }),
    ),
  },
  {
    description: 'An outgoing email message',
    examples: [
      {
        id: EMAIL_ID,
        object: 'email',
        status: 'queued',
        to: 'jane@example.com',
        to_name: 'Jane Doe',
        contact_id: CONTACT_ID,
        from: 'hello@acme.example',
        from_name: 'Acme',
        reply_to: null,
        subject: 'Your quote',
        html: '<p>Hello Jane</p>',
        text: 'Hello Jane',
        template_id: null,
        category: 'api',
        message_id: `<${EMAIL_ID}@acme.example>`,
        transport: null,
        attempt_count: 0,
        last_error: null,
        next_attempt_at: '2025-01-15T09:30:00.000Z',
        sent_at: null,
        delivered_at: null,
        failed_at: null,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Email = Static<typeof Email>

export const EmailListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.Enum(EMAIL_STATUSES, { description: 'Only messages in this status' })),
    contact_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only messages to this contact' })),
    category: Type.Optional(Type.String({ maxLength: 64, description: 'Only messages of this category' })),
  },
  { additionalProperties: false },
)
export type EmailListQuery = Static<typeof EmailListQuery>
export const EmailList = ListOf(Email)
export const EmailIdParams = IdParams('Email', EMAIL_ID)

export const MailboxMessage = Type.Object(
  {
    id: Type.String({ description: 'Mailbox message id', examples: ['mbx_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('mailbox_message', { description: 'Always `mailbox_message`' }),
    email_id: Type.String({ description: 'The email it is a copy of', examples: [EMAIL_ID] }),
    message_id: Type.String({ description: 'Its Message-ID header' }),
    from: Type.String({ description: 'From-address' }),
    to: Type.String({ description: 'Recipient address' }),
    subject: Type.String({ description: 'Subject' }),
    html: nullable(Type.String({ description: 'HTML body' }), 'HTML body'),
    text: Type.String({ description: 'Plain-text body' }),
    raw: Type.Optional(
      Type.String({ description: 'The whole message as MIME source (on GET /api/v1/mailbox/:id only)' }),
    ),
    created_at: DateTime('When it was kept'),
  },
  { description: 'A message kept in the development mailbox instead of being sent' },
)
export const MailboxListQuery = Type.Object(
  {
    ...PageQuery,
    to: Type.Optional(Type.String({ maxLength: 320, description: 'Only messages to this address (any case)' })),
  },
  { additionalProperties: false },
)
export type MailboxListQuery = Static<typeof MailboxListQuery>
export const MailboxList = ListOf(MailboxMessage)
export const MailboxIdParams = IdParams('Mailbox message', 'mbx_01jd3k8m2x7q9v4b6n5t0w1y2z')
