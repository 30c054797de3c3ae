import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../../core/preconditions.js'
import { Deleted } from '../../../core/schemas.js'
import {
  WorkOrder,
  WorkOrderCreate,
  WorkOrderIdParams,
  WorkOrderList,
  WorkOrderListQuery,
  WorkOrderUpdate,
} from './work-orders.schemas.js'
import type { WorkOrdersService } from './work-orders.service.js'

export function workOrdersRoutes(workOrders: WorkOrdersService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['work orders']

    app.get(
      '/api/v1/work_orders',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listWorkOrders',
          summary: 'List work orders',
          description:
            'Filter by status, contact and scheduled time range, and sort; paged. Newest first unless `sort` says otherwise.',
          tags,
          querystring: WorkOrderListQuery,
          response: { 200: WorkOrderList },
        },
      },
      async (req) => workOrders.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/work_orders',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createWorkOrder',
          summary: 'Create a work order',
          description:
            'Creates a work order (status `scheduled` unless said) and emits `work_order.created`. A `contact_id` that is not a contact of this organization and mode is a 422.',
          tags,
          body: WorkOrderCreate,
          response: { 201: WorkOrder },
        },
      },
      async (req, reply) => reply.code(201).send(await workOrders.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/work_orders/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getWorkOrder',
          summary: 'Get a work order',
          description: 'Answers with an `ETag`; send it back as `If-Match` on PATCH to avoid lost updates.',
          tags,
          params: WorkOrderIdParams,
          response: { 200: WorkOrder },
        },
      },
      async (req) => workOrders.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/work_orders/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'updateWorkOrder',
          summary: 'Update a work order',
          description:
            'Changes the given fields. A status change must be a legal move (`completed` and `cancelled` are final): otherwise 409 `conflict`. Moving to `completed` emits `work_order.completed`. With `If-Match`, applies only if the work order still has that ETag (else 412).',
          tags,
          params: WorkOrderIdParams,
          body: WorkOrderUpdate,
          response: { 200: WorkOrder },
        },
      },
      async (req) => workOrders.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/work_orders/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteWorkOrder',
          summary: 'Delete a work order',
          description:
            'Deletes the work order in any status. Invoices that billed it keep existing with `work_order_id` cleared.',
          tags,
          params: WorkOrderIdParams,
          response: { 200: Deleted(Type.Literal('work_order')) },
        },
      },
      async (req) => {
        const deleted = await workOrders.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'work_order' as const, deleted: true as const }
      },
    )

    app.post(
      '/api/v1/work_orders/:id/complete',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'completeWorkOrder',
          summary: 'Complete a work order',
          description:
            'Moves a `scheduled` or `in_progress` work order to `completed`, stamps `completed_at` and emits `work_order.completed`. A completed or cancelled one is a 409 `conflict`.',
          tags,
          params: WorkOrderIdParams,
          response: { 200: WorkOrder },
        },
      },
      async (req) => workOrders.complete(req.principal, req.params.id, { ifMatch: ifMatchOf(req) }),
    )
  }
}
