import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import { Task, TaskCreate, TaskIdParams, TaskList, TaskListQuery, TaskUpdate } from './tasks.schemas.js'
import type { TasksService } from './tasks.service.js'

export function tasksRoutes(tasks: TasksService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['tasks']

    app.get(
      '/api/v1/tasks',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listTasks',
          summary: 'List tasks',
          description:
            'Filter tasks by status, due time, contact, deal or assignee, and sort them (by default newest first); paged.',
          tags,
          querystring: TaskListQuery,
          response: { 200: TaskList },
        },
      },
      async (req) => tasks.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/tasks',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createTask',
          summary: 'Create a task',
          description:
            'Creates a task and emits `task.created`. `contact_id`, `deal_id` and `assignee_id` must name objects of your organization (and mode), else 422 naming the field.',
          tags,
          body: TaskCreate,
          response: { 201: Task },
        },
      },
      async (req, reply) => reply.code(201).send(await tasks.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/tasks/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getTask',
          summary: 'Get a task',
          description: 'Answers with an `ETag`; send it back as `If-Match` on PATCH or DELETE to avoid lost updates.',
          tags,
          params: TaskIdParams,
          response: { 200: Task },
        },
      },
      async (req) => tasks.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/tasks/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'updateTask',
          summary: 'Update a task',
          description:
            'Changes the given fields and emits `task.updated` with the changed fields. `status: completed` sets `completed_at` and `completed_by` and also emits `task.completed`; `status: open` reopens the task. With `If-Match`, applies only if the task still has that ETag (else 412 `precondition_failed`).',
          tags,
          params: TaskIdParams,
          body: TaskUpdate,
          response: { 200: Task },
        },
      },
      async (req) => tasks.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.post(
      '/api/v1/tasks/:id/complete',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'completeTask',
          summary: 'Complete a task',
          description:
            'Marks the task completed (as `PATCH {"status":"completed"}`): sets `completed_at` and `completed_by` (the person acting: the dashboard user, or the user who created the API key; else the key) and emits `task.updated` and `task.completed`. Completing a completed task changes nothing and emits nothing.',
          tags,
          params: TaskIdParams,
          response: { 200: Task },
        },
      },
      async (req) => tasks.complete(req.principal, req.params.id, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/tasks/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteTask',
          summary: 'Delete a task',
          description:
            'Deletes the task and emits `task.deleted` with the task as it was. With `If-Match`, only if the task still has that ETag (else 412).',
          tags,
          params: TaskIdParams,
          response: { 200: Deleted(Type.Literal('task')) },
        },
      },
      async (req) => {
        const deleted = await tasks.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'task' as const, deleted: true as const }
      },
    )
  }
}
