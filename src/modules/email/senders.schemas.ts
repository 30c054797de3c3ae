import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { DateTime, EmailAddress, IdParams, nullable, SENDER_ID } from './email.schema-parts.js'

const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'Display name shown beside the address',
  examples: ['Acme Support'],
})

export const Sender = Type.Object(
  {
    id: Type.String({ description: 'Sender id', examples: [SENDER_ID] }),
    object: Type.Literal('sender', { description: 'Always `sender`' }),
    email: EmailAddress('The from-address', 'hello@acme.example'),
    name: nullable(Name, 'Display name; null for the bare address'),
    reply_to: nullable(EmailAddress('Reply-To address', 'support@acme.example'), 'Where replies go; null: to `email`'),
    is_default: Type.Boolean({
      description: 'Whether messages without `from` are sent from this sender (one per organization and mode)',
    }),
    created_at: DateTime('When it was added'),
    updated_at: DateTime('When it last changed'),
  },
  {
    description:
      'A from-address the organization may send from. Adding one (admin scope) is the organization’s statement that it owns the address; the domain’s SPF and DKIM records must allow the SMTP server Rapport sends through',
    examples: [
      {
        id: SENDER_ID,
        object: 'sender',
        email: 'hello@acme.example',
        name: 'Acme',
        reply_to: 'support@acme.example',
        is_default: true,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Sender = Static<typeof Sender>

export const SenderCreate = Type.Object(
  {
    email: EmailAddress('The from-address; unique per organization and mode', 'hello@acme.example'),
    name: Type.Optional(Name),
    reply_to: Type.Optional(EmailAddress('Where replies go', 'support@acme.example')),
    is_default: Type.Optional(
      Type.Boolean({
        description: 'Make it the default sender (the previous default stops being one). The first sender always is',
      }),
    ),
  },
  { additionalProperties: false, examples: [{ email: 'hello@acme.example', name: 'Acme', is_default: true }] },
)
export type SenderCreate = Static<typeof SenderCreate>

export const SenderUpdate = Type.Object(
  {
    name: Type.Optional(nullable(Name, 'Display name; null removes it')),
    reply_to: Type.Optional(nullable(EmailAddress('Where replies go'), 'Reply-To; null removes it')),
    is_default: Type.Optional(
      Type.Literal(true, { description: 'Make it the default sender (the previous default stops being one)' }),
    ),
  },
  { additionalProperties: false, examples: [{ reply_to: 'support@acme.example', is_default: true }] },
)
export type SenderUpdate = Static<typeof SenderUpdate>

export const SenderListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type SenderListQuery = Static<typeof SenderListQuery>
export const SenderList = ListOf(Sender)
export const SenderIdParams = IdParams('Sender', SENDER_ID)
