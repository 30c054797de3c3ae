import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import { Deal, DealCreate, DealIdParams, DealList, DealListQuery, DealUpdate } from './deals.schemas.js'
import type { DealsService } from './deals.service.js'

export function dealsRoutes(deals: DealsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['deals']

    app.get(
      '/api/v1/deals',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listDeals',
          summary: 'List deals',
          description:
            'Filter deals by pipeline, stage, status, contact, owner, currency, value range, creation time and expected close date; search titles; sort; paged.',
          tags,
          querystring: DealListQuery,
          response: { 200: DealList },
        },
      },
      async (req) => deals.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/deals',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createDeal',
          summary: 'Create a deal',
          description:
            'Creates a deal and emits `deal.created` (and `deal.won` or `deal.lost` when it starts closed). Without `pipeline_id` or `stage_id` it goes to the default pipeline’s first open stage; a `stage_id` alone implies its pipeline. `contact_id` and `owner_id` must exist in the organization (else 422 naming the field).',
          tags,
          body: DealCreate,
          response: { 201: Deal },
        },
      },
      async (req, reply) => reply.code(201).send(await deals.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/deals/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getDeal',
          summary: 'Get a deal',
          description: 'Answers with an `ETag`; send it back as `If-Match` on PATCH or DELETE to avoid lost updates.',
          tags,
          params: DealIdParams,
          response: { 200: Deal },
        },
      },
      async (req) => deals.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/deals/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'updateDeal',
          summary: 'Update a deal',
          description:
            'Changes the given fields and emits `deal.updated` with the changed fields, plus `deal.stage_changed` when the stage changed and `deal.won` / `deal.lost` when the deal closed. Stage and status stay consistent (see the status field). A stage of another pipeline without a matching `pipeline_id` is a 422. With `If-Match`, applies only if the deal still has that ETag (else 412 `precondition_failed`).',
          tags,
          params: DealIdParams,
          body: DealUpdate,
          response: { 200: Deal },
        },
      },
      async (req) => deals.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/deals/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteDeal',
          summary: 'Delete a deal',
          description:
            'Deletes the deal and emits `deal.deleted`. With `If-Match`, deletes only if the deal still has that ETag (else 412).',
          tags,
          params: DealIdParams,
          response: { 200: Deleted(Type.Literal('deal')) },
        },
      },
      async (req) => {
        const deleted = await deals.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'deal' as const, deleted: true as const }
      },
    )
  }
}
