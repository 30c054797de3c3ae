import type { RouteContract } from '../contract.js'
import type { TestApp } from '../harness.js'

const as = (key: string) => ({ authorization: `Bearer ${key}` })
const LINE = { description: 'Call-out fee', quantity: 1, unit_amount: 6000 }

const newWorkOrder = async (h: TestApp, key: string) =>
  (await h.api('POST', '/api/v1/work_orders', { title: 'Contract visit' }, as(key))).json().id as string
const newDraft = async (h: TestApp, key: string) =>
  (await h.api('POST', '/api/v1/invoices', { line_items: [LINE] }, as(key))).json().id as string
const newSentInvoice = async (h: TestApp, key: string) => {
  const id = await newDraft(h, key)
  await h.api('POST', `/api/v1/invoices/${id}/send`, undefined, as(key))
  return id
}

/** The authenticated routes of the billing module, checked by the shared route contract. */
export const BILLING_ROUTES: RouteContract[] = [
  { method: 'GET', path: '/api/v1/work_orders', scope: 'read' },
  { method: 'POST', path: '/api/v1/work_orders', scope: 'write', body: { title: 'Contract visit' } },
  { method: 'GET', path: '/api/v1/work_orders/:id', scope: 'read', create: newWorkOrder },
  {
    method: 'PATCH',
    path: '/api/v1/work_orders/:id',
    scope: 'write',
    body: { status: 'in_progress' },
    create: newWorkOrder,
  },
  { method: 'DELETE', path: '/api/v1/work_orders/:id', scope: 'write', create: newWorkOrder },
  { method: 'POST', path: '/api/v1/work_orders/:id/complete', scope: 'write', create: newWorkOrder },
  { method: 'GET', path: '/api/v1/invoices', scope: 'read' },
  { method: 'POST', path: '/api/v1/invoices', scope: 'write', body: { line_items: [LINE] } },
  { method: 'GET', path: '/api/v1/invoices/:id', scope: 'read', create: newDraft },
  { method: 'PATCH', path: '/api/v1/invoices/:id', scope: 'write', body: { due_date: '2026-03-31' }, create: newDraft },
  { method: 'DELETE', path: '/api/v1/invoices/:id', scope: 'write', create: newDraft },
  { method: 'POST', path: '/api/v1/invoices/:id/send', scope: 'write', create: newDraft },
  { method: 'POST', path: '/api/v1/invoices/:id/mark_paid', scope: 'write', create: newSentInvoice },
  { method: 'POST', path: '/api/v1/invoices/:id/void', scope: 'write', create: newDraft },
]
