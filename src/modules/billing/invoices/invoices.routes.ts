import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../../core/preconditions.js'
import { Deleted } from '../../../core/schemas.js'
import {
  Invoice,
  InvoiceCreate,
  InvoiceIdParams,
  InvoiceList,
  InvoiceListQuery,
  InvoiceUpdate,
} from './invoices.schemas.js'
import type { InvoicesService } from './invoices.service.js'

const IF_MATCH_NOTE = 'With `If-Match`, applies only if the invoice still has that ETag (else 412).'

export function invoicesRoutes(invoices: InvoicesService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['invoices']

    app.get(
      '/api/v1/invoices',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listInvoices',
          summary: 'List invoices',
          description:
            'Filter by status, contact, work order and due date range, and sort; paged. Newest first unless `sort` says otherwise.',
          tags,
          querystring: InvoiceListQuery,
          response: { 200: InvoiceList },
        },
      },
      async (req) => invoices.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/invoices',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createInvoice',
          summary: 'Create a draft invoice',
          description:
            'Creates a `draft` with the next number of the organization and mode (`INV-000001`, …). Line amounts and totals are computed by the server in integer minor units; a total above 2^53 - 1 is a 422. `currency` defaults to the organization’s. A `contact_id` or `work_order_id` not of this organization and mode is a 422 naming the field.',
          tags,
          body: InvoiceCreate,
          response: { 201: Invoice },
        },
      },
      async (req, reply) => reply.code(201).send(await invoices.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/invoices/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getInvoice',
          summary: 'Get an invoice',
          description: 'Answers with an `ETag`; send it back as `If-Match` on PATCH to avoid lost updates.',
          tags,
          params: InvoiceIdParams,
          response: { 200: Invoice },
        },
      },
      async (req) => invoices.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/invoices/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'updateInvoice',
          summary: 'Update a draft invoice',
          description: `Changes the given fields of a draft; \`line_items\` replaces the list and recomputes the totals. Any other status is a 409 \`conflict\`. ${IF_MATCH_NOTE}`,
          tags,
          params: InvoiceIdParams,
          body: InvoiceUpdate,
          response: { 200: Invoice },
        },
      },
      async (req) => invoices.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/invoices/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteInvoice',
          summary: 'Delete a draft invoice',
          description:
            'Deletes a draft; its number is not handed out again. Sent, paid and void invoices are kept: 409 `conflict` (void a sent invoice instead).',
          tags,
          params: InvoiceIdParams,
          response: { 200: Deleted(Type.Literal('invoice')) },
        },
      },
      async (req) => {
        const deleted = await invoices.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'invoice' as const, deleted: true as const }
      },
    )

    const action = (
      path: string,
      operationId: string,
      summary: string,
      description: string,
      run: (scope: { orgId: string; livemode: boolean }, id: string, opts: { ifMatch?: string }) => Promise<Invoice>,
    ) =>
      app.post(
        `/api/v1/invoices/:id/${path}`,
        {
          config: { scope: 'write', etag: true },
          schema: {
            operationId,
            summary,
            description: `${description} ${IF_MATCH_NOTE}`,
            tags,
            params: InvoiceIdParams,
            response: { 200: Invoice },
          },
        },
        async (req) => run(req.principal, req.params.id, { ifMatch: ifMatchOf(req) }),
      )

    action(
      'send',
      'sendInvoice',
      'Send an invoice',
      'Moves a `draft` to `sent`, stamps `sent_at` and emits `invoice.sent`. A draft without line items is a 422 naming `line_items`; any other status is a 409 `conflict`.',
      (scope, id, opts) => invoices.send(scope, id, opts),
    )
    action(
      'mark_paid',
      'markInvoicePaid',
      'Mark an invoice paid',
      'Moves a `sent` invoice to `paid`, stamps `paid_at` and emits `invoice.paid`. Any other status is a 409 `conflict`.',
      (scope, id, opts) => invoices.markPaid(scope, id, opts),
    )
    action(
      'void',
      'voidInvoice',
      'Void an invoice',
      'Moves a `draft` or `sent` invoice to `void` and stamps `voided_at`; it stays listed with its number. A paid or void invoice is a 409 `conflict`.',
      (scope, id, opts) => invoices.void(scope, id, opts),
    )
  }
}
