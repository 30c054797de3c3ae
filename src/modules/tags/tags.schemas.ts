import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'

/** The same rule as a contact's `tags` items (contacts.schemas.ts), so any tag can be put on a contact. */
const Name = Type.String({
  minLength: 1,
  maxLength: 50,
  pattern: '\\S',
  description: 'Tag name, unique per organization and mode compared case-insensitively; surrounding spaces are trimmed',
  examples: ['enterprise'],
})

export const Tag = Type.Object(
  {
    id: Type.String({ description: 'Tag id', examples: ['tag_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('tag', { description: 'Always `tag`' }),
    name: Name,
    contact_count: Type.Integer({ minimum: 0, description: 'Contacts carrying the tag now', examples: [42] }),
    created_at: Type.String({
      format: 'date-time',
      description: 'When the tag was first used or created',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
  },
  {
    description: 'A label put on contacts; created on first use on a contact, or explicitly',
    examples: [
      {
        id: 'tag_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'tag',
        name: 'enterprise',
        contact_count: 42,
        created_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Tag = Static<typeof Tag>

export const TagCreate = Type.Object(
  { name: Name },
  { additionalProperties: false, description: 'A new tag', examples: [{ name: 'enterprise' }] },
)
export type TagCreate = Static<typeof TagCreate>

export const TagUpdate = Type.Object(
  { name: Name },
  {
    additionalProperties: false,
    description: 'The new name; every contact carrying the tag is renamed with it',
    examples: [{ name: 'Enterprise' }],
  },
)
export type TagUpdate = Static<typeof TagUpdate>

export const TAG_SORTS = ['name', '-name', 'created_at', '-created_at'] as const

export const TagListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 50,
        description: 'Tags whose name starts with this text, case-insensitively',
        examples: ['ent'],
      }),
    ),
    sort: Type.Optional(
      Type.Enum([...TAG_SORTS], {
        default: 'name',
        description: 'Sort field; a leading `-` sorts descending. Names sort case-insensitively',
        examples: ['name'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type TagListQuery = Static<typeof TagListQuery>

export const TagList = ListOf(Tag)
export const TagIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Tag id', examples: ['tag_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
