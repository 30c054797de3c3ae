import Type, { type Static, type TSchema } from 'typebox'
import { ListOf, PageQuery } from '../../../core/pagination.js'

export const WORK_ORDER_STATUSES = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number]

const EXAMPLE_ID = 'wo_01jd3k8m2x7q9v4b6n5t0w1y2z'
const CONTACT_EXAMPLE = 'c_01jd3k8m2x7q9v4b6n5t0w1y2z'

const Status = Type.Enum(WORK_ORDER_STATUSES, {
  description:
    'Where the job stands: `scheduled` → `in_progress` → `completed`, or `cancelled` from either open state. `completed` and `cancelled` are final',
  examples: ['scheduled'],
})
const Title = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'What the job is',
  examples: ['Replace boiler valve'],
})
const Description = Type.String({
  maxLength: 10_000,
  description: 'Details for whoever does the job',
  examples: ['Bring the 22 mm valve; side door code 4412'],
})
const ContactId = Type.String({
  maxLength: 64,
  description: 'The customer: a contact of the same organization and mode',
  examples: [CONTACT_EXAMPLE],
})
const ScheduledAt = Type.String({
  format: 'date-time',
  description: 'When the job is planned (ISO 8601)',
  examples: ['2025-02-03T08:00:00Z'],
})
const nullable = <T extends TSchema>(s: T, description: string) => Type.Union([s, Type.Null()], { description })

export const WorkOrder = Type.Object(
  {
    id: Type.String({ description: 'Work order id', examples: [EXAMPLE_ID] }),
    object: Type.Literal('work_order', { description: 'Always `work_order`' }),
    title: Title,
    description: nullable(Description, 'Details; null if none'),
    contact_id: nullable(ContactId, 'The customer contact; null if none or if the contact was deleted'),
    scheduled_at: nullable(ScheduledAt, 'When the job is planned; null if not scheduled yet'),
    status: Status,
    completed_at: nullable(
      Type.String({ format: 'date-time', examples: ['2025-02-03T10:12:00.000Z'] }),
      'When it was completed; null unless `completed`',
    ),
    cancelled_at: nullable(
      Type.String({ format: 'date-time', examples: ['2025-02-02T17:00:00.000Z'] }),
      'When it was cancelled; null unless `cancelled`',
    ),
    created_at: Type.String({
      format: 'date-time',
      description: 'When the work order was created',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
    updated_at: Type.String({
      format: 'date-time',
      description: 'When the work order last changed',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
  },
  {
    description: 'A job to do for a customer (a visit, a repair, an installation)',
    examples: [
      {
        id: EXAMPLE_ID,
        object: 'work_order',
        title: 'Replace boiler valve',
        description: 'Bring the 22 mm valve',
        contact_id: CONTACT_EXAMPLE,
        scheduled_at: '2025-02-03T08:00:00.000Z',
        status: 'scheduled',
        completed_at: null,
        cancelled_at: null,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type WorkOrder = Static<typeof WorkOrder>

export const WorkOrderCreate = Type.Object(
  {
    title: Title,
    description: Type.Optional(Description),
    contact_id: Type.Optional(ContactId),
    scheduled_at: Type.Optional(ScheduledAt),
    status: Type.Optional(
      Type.Enum(['scheduled', 'in_progress'] as const, {
        default: 'scheduled',
        description: 'Initial status: `scheduled` (default) or `in_progress`; complete it with POST …/complete',
        examples: ['scheduled'],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A new work order',
    examples: [{ title: 'Replace boiler valve', contact_id: CONTACT_EXAMPLE, scheduled_at: '2025-02-03T08:00:00Z' }],
  },
)
export type WorkOrderCreate = Static<typeof WorkOrderCreate>

export const WorkOrderUpdate = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(nullable(Description, 'Details; null clears them')),
    contact_id: Type.Optional(nullable(ContactId, 'The customer contact; null unlinks it')),
    scheduled_at: Type.Optional(nullable(ScheduledAt, 'When the job is planned; null unschedules it')),
    status: Type.Optional(Status),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'Fields to change. A status change must be a legal move (else 409 `conflict`); moving to `completed` is the same as POST …/complete',
    examples: [{ status: 'in_progress' }],
  },
)
export type WorkOrderUpdate = Static<typeof WorkOrderUpdate>

export const WORK_ORDER_SORTS = [
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
  'scheduled_at',
  '-scheduled_at',
] as const

export const WorkOrderListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Status),
    contact_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Work orders of this contact', examples: [CONTACT_EXAMPLE] }),
    ),
    scheduled_after: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Scheduled at or after this instant',
        examples: ['2025-02-01T00:00:00Z'],
      }),
    ),
    scheduled_before: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Scheduled before this instant',
        examples: ['2025-03-01T00:00:00Z'],
      }),
    ),
    sort: Type.Optional(
      Type.Enum([...WORK_ORDER_SORTS], {
        default: '-created_at',
        description: 'Sort field; a leading `-` sorts descending. Unscheduled work orders sort last',
        examples: ['scheduled_at'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type WorkOrderListQuery = Static<typeof WorkOrderListQuery>

export const WorkOrderList = ListOf(WorkOrder)
export const WorkOrderIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Work order id', examples: [EXAMPLE_ID] }),
})
