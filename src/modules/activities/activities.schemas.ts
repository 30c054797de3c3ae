import Type, { type Static } from 'typebox'
import { ContactIdField, DateTime, DealIdField, nullableLink } from '../../core/link-schemas.js'
import { ListOf, PageQuery } from '../../core/pagination.js'

export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'sms', 'note', 'other'] as const

const ActivityType = Type.Enum(ACTIVITY_TYPES, { description: 'What kind of interaction', examples: ['call'] })
const Summary = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'One-line summary',
  examples: ['Discussed pricing options'],
})
const Body = Type.String({
  maxLength: 100_000,
  description: 'Full text: call notes, the email body, minutes',
  examples: ['Jane wants 12 seats; send the teams pricing sheet.'],
})
const OccurredAt = DateTime('When it happened (defaults to now on creation)')
const Duration = Type.Integer({ minimum: 0, maximum: 100_000, description: 'Length in minutes', examples: [25] })

export const Activity = Type.Object(
  {
    id: Type.String({ description: 'Activity id', examples: ['a_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('activity', { description: 'Always `activity`' }),
    type: ActivityType,
    summary: Summary,
    body: Type.Union([Body, Type.Null()], { description: 'Full text; null if none' }),
    occurred_at: OccurredAt,
    duration_minutes: Type.Union([Duration, Type.Null()], { description: 'Length in minutes; null if unknown' }),
    contact_id: nullableLink(ContactIdField, 'The linked contact; null if none or deleted'),
    deal_id: nullableLink(DealIdField, 'The linked deal; null if none or deleted'),
    created_at: DateTime('When the activity was logged'),
    updated_at: DateTime('When the activity last changed'),
  },
  {
    description: 'An interaction with a contact (call, email, meeting…): an entry of the timeline',
    examples: [
      {
        id: 'a_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'activity',
        type: 'call',
        summary: 'Discussed pricing options',
        body: null,
        occurred_at: '2025-01-15T09:30:00.000Z',
        duration_minutes: 25,
        contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
        deal_id: null,
        created_at: '2025-01-15T09:31:00.000Z',
        updated_at: '2025-01-15T09:31:00.000Z',
      },
    ],
  },
)
export type Activity = Static<typeof Activity>

export const ActivityCreate = Type.Object(
  {
    type: ActivityType,
    summary: Summary,
    body: Type.Optional(Body),
    occurred_at: Type.Optional(OccurredAt),
    duration_minutes: Type.Optional(Duration),
    contact_id: Type.Optional(ContactIdField),
    deal_id: Type.Optional(DealIdField),
  },
  {
    additionalProperties: false,
    description: 'An activity to log',
    examples: [
      {
        type: 'call',
        summary: 'Discussed pricing options',
        duration_minutes: 25,
        contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
      },
    ],
  },
)
export type ActivityCreate = Static<typeof ActivityCreate>

export const ActivityUpdate = Type.Object(
  {
    type: Type.Optional(ActivityType),
    summary: Type.Optional(Summary),
    body: Type.Optional(Type.Union([Body, Type.Null()], { description: 'Full text; null clears it' })),
    occurred_at: Type.Optional(OccurredAt),
    duration_minutes: Type.Optional(Type.Union([Duration, Type.Null()], { description: 'Minutes; null clears it' })),
    contact_id: Type.Optional(nullableLink(ContactIdField, 'Linked contact; null unlinks')),
    deal_id: Type.Optional(nullableLink(DealIdField, 'Linked deal; null unlinks')),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change; null clears an optional field',
    examples: [{ summary: 'Discussed pricing and seats', duration_minutes: 30 }],
  },
)
export type ActivityUpdate = Static<typeof ActivityUpdate>

export const ActivityListQuery = Type.Object(
  {
    ...PageQuery,
    contact_id: Type.Optional(ContactIdField),
    deal_id: Type.Optional(DealIdField),
    type: Type.Optional(ActivityType),
    occurred_after: Type.Optional(DateTime('Occurred at or after this instant', '2025-01-01T00:00:00Z')),
    occurred_before: Type.Optional(DateTime('Occurred before this instant', '2025-02-01T00:00:00Z')),
    sort: Type.Optional(
      Type.Enum(['-occurred_at', 'occurred_at'], {
        default: '-occurred_at',
        description: 'Newest first (`-occurred_at`, the default) or oldest first',
        examples: ['-occurred_at'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type ActivityListQuery = Static<typeof ActivityListQuery>

export const ActivityList = ListOf(Activity)
export const ActivityIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Activity id', examples: ['a_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
