import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Callback, CallbackIdParams, CallbackList, CallbackListQuery } from './callbacks.schemas.js'
import type { CallbacksService } from './callbacks.service.js'

export function callbacksRoutes(callbacks: CallbacksService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['callbacks']

    app.get(
      '/api/v1/callbacks',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listCallbacks',
          summary: 'List callbacks',
          description:
            'The "call me back" requests, newest first; filter by status, contact, team and creation time. Paged.',
          tags,
          querystring: CallbackListQuery,
          response: { 200: CallbackList },
        },
      },
      async (req) => callbacks.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/callbacks/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getCallback',
          summary: 'Get a callback',
          description: 'One callback request, with an `ETag`.',
          tags,
          params: CallbackIdParams,
          response: { 200: Callback },
        },
      },
      async (req) => callbacks.get(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/callbacks/:id/complete',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'completeCallback',
          summary: 'Complete a callback',
          description:
            'Marks the callback done and completes its task; emits `task.completed` and `callback.completed`. An already completed callback is a 409 `conflict`.',
          tags,
          params: CallbackIdParams,
          response: { 200: Callback },
        },
      },
      async (req) => callbacks.complete(req.principal, req.params.id),
    )
  }
}
