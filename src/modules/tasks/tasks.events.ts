import Type from 'typebox'
import { defineEvent, eventAt, eventId, nullable, updatedEventData } from '../../outbox/define.js'
import { Task } from './tasks.schemas.js'

const taskId = eventId('t_01jd3k8m2x7q9v4b6n5t0w1y2z')
const title = Type.String({ description: 'Task title' })

export const taskCreated = defineEvent({
  name: 'task.created',
  description: 'A task was created',
  data: Type.Object({
    id: taskId,
    title,
    due_at: nullable(eventAt('Due time')),
    assignee_id: nullable(Type.String({ description: 'Assigned user' })),
  }),
})

export const taskUpdated = defineEvent({
  name: 'task.updated',
  description: 'Fields of a task changed',
  data: updatedEventData('t_01jd3k8m2x7q9v4b6n5t0w1y2z'),
})

export const taskCompleted = defineEvent({
  name: 'task.completed',
  description: 'A task was completed',
  data: Type.Object({
    id: taskId,
    title,
    completed_by: nullable(
      Type.String({
        description:
          'Who completed it: the person (dashboard user, or the user who created the API key) when there is one, else the API key',
        examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
      }),
    ),
  }),
})

export const taskDeleted = defineEvent({
  name: 'task.deleted',
  description: 'A task was deleted; `data` is the task as it was',
  data: Task,
})

export const TASK_EVENTS = [taskCreated, taskUpdated, taskCompleted, taskDeleted] as const
