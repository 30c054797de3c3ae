import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { DateTime, IdParams, nullable } from './email.schema-parts.js'

export const SEGMENT_ID = 'seg_01jd3k8m2x7q9v4b6n5t0w1y2z'
const FILTER_EXAMPLE = {
  and: [
    { field: 'tags', op: 'contains', value: 'vip' },
    { field: 'custom_fields.plan', op: 'eq', value: 'pro' },
  ],
}

const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'Name',
  examples: ['VIP customers'],
})
const Description = Type.String({ maxLength: 2000, description: 'What it selects', examples: ['Paying VIPs'] })
const Filter = Type.Unknown({
  description:
    'A filter in the contact search grammar (as `POST /api/v1/contacts/search`): a condition `{"field","op","value"}` or a group `{"and":[…]}`, `{"or":[…]}`, `{"not":{…}}`. Evaluated when a campaign starts sending, so the segment follows the contacts as they change. An invalid filter is a 422 naming the failing part',
  examples: [FILTER_EXAMPLE],
})

export const Segment = Type.Object(
  {
    id: Type.String({ description: 'Segment id', examples: [SEGMENT_ID] }),
    object: Type.Literal('email_segment', { description: 'Always `email_segment`' }),
    name: Name,
    description: nullable(Description, 'null when not said'),
    filter: Filter,
    contact_count: Type.Integer({ description: 'Contacts the filter matches now', examples: [340] }),
    member_count: Type.Integer({
      description: 'Of those, the ones a campaign would reach now: with an email and `subscribed`',
      examples: [322],
    }),
    created_at: DateTime('When it was created'),
    updated_at: DateTime('When it last changed'),
  },
  {
    description: 'A saved contact filter: an audience evaluated at send time',
    examples: [
      {
        id: SEGMENT_ID,
        object: 'email_segment',
        name: 'VIP customers',
        description: null,
        filter: FILTER_EXAMPLE,
        contact_count: 340,
        member_count: 322,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Segment = Static<typeof Segment>

export const SegmentCreate = Type.Object(
  { name: Name, description: Type.Optional(Description), filter: Filter },
  { additionalProperties: false, examples: [{ name: 'VIP customers', filter: FILTER_EXAMPLE }] },
)
export type SegmentCreate = Static<typeof SegmentCreate>

export const SegmentUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(nullable(Description, 'null removes it')),
    filter: Type.Optional(Filter),
  },
  { additionalProperties: false, examples: [{ name: 'VIPs' }] },
)
export type SegmentUpdate = Static<typeof SegmentUpdate>

export const SegmentListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export const SegmentList = ListOf(Segment)
export const SegmentIdParams = IdParams('Segment', SEGMENT_ID)

export const SegmentPreviewInput = Type.Object(
  { filter: Filter },
  { additionalProperties: false, examples: [{ filter: FILTER_EXAMPLE }] },
)
export type SegmentPreviewInput = Static<typeof SegmentPreviewInput>

export const SegmentPreview = Type.Object(
  {
    object: Type.Literal('email_segment_preview', { description: 'Always `email_segment_preview`' }),
    contact_count: Type.Integer({ description: 'Contacts the filter matches now', examples: [340] }),
    member_count: Type.Integer({
      description: 'Of those, the ones a campaign would reach now: with an email and `subscribed`',
      examples: [322],
    }),
  },
  {
    description: 'What a filter would select if saved as a segment now (nothing is saved)',
    examples: [{ object: 'email_segment_preview', contact_count: 340, member_count: 322 }],
  },
)
export type SegmentPreview = Static<typeof SegmentPreview>
