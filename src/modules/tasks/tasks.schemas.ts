import Type, { type Static } from 'typebox'
import { ContactIdField, DateTime, DealIdField, nullableLink, UserIdField } from '../../core/link-schemas.js'
import { ListOf, PageQuery } from '../../core/pagination.js'

export const TASK_STATUSES = ['open', 'completed'] as const

const Status = Type.Enum(TASK_STATUSES, {
  description: '`open`, or `completed` (setting it sets `completed_at` and `completed_by`)',
  examples: ['open'],
})
const Title = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'What to do',
  examples: ['Follow up with Jane'],
})
const Description = Type.String({
  maxLength: 10_000,
  description: 'Details',
  examples: ['Send the pricing sheet for 12 seats'],
})
const DueAt = DateTime('When the task is due', '2025-01-20T17:00:00.000Z')

export const Task = Type.Object(
  {
    id: Type.String({ description: 'Task id', examples: ['t_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('task', { description: 'Always `task`' }),
    title: Title,
    description: Type.Union([Description, Type.Null()], { description: 'Details; null if none' }),
    due_at: Type.Union([DueAt, Type.Null()], { description: 'When the task is due; null if undated' }),
    status: Status,
    assignee_id: nullableLink(UserIdField, 'The user the task is assigned to; null if unassigned'),
    contact_id: nullableLink(ContactIdField, 'The linked contact; null if none or deleted'),
    deal_id: nullableLink(DealIdField, 'The linked deal; null if none or deleted'),
    completed_at: Type.Union([DateTime('When the task was completed'), Type.Null()], {
      description: 'When the task was completed; null while open',
    }),
    completed_by: Type.Union([Type.String(), Type.Null()], {
      description:
        'Who completed it: the person (`user_…`: the dashboard user, or the user who created the API key) when there is one, else the API key (`key_…`); null while open',
      examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
    }),
    created_at: DateTime('When the task was created'),
    updated_at: DateTime('When the task last changed'),
  },
  {
    description: 'Something to do, optionally due at a time, assigned to a user and linked to a contact or deal',
    examples: [
      {
        id: 't_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'task',
        title: 'Follow up with Jane',
        description: null,
        due_at: '2025-01-20T17:00:00.000Z',
        status: 'open',
        assignee_id: null,
        contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
        deal_id: null,
        completed_at: null,
        completed_by: null,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Task = Static<typeof Task>

export const TaskCreate = Type.Object(
  {
    title: Title,
    description: Type.Optional(Description),
    due_at: Type.Optional(DueAt),
    status: Type.Optional(Status),
    assignee_id: Type.Optional(UserIdField),
    contact_id: Type.Optional(ContactIdField),
    deal_id: Type.Optional(DealIdField),
  },
  {
    additionalProperties: false,
    description: 'A new task',
    examples: [
      { title: 'Follow up with Jane', due_at: '2025-01-20T17:00:00Z', contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z' },
    ],
  },
)
export type TaskCreate = Static<typeof TaskCreate>

export const TaskUpdate = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Type.Union([Description, Type.Null()], { description: 'Details; null clears them' })),
    due_at: Type.Optional(Type.Union([DueAt, Type.Null()], { description: 'Due time; null clears it' })),
    status: Type.Optional(Status),
    assignee_id: Type.Optional(nullableLink(UserIdField, 'Assignee; null unassigns')),
    contact_id: Type.Optional(nullableLink(ContactIdField, 'Linked contact; null unlinks')),
    deal_id: Type.Optional(nullableLink(DealIdField, 'Linked deal; null unlinks')),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change; null clears an optional field. `status: completed` completes the task',
    examples: [{ status: 'completed' }],
  },
)
export type TaskUpdate = Static<typeof TaskUpdate>

export const TASK_SORTS = ['created_at', '-created_at', 'due_at', '-due_at', 'updated_at', '-updated_at'] as const

export const TaskListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Status),
    contact_id: Type.Optional(ContactIdField),
    deal_id: Type.Optional(DealIdField),
    assignee_id: Type.Optional(UserIdField),
    due_after: Type.Optional(DateTime('Due at or after this instant', '2025-01-01T00:00:00Z')),
    due_before: Type.Optional(DateTime('Due before this instant', '2025-02-01T00:00:00Z')),
    sort: Type.Optional(
      Type.Enum([...TASK_SORTS], {
        default: '-created_at',
        description: 'Sort field; a leading `-` sorts descending. Tasks without a due time sort last',
        examples: ['due_at'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type TaskListQuery = Static<typeof TaskListQuery>

export const TaskList = ListOf(Task)
export const TaskIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Task id', examples: ['t_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
