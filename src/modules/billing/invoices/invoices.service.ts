import { minorToMajor, normalizeCurrency } from '../../../core/currency.js'
import { ApiError } from '../../../core/errors.js'
import type { PageParams } from '../../../core/pagination.js'
import { assertIfMatch } from '../../../core/preconditions.js'
import type { TenantScope } from '../../../core/tenancy.js'
import { assertLinked } from '../../../db/links.js'
import type { Db, Executor } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import { isoOrNull as iso } from '../../../lib/clock.js'
import { newId } from '../../../lib/ids.js'
import { emit } from '../../../outbox/emit.js'
import { invoicePaid, invoiceSent, invoiceVoided } from '../billing.events.js'
import { lockLinkedContact } from '../links.repo.js'
import {
  deleteInvoice,
  findInvoice,
  type InvoiceRow,
  type InvoiceValues,
  insertInvoice,
  listInvoices,
  nextInvoiceSequence,
  organizationCurrency,
  updateInvoice,
} from './invoices.repo.js'
import type { Invoice, InvoiceCreate, InvoiceListQuery, InvoiceStatus, InvoiceUpdate } from './invoices.schemas.js'
import { formatInvoiceNumber, priceLineItems } from './money.js'

export function toInvoice(row: InvoiceRow): Invoice {
  return {
    id: row.id,
    object: 'invoice',
    number: row.number,
    status: row.status,
    contact_id: row.contact_id,
    customer_name: row.customer_name,
    work_order_id: row.work_order_id,
    currency: row.currency,
    // jsonb keeps keys in its own order: rebuild each line in the documented one.
    line_items: row.line_items.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unit_amount: l.unit_amount,
      amount: l.amount,
    })),
    subtotal: row.subtotal,
    total: row.total,
    due_date: row.due_date,
    sent_at: iso(row.sent_at),
    paid_at: iso(row.paid_at),
    voided_at: iso(row.voided_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Invoice ${id} not found`)
}

/** 409 unless the invoice is in one of `allowed`. */
function assertStatus(row: InvoiceRow, allowed: readonly InvoiceStatus[], action: string): void {
  if (!allowed.includes(row.status)) {
    throw new ApiError(
      'conflict',
      `Invoice ${row.number} is ${row.status}: only ${allowed.join(' or ')} invoices can be ${action}`,
    )
  }
}

export class InvoicesService {
  constructor(private readonly db: Db) {}

  /** Creates a draft with the next number of the organization and mode. */
  async create(scope: TenantScope, input: InvoiceCreate): Promise<Invoice> {
    if (input.currency !== undefined) normalizeCurrency(input.currency)
    const priced = priceLineItems(input.line_items ?? [])
    return inTransaction(this.db, async (tx) => {
      const customerName =
        input.contact_id === undefined ? null : (await lockLinkedContact(tx, scope, input.contact_id)).displayName
      if (input.work_order_id !== undefined)
        await assertLinked(tx, scope, 'work_orders', input.work_order_id, 'work_order_id')
      const currency = input.currency ?? (await organizationCurrency(tx, scope))
      // Taken last, so the counter row stays locked for as short a time as possible.
      const sequence = await nextInvoiceSequence(tx, scope)
      const row = await insertInvoice(
        tx,
        scope,
        { id: newId('invoice'), sequence, number: formatInvoiceNumber(sequence) },
        {
          contact_id: input.contact_id ?? null,
          customer_name: customerName,
          work_order_id: input.work_order_id ?? null,
          currency,
          line_items: priced.lineItems,
          subtotal: priced.subtotal,
          total: priced.total,
          due_date: input.due_date ?? null,
          status: 'draft',
          sent_at: null,
          paid_at: null,
          voided_at: null,
        },
      )
      return toInvoice(row)
    })
  }

  async get(scope: TenantScope, id: string): Promise<Invoice> {
    const row = await findInvoice(this.db, scope, id)
    if (!row) throw notFound(id)
    return toInvoice(row)
  }

  list(scope: TenantScope, query: InvoiceListQuery & PageParams) {
    return listInvoices(this.db, scope, query).then((page) => ({ ...page, data: page.data.map(toInvoice) }))
  }

  /** Changes a draft (409 for any other status); new line items recompute the totals. */
  async update(scope: TenantScope, id: string, input: InvoiceUpdate, opts: { ifMatch?: string } = {}) {
    if (input.currency !== undefined) normalizeCurrency(input.currency)
    const priced = input.line_items === undefined ? undefined : priceLineItems(input.line_items)
    return inTransaction(this.db, async (tx) => {
      const current = await this.lockForChange(tx, scope, id, opts.ifMatch)
      assertStatus(current, ['draft'], 'changed')
      const patch: Partial<InvoiceValues> = {}
      if (input.contact_id !== undefined && input.contact_id !== current.contact_id) {
        patch.contact_id = input.contact_id
        patch.customer_name =
          input.contact_id === null ? null : (await lockLinkedContact(tx, scope, input.contact_id)).displayName
      }
      if (input.work_order_id !== undefined && input.work_order_id !== current.work_order_id) {
        if (input.work_order_id !== null)
          await assertLinked(tx, scope, 'work_orders', input.work_order_id, 'work_order_id')
        patch.work_order_id = input.work_order_id
      }
      if (input.currency !== undefined && input.currency !== current.currency) patch.currency = input.currency
      if (input.due_date !== undefined && input.due_date !== current.due_date) patch.due_date = input.due_date
      if (priced && JSON.stringify(priced.lineItems) !== JSON.stringify(toInvoice(current).line_items)) {
        patch.line_items = priced.lineItems
        patch.subtotal = priced.subtotal
        patch.total = priced.total
      }
      if (Object.keys(patch).length === 0) return toInvoice(current)
      return toInvoice(await updateInvoice(tx, scope, id, patch))
    })
  }

  /** Deletes a draft (409 for any other status: void it instead). Its number is not reused. */
  async remove(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Invoice> {
    return inTransaction(this.db, async (tx) => {
      const current = await this.lockForChange(tx, scope, id, opts.ifMatch)
      assertStatus(current, ['draft'], 'deleted')
      await deleteInvoice(tx, scope, id)
      return toInvoice(current)
    })
  }

  /** draft → sent; needs at least one line item (422 naming `line_items`). Emits `invoice.sent`. */
  async send(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Invoice> {
    return inTransaction(this.db, async (tx) => {
      const current = await this.lockForChange(tx, scope, id, opts.ifMatch)
      assertStatus(current, ['draft'], 'sent')
      if (current.line_items.length === 0) {
        throw new ApiError('validation_failed', `Invoice ${current.number} has no line items to send`, {
          details: [{ field: 'line_items', message: 'Add at least one line item before sending' }],
        })
      }
      const invoice = toInvoice(await updateInvoice(tx, scope, id, { status: 'sent', sent_at: new Date() }))
      await emit(tx, scope, invoiceSent, {
        id: invoice.id,
        number: invoice.number,
        total: minorToMajor(invoice.total, invoice.currency),
        currency: invoice.currency,
        sent_at: invoice.sent_at!,
      })
      return invoice
    })
  }

  /** sent → paid. Emits `invoice.paid`. */
  async markPaid(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Invoice> {
    return inTransaction(this.db, async (tx) => {
      const current = await this.lockForChange(tx, scope, id, opts.ifMatch)
      assertStatus(current, ['sent'], 'marked paid')
      const invoice = toInvoice(await updateInvoice(tx, scope, id, { status: 'paid', paid_at: new Date() }))
      await emit(tx, scope, invoicePaid, {
        id: invoice.id,
        number: invoice.number,
        total: minorToMajor(invoice.total, invoice.currency),
        currency: invoice.currency,
        paid_at: invoice.paid_at!,
      })
      return invoice
    })
  }

  /** draft | sent → void: kept for the record, never payable again. Emits `invoice.voided`. */
  async void(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Invoice> {
    return inTransaction(this.db, async (tx) => {
      const current = await this.lockForChange(tx, scope, id, opts.ifMatch)
      assertStatus(current, ['draft', 'sent'], 'voided')
      const invoice = toInvoice(await updateInvoice(tx, scope, id, { status: 'void', voided_at: new Date() }))
      await emit(tx, scope, invoiceVoided, {
        id: invoice.id,
        number: invoice.number,
        total: minorToMajor(invoice.total, invoice.currency),
        currency: invoice.currency,
        voided_at: invoice.voided_at!,
      })
      return invoice
    })
  }

  private async lockForChange(tx: Executor, scope: TenantScope, id: string, ifMatch: string | undefined) {
    const current = await findInvoice(tx, scope, id, { forUpdate: true })
    if (!current) throw notFound(id)
    assertIfMatch(ifMatch, toInvoice(current))
    return current
  }
}
