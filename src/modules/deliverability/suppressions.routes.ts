import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import {
  Suppression,
  SuppressionCreate,
  SuppressionIdParams,
  SuppressionList,
  SuppressionListQuery,
} from './suppressions.schemas.js'
import type { SuppressionsService } from './suppressions.service.js'

export function suppressionsRoutes(suppressions: SuppressionsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']

    app.get(
      '/api/v1/suppressions',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listSuppressions',
          summary: 'List suppressed addresses',
          description:
            'Addresses that get no marketing email, with the reason and the evidence (the bounce, its SMTP reply, the counts), newest first. Paged; filter by `reason`.',
          tags,
          querystring: SuppressionListQuery,
          response: { 200: SuppressionList },
        },
      },
      async (req) => suppressions.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/suppressions/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getSuppression',
          summary: 'Get a suppression',
          description: 'One suppression, by its id or by the address.',
          tags,
          params: SuppressionIdParams,
          response: { 200: Suppression },
        },
      },
      async (req) => suppressions.get(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/suppressions',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createSuppression',
          summary: 'Suppress an address',
          description:
            'Suppresses an address by hand (reason `manual`, the note kept as evidence) with `email.suppressed`. An address already suppressed is a 409 `already_exists`.',
          tags,
          body: SuppressionCreate,
          response: { 201: Suppression },
        },
      },
      async (req, reply) => reply.code(201).send(await suppressions.create(req.principal, req.body)),
    )

    app.delete(
      '/api/v1/suppressions/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteSuppression',
          summary: 'Lift a suppression',
          description:
            'Removes the suppression (by id or address) and answers it as it was. Transactional email goes to the address again; its contacts stay `bounced` or `complained` until set `subscribed` with the person’s consent (PUT /api/v1/contacts/{id}/email-subscription).',
          tags,
          params: SuppressionIdParams,
          response: { 200: Suppression },
        },
      },
      async (req) => suppressions.remove(req.principal, req.params.id),
    )
  }
}
