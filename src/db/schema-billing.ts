import type { ColumnType } from 'kysely'
import type { CalendarDate, Json, Timestamp } from './columns.js'

/** A `bigint` column holding minor units or a count: read as a JS number (every value is ≤ 2^53 - 1). */
type Int8 = ColumnType<number, number, number>

export interface WorkOrdersTable {
  id: string
  org_id: string
  livemode: boolean
  title: string
  description: string | null
  contact_id: string | null
  scheduled_at: Timestamp | null
  status: ColumnType<
    'scheduled' | 'in_progress' | 'completed' | 'cancelled',
    'scheduled' | 'in_progress' | 'completed' | 'cancelled' | undefined
  >
  completed_at: Timestamp | null
  cancelled_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface InvoiceCountersTable {
  org_id: string
  livemode: boolean
  last_number: Int8
}

/** One line of an invoice as stored in `invoices.line_items`. */
export interface StoredLineItem {
  description: string
  quantity: number
  unit_amount: number
  amount: number
}

export interface InvoicesTable {
  id: string
  org_id: string
  livemode: boolean
  sequence: Int8
  number: string
  contact_id: string | null
  customer_name: string | null
  work_order_id: string | null
  currency: string
  line_items: Json<StoredLineItem[]>
  subtotal: Int8
  total: Int8
  due_date: CalendarDate | null
  status: ColumnType<'draft' | 'sent' | 'paid' | 'void', 'draft' | 'sent' | 'paid' | 'void' | undefined>
  sent_at: Timestamp | null
  paid_at: Timestamp | null
  voided_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** Tables of work orders and invoices (migration 0005). */
export interface BillingTables {
  work_orders: WorkOrdersTable
  invoice_counters: InvoiceCountersTable
  invoices: InvoicesTable
}
