import { sql } from 'kysely'
import { type PageParams, paginate, type SortSpec } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import type { StoredLineItem } from '../../../db/schema-billing.js'
import { scoped, scopedDelete, scopedUpdate } from '../../../db/scoped.js'
import type { InvoiceListQuery, InvoiceStatus } from './invoices.schemas.js'

export interface InvoiceRow {
  id: string
  sequence: number
  number: string
  contact_id: string | null
  customer_name: string | null
  work_order_id: string | null
  currency: string
  line_items: StoredLineItem[]
  subtotal: number
  total: number
  due_date: string | null
  status: InvoiceStatus
  sent_at: Date | null
  paid_at: Date | null
  voided_at: Date | null
  created_at: Date
  updated_at: Date
}

const COLUMNS = [
  'id',
  'sequence',
  'number',
  'contact_id',
  'customer_name',
  'work_order_id',
  'currency',
  'line_items',
  'subtotal',
  'total',
  'due_date',
  'status',
  'sent_at',
  'paid_at',
  'voided_at',
  'created_at',
  'updated_at',
] as const

export type InvoiceValues = Omit<InvoiceRow, 'id' | 'sequence' | 'number' | 'created_at' | 'updated_at'>

/**
 * Takes the next invoice sequence value of the organization and mode. The upsert locks the counter
 * row until the caller's transaction ends: concurrent creates queue behind it and each gets the
 * next value; a rolled-back create gives its value back, a committed one never does.
 */
export async function nextInvoiceSequence(db: Executor, scope: TenantScope): Promise<number> {
  const row = await db
    .insertInto('invoice_counters')
    .values({ org_id: scope.orgId, livemode: scope.livemode, last_number: 1 })
    .onConflict((oc) =>
      oc.columns(['org_id', 'livemode']).doUpdateSet({ last_number: sql`invoice_counters.last_number + 1` }),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow()
  return row.last_number
}

export async function organizationCurrency(db: Executor, scope: TenantScope): Promise<string> {
  const row = await db
    .selectFrom('organizations')
    .select('currency')
    .where('id', '=', scope.orgId)
    .executeTakeFirstOrThrow()
  return row.currency
}

export async function insertInvoice(
  db: Executor,
  scope: TenantScope,
  invoice: { id: string; sequence: number; number: string },
  values: InvoiceValues,
): Promise<InvoiceRow> {
  const { line_items, ...rest } = values
  return db
    .insertInto('invoices')
    .values({
      ...invoice,
      ...rest,
      org_id: scope.orgId,
      livemode: scope.livemode,
      line_items: JSON.stringify(line_items),
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findInvoice(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<InvoiceRow | undefined> {
  let q = scoped(db, 'invoices', scope).select(COLUMNS).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function updateInvoice(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Partial<InvoiceValues>,
): Promise<InvoiceRow> {
  const { line_items, ...rest } = values
  return scopedUpdate(db, 'invoices', scope)
    .set({
      ...rest,
      ...(line_items ? { line_items: JSON.stringify(line_items) } : {}),
      updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function deleteInvoice(db: Executor, scope: TenantScope, id: string): Promise<void> {
  await scopedDelete(db, 'invoices', scope).where('id', '=', id).execute()
}

const SORTS: Record<string, Omit<SortSpec, 'descending' | 'name'>> = {
  created_at: { expression: sql`created_at`, castTo: 'timestamptz' },
  updated_at: { expression: sql`updated_at`, castTo: 'timestamptz' },
  // 'YYYY-MM-DD' text sorts as the dates do, and round-trips through the cursor as text.
  due_date: { expression: sql`due_date::text`, castTo: 'text', nullable: true },
}

export async function listInvoices(db: Executor, scope: TenantScope, query: InvoiceListQuery & PageParams) {
  let q = scoped(db, 'invoices', scope)
  if (query.status !== undefined) q = q.where('status', '=', query.status)
  if (query.contact_id !== undefined) q = q.where('contact_id', '=', query.contact_id)
  if (query.work_order_id !== undefined) q = q.where('work_order_id', '=', query.work_order_id)
  if (query.due_after !== undefined) q = q.where('due_date', '>=', query.due_after)
  if (query.due_before !== undefined) q = q.where('due_date', '<', query.due_before)
  const sortKey = query.sort ?? '-created_at'
  const name = sortKey.replace(/^-/, '')
  const sort: SortSpec = { ...SORTS[name]!, name, descending: sortKey.startsWith('-') }
  return paginate(q, (qb) => qb.select(COLUMNS), sql<string>`id`, sort, query)
}
