import Type, { type Static } from 'typebox'
import { ContactIdField, DateTime, DealIdField, nullableLink } from '../../core/link-schemas.js'
import { ListOf, PageQuery } from '../../core/pagination.js'

const Body = Type.String({
  minLength: 1,
  maxLength: 100_000,
  pattern: '\\S',
  description: 'The note, as plain text',
  examples: ['Prefers email over calls; decision in March.'],
})

export const Note = Type.Object(
  {
    id: Type.String({ description: 'Note id', examples: ['n_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('note', { description: 'Always `note`' }),
    body: Body,
    contact_id: nullableLink(ContactIdField, 'The contact the note is about; null once that contact is deleted'),
    deal_id: nullableLink(DealIdField, 'The linked deal; null if none or deleted'),
    created_at: DateTime('When the note was written'),
    updated_at: DateTime('When the note last changed'),
  },
  {
    description: 'A free-text note on a contact (and optionally one of its deals)',
    examples: [
      {
        id: 'n_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'note',
        body: 'Prefers email over calls; decision in March.',
        contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
        deal_id: null,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Note = Static<typeof Note>

export const NoteCreate = Type.Object(
  {
    body: Body,
    contact_id: ContactIdField,
    deal_id: Type.Optional(DealIdField),
  },
  {
    additionalProperties: false,
    description: 'A note on a contact',
    examples: [{ body: 'Prefers email over calls.', contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z' }],
  },
)
export type NoteCreate = Static<typeof NoteCreate>

export const NoteUpdate = Type.Object(
  {
    body: Type.Optional(Body),
    contact_id: Type.Optional(ContactIdField),
    deal_id: Type.Optional(nullableLink(DealIdField, 'Linked deal; null unlinks')),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change; a note always keeps a contact, so `contact_id` cannot be null',
    examples: [{ body: 'Prefers email; decision moved to April.' }],
  },
)
export type NoteUpdate = Static<typeof NoteUpdate>

export const NoteListQuery = Type.Object(
  {
    ...PageQuery,
    contact_id: Type.Optional(ContactIdField),
    deal_id: Type.Optional(DealIdField),
    sort: Type.Optional(
      Type.Enum(['-created_at', 'created_at'], {
        default: '-created_at',
        description: 'Newest first (`-created_at`, the default) or oldest first',
        examples: ['-created_at'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type NoteListQuery = Static<typeof NoteListQuery>

export const NoteList = ListOf(Note)
export const NoteIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Note id', examples: ['n_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
