import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { Deleted } from '../../core/schemas.js'
import { Sender, SenderCreate, SenderIdParams, SenderList, SenderListQuery, SenderUpdate } from './senders.schemas.js'
import type { SendersService } from './senders.service.js'

export function sendersRoutes(senders: SendersService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']

    app.post(
      '/api/v1/senders',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'createSender',
          summary: 'Add a sender',
          description:
            'Adds a from-address the organization may send from (admin scope: adding it states that the organization owns the address). The first sender, or one created with `is_default: true`, becomes the default. An address already added is a 409 `already_exists`.',
          tags,
          body: SenderCreate,
          response: { 201: Sender },
        },
      },
      async (req, reply) => reply.code(201).send(await senders.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/senders',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listSenders',
          summary: 'List senders',
          description: 'The organization’s from-addresses, newest first. Paged.',
          tags,
          querystring: SenderListQuery,
          response: { 200: SenderList },
        },
      },
      async (req) => senders.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/senders/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getSender',
          summary: 'Get a sender',
          description: 'One sender, with an `ETag`.',
          tags,
          params: SenderIdParams,
          response: { 200: Sender },
        },
      },
      async (req) => senders.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/senders/:id',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'updateSender',
          summary: 'Update a sender',
          description:
            'Changes the display name or Reply-To, or makes the sender the default (`is_default: true`; the previous default stops being one). The address itself cannot change: add another sender.',
          tags,
          params: SenderIdParams,
          body: SenderUpdate,
          response: { 200: Sender },
        },
      },
      async (req) => senders.update(req.principal, req.params.id, req.body),
    )

    app.delete(
      '/api/v1/senders/:id',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'deleteSender',
          summary: 'Delete a sender',
          description:
            'Removes the from-address. Messages already queued still go out from it; deleting the default leaves the organization without one until another is made default.',
          tags,
          params: SenderIdParams,
          response: { 200: Deleted(Type.Literal('sender')) },
        },
      },
      async (req) => {
        const deleted = await senders.remove(req.principal, req.params.id)
        return { id: deleted.id, object: 'sender' as const, deleted: true as const }
      },
    )
  }
}
