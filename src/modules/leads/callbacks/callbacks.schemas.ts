import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../../core/pagination.js'
import { CreatedRange, DateTime, IdParams, nullable } from '../schema-parts.js'

const Id = (description: string, example: string) => Type.String({ description, examples: [example] })

export const Callback = Type.Object(
  {
    id: Id('Callback id', 'cb_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    object: Type.Literal('callback', { description: 'Always `callback`' }),
    contact_id: Id('Who to call back', 'c_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    form_response_id: nullable(
      Id('The form response', 'fr_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      'The form response that asked for it; null once deleted',
    ),
    team_id: nullable(
      Id('The team', 'team_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      'The team that handles it (the form’s first team); null if none',
    ),
    task_id: nullable(
      Id('The task', 't_01jd3k8m2x7q9v4b6n5t0w1y2z'),
      'The task scheduled for it, due at the preferred time',
    ),
    phone: nullable(Type.String({ description: 'Number to call', examples: ['+1234567890'] }), 'The number to call'),
    preferred_time: nullable(
      DateTime('When the person would like the call'),
      'When the person would like the call; null for as soon as possible',
    ),
    status: Type.Enum(['scheduled', 'completed'], {
      description: 'scheduled until someone completes it',
      examples: ['scheduled'],
    }),
    completed_at: nullable(DateTime('When it was completed'), 'When it was completed; null while scheduled'),
    created_at: DateTime('When it was requested'),
    updated_at: DateTime('When it last changed'),
  },
  {
    description: 'A "call me back" request from a form response',
    examples: [
      {
        id: 'cb_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'callback',
        contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
        form_response_id: 'fr_01jd3k8m2x7q9v4b6n5t0w1y2z',
        team_id: null,
        task_id: 't_01jd3k8m2x7q9v4b6n5t0w1y2z',
        phone: '+1234567890',
        preferred_time: '2025-01-16T14:00:00.000Z',
        status: 'scheduled',
        completed_at: null,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Callback = Static<typeof Callback>

export const CallbackListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.Enum(['scheduled', 'completed'], { description: 'Only callbacks in this status' })),
    contact_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only callbacks of this contact' })),
    team_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only callbacks of this team' })),
    ...CreatedRange,
  },
  { additionalProperties: false },
)
export type CallbackListQuery = Static<typeof CallbackListQuery>

export const CallbackList = ListOf(Callback)
export const CallbackIdParams = IdParams('Callback', 'cb_01jd3k8m2x7q9v4b6n5t0w1y2z')
