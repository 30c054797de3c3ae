import { sql } from 'kysely'
import { type PageParams, paginate, type SortSpec } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import { scoped, scopedDelete, scopedUpdate } from '../../../db/scoped.js'
import type { WorkOrderListQuery, WorkOrderStatus } from './work-orders.schemas.js'

export interface WorkOrderRow {
  id: string
  title: string
  description: string | null
  contact_id: string | null
  scheduled_at: Date | null
  status: WorkOrderStatus
  completed_at: Date | null
  cancelled_at: Date | null
  created_at: Date
  updated_at: Date
}

const COLUMNS = [
  'id',
  'title',
  'description',
  'contact_id',
  'scheduled_at',
  'status',
  'completed_at',
  'cancelled_at',
  'created_at',
  'updated_at',
] as const

export type WorkOrderValues = Omit<WorkOrderRow, 'id' | 'created_at' | 'updated_at'>

export async function insertWorkOrder(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: WorkOrderValues,
): Promise<WorkOrderRow> {
  return db
    .insertInto('work_orders')
    .values({ id, org_id: scope.orgId, livemode: scope.livemode, ...values })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findWorkOrder(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<WorkOrderRow | undefined> {
  let q = scoped(db, 'work_orders', scope).select(COLUMNS).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function updateWorkOrder(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Partial<WorkOrderValues>,
): Promise<WorkOrderRow> {
  return scopedUpdate(db, 'work_orders', scope)
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function deleteWorkOrder(db: Executor, scope: TenantScope, id: string): Promise<WorkOrderRow | undefined> {
  return scopedDelete(db, 'work_orders', scope).where('id', '=', id).returning(COLUMNS).executeTakeFirst()
}

const SORTS: Record<string, Omit<SortSpec, 'descending' | 'name'>> = {
  created_at: { expression: sql`created_at`, castTo: 'timestamptz' },
  updated_at: { expression: sql`updated_at`, castTo: 'timestamptz' },
  scheduled_at: { expression: sql`scheduled_at`, castTo: 'timestamptz', nullable: true },
}

export async function listWorkOrders(db: Executor, scope: TenantScope, query: WorkOrderListQuery & PageParams) {
  let q = scoped(db, 'work_orders', scope)
  if (query.status !== undefined) q = q.where('status', '=', query.status)
  if (query.contact_id !== undefined) q = q.where('contact_id', '=', query.contact_id)
  if (query.scheduled_after !== undefined) q = q.where('scheduled_at', '>=', new Date(query.scheduled_after))
  if (query.scheduled_before !== undefined) q = q.where('scheduled_at', '<', new Date(query.scheduled_before))
  const sortKey = query.sort ?? '-created_at'
  const name = sortKey.replace(/^-/, '')
  const sort: SortSpec = { ...SORTS[name]!, name, descending: sortKey.startsWith('-') }
  return paginate(q, (qb) => qb.select(COLUMNS), sql<string>`id`, sort, query)
}
