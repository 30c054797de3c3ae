import Type, { type Static } from 'typebox'
import { DateTime } from '../../core/link-schemas.js'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { Activity } from '../activities/activities.schemas.js'
import { Deal } from '../deals/deals.schemas.js'
import { Email } from '../email/emails.schemas.js'
import { FormResponse } from '../leads/form-responses/form-responses.schemas.js'
import { Note } from '../notes/notes.schemas.js'
import { Booking } from '../scheduling/bookings.schemas.js'
import { Task } from '../tasks/tasks.schemas.js'

export const TIMELINE_ITEM_TYPES = [
  'activity',
  'note',
  'deal.created',
  'deal.won',
  'deal.lost',
  'task.created',
  'task.completed',
  'form_response.created',
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'email.sent',
  'email.failed',
] as const
export type TimelineItemType = (typeof TIMELINE_ITEM_TYPES)[number]

const OccurredAt = DateTime('When it happened; the timeline is ordered by it, newest first')

export const TimelineItem = Type.Union(
  [
    Type.Object(
      {
        type: Type.Literal('activity', { description: 'An activity was logged' }),
        occurred_at: OccurredAt,
        object: Activity,
      },
      { description: 'An activity (call, email, meeting…), at its `occurred_at`' },
    ),
    Type.Object(
      { type: Type.Literal('note', { description: 'A note was written' }), occurred_at: OccurredAt, object: Note },
      { description: 'A note, at its creation' },
    ),
    Type.Object(
      {
        type: Type.Enum(['deal.created', 'deal.won', 'deal.lost'], { description: 'What happened to the deal' }),
        occurred_at: OccurredAt,
        object: Deal,
      },
      {
        description:
          'A deal was created (at `created_at`), won (`won_at`) or lost (`lost_at`); `object` is the deal now',
      },
    ),
    Type.Object(
      {
        type: Type.Enum(['task.created', 'task.completed'], { description: 'What happened to the task' }),
        occurred_at: OccurredAt,
        object: Task,
      },
      { description: 'A task was created (at `created_at`) or completed (`completed_at`); `object` is the task now' },
    ),
    Type.Object(
      {
        type: Type.Literal('form_response.created', { description: 'A form was submitted' }),
        occurred_at: OccurredAt,
        object: FormResponse,
      },
      { description: 'A form response of the contact, at its submission' },
    ),
    Type.Object(
      {
        type: Type.Enum(['booking.created', 'booking.rescheduled', 'booking.cancelled'], {
          description: 'What happened to the booking',
        }),
        occurred_at: OccurredAt,
        object: Booking,
      },
      {
        description:
          'A booking whose guest is the contact was made (at `created_at`), moved (at its last `rescheduled_at`) or cancelled (`cancelled_at`); `object` is the booking now',
      },
    ),
    Type.Object(
      {
        type: Type.Enum(['email.sent', 'email.failed'], { description: 'What happened to the email' }),
        occurred_at: OccurredAt,
        object: Email,
      },
      {
        description:
          'An email to the contact left (at `sent_at`) or was given up (`failed_at`); a queued email is not shown yet. `object` is the email now, bodies included',
      },
    ),
  ],
  {
    description: 'One entry of a contact’s timeline: what happened, when, and the object it happened to',
    examples: [
      {
        type: 'activity',
        occurred_at: '2025-01-15T09:30:00.000Z',
        object: {
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
      },
    ],
  },
)
export type TimelineItem = Static<typeof TimelineItem>

export const TimelineQuery = Type.Object(
  {
    ...PageQuery,
    type: Type.Optional(
      Type.Array(Type.Enum(TIMELINE_ITEM_TYPES), {
        minItems: 1,
        maxItems: TIMELINE_ITEM_TYPES.length,
        description: 'Only entries of these types; repeat the parameter for several (`?type=note&type=activity`)',
        examples: [['activity', 'note']],
      }),
    ),
  },
  { additionalProperties: false },
)
export type TimelineQuery = Static<typeof TimelineQuery>

export const Timeline = ListOf(TimelineItem)
export const TimelineParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Contact id', examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
