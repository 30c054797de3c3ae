import { type Insertable, type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import type { CallbacksTable } from '../../../db/schema-leads.js'
import { findScoped, scoped, updateScopedReturning } from '../../../db/scoped.js'
import { NEWEST_FIRST } from '../schema-parts.js'
import type { CallbackListQuery } from './callbacks.schemas.js'

export type CallbackRow = Omit<Selectable<CallbacksTable>, 'org_id' | 'livemode'>
const COLUMNS = [
  'id',
  'contact_id',
  'form_response_id',
  'team_id',
  'task_id',
  'phone',
  'preferred_time',
  'status',
  'completed_at',
  'created_at',
  'updated_at',
] as const

export async function insertCallback(
  db: Executor,
  scope: TenantScope,
  row: Omit<Insertable<CallbacksTable>, 'org_id' | 'livemode'>,
): Promise<void> {
  await db
    .insertInto('callbacks')
    .values({ ...row, org_id: scope.orgId, livemode: scope.livemode })
    .execute()
}

export function findCallback(db: Executor, scope: TenantScope, id: string, opts: { forUpdate?: boolean } = {}) {
  return findScoped(db, 'callbacks', scope, id, COLUMNS, opts)
}

export function listCallbacks(db: Executor, scope: TenantScope, query: CallbackListQuery & PageParams) {
  let q = scoped(db, 'callbacks', scope)
  if (query.status !== undefined) q = q.where('status', '=', query.status)
  if (query.contact_id !== undefined) q = q.where('contact_id', '=', query.contact_id)
  if (query.team_id !== undefined) q = q.where('team_id', '=', query.team_id)
  if (query.created_after !== undefined) q = q.where('created_at', '>=', new Date(query.created_after))
  if (query.created_before !== undefined) q = q.where('created_at', '<', new Date(query.created_before))
  return paginate(
    q,
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}

/** Marks the callback completed now; the caller holds its lock, so it exists. */
export async function markCallbackCompleted(db: Executor, scope: TenantScope, id: string): Promise<CallbackRow> {
  const row = await updateScopedReturning(
    db,
    'callbacks',
    scope,
    id,
    {
      status: 'completed',
      completed_at: sql`now()`,
      updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
    },
    COLUMNS,
  )
  if (!row) throw new Error(`Callback ${id} vanished under its lock`)
  return row
}
