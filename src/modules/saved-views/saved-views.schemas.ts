import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { CONTACT_SORTS } from '../contacts/contacts.schemas.js'

/** The lists a view can be saved for. */
export const SAVED_VIEW_RESOURCES = ['contacts'] as const

/** Columns of the contacts table: its fields, and custom fields as `custom_fields.<key>`. */
export const CONTACT_COLUMN_PATTERN =
  '^(name|email|phone|company|status|source|tags|external_id|owner_id|created_at|updated_at|custom_fields\\.[^\\s.]{1,100})$'

const Resource = Type.Enum(SAVED_VIEW_RESOURCES, { description: 'The list the view is of', examples: ['contacts'] })
const Name = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '\\S',
  description: 'What the view is called in the workspace',
  examples: ['Hot leads in Berlin'],
})
const Shared = Type.Boolean({
  description: 'Whether everyone in the organization (and mode) sees the view; otherwise only its owner does',
  examples: [true],
})
const Columns = Type.Array(
  Type.String({ pattern: CONTACT_COLUMN_PATTERN, description: 'A column', examples: ['email'] }),
  {
    minItems: 1,
    maxItems: 30,
    uniqueItems: true,
    description:
      'The columns shown, in order: `name`, `email`, `phone`, `company`, `status`, `source`, `tags`, `external_id`, `owner_id`, `created_at`, `updated_at` or `custom_fields.<key>`',
    examples: [['name', 'email', 'status', 'tags', 'custom_fields.city']],
  },
)
const Sort = Type.Enum([...CONTACT_SORTS], {
  description: 'The sort, as `sort` of `POST /api/v1/contacts/search`',
  examples: ['-created_at'],
})
const Filter = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'A filter in the contact search grammar (as `filter` of `POST /api/v1/contacts/search`); an invalid one is a 422 naming the failing part',
    examples: [
      {
        and: [
          { field: 'status', op: 'eq', value: 'lead' },
          { field: 'tags', op: 'contains', value: 'vip' },
        ],
      },
    ],
  },
)
const Q = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'Full-text search typed in the view (name, email, phone and company contain it)',
  examples: ['acme'],
})

export const SavedView = Type.Object(
  {
    id: Type.String({ description: 'Saved view id', examples: ['sv_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('saved_view', { description: 'Always `saved_view`' }),
    resource: Resource,
    name: Name,
    shared: Shared,
    owner_id: Type.String({
      description: 'Who saved it: the user (dashboard session) or the API key',
      examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
    }),
    columns: Columns,
    sort: Type.Union([Sort, Type.Null()], { description: 'The sort; null for the list default' }),
    filter: Type.Union([Filter, Type.Null()], { description: 'The filter; null for none' }),
    q: Type.Union([Q, Type.Null()], { description: 'The full-text search; null for none' }),
    created_at: Type.String({
      format: 'date-time',
      description: 'When the view was saved',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
    updated_at: Type.String({
      format: 'date-time',
      description: 'When the view last changed',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
  },
  {
    description: 'Columns, sort, filter and search of a workspace list, saved by a person and optionally shared',
    examples: [
      {
        id: 'sv_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'saved_view',
        resource: 'contacts',
        name: 'VIP leads',
        shared: true,
        owner_id: 'user_01jd3k8m2x7q9v4b6n5t0w1y2z',
        columns: ['name', 'email', 'status', 'tags'],
        sort: 'name',
        filter: {
          and: [
            { field: 'status', op: 'eq', value: 'lead' },
            { field: 'tags', op: 'contains', value: 'vip' },
          ],
        },
        q: null,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type SavedView = Static<typeof SavedView>

export const SavedViewCreate = Type.Object(
  {
    resource: Resource,
    name: Name,
    shared: Type.Optional({ ...Shared, default: false }),
    columns: Columns,
    sort: Type.Optional(
      Type.Union([Sort, Type.Null()], { description: 'The sort; null or absent for the list default' }),
    ),
    filter: Type.Optional(Type.Union([Filter, Type.Null()], { description: 'The filter; null or absent for none' })),
    q: Type.Optional(Type.Union([Q, Type.Null()], { description: 'The full-text search; null or absent for none' })),
  },
  {
    additionalProperties: false,
    description: 'A view to save',
    examples: [
      {
        resource: 'contacts',
        name: 'VIP leads',
        shared: true,
        columns: ['name', 'email', 'tags'],
        sort: 'name',
        filter: { field: 'tags', op: 'contains', value: 'vip' },
      },
    ],
  },
)
export type SavedViewCreate = Static<typeof SavedViewCreate>

export const SavedViewUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    shared: Type.Optional(Shared),
    columns: Type.Optional(Columns),
    sort: Type.Optional(Type.Union([Sort, Type.Null()], { description: 'The sort; null for the list default' })),
    filter: Type.Optional(Type.Union([Filter, Type.Null()], { description: 'The filter; null removes it' })),
    q: Type.Optional(Type.Union([Q, Type.Null()], { description: 'The search; null removes it' })),
  },
  {
    additionalProperties: false,
    description: 'The fields to change',
    examples: [{ name: 'VIP leads (Berlin)', columns: ['name', 'email', 'custom_fields.city'] }],
  },
)
export type SavedViewUpdate = Static<typeof SavedViewUpdate>

export const SavedViewListQuery = Type.Object(
  {
    ...PageQuery,
    resource: Type.Optional(Resource),
  },
  { additionalProperties: false },
)
export type SavedViewListQuery = Static<typeof SavedViewListQuery>

export const SavedViewList = ListOf(SavedView)

export const SavedViewIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Saved view id', examples: ['sv_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
