import { sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import { deleteOlderThan } from '../../db/batched-delete.js'
import type { Executor } from '../../db/schema.js'
import { scoped, scopedUpdate } from '../../db/scoped.js'
import { DELIVERIES_CHANNEL } from '../../outbox/emit.js'

const DELIVERY_COLUMNS = [
  'id',
  'endpoint_id',
  'event_id',
  'event_type',
  'status',
  'attempt_count',
  'next_attempt_at',
  'last_attempt_at',
  'last_status_code',
  'last_error',
  'created_at',
] as const

export type DeliveryRow = {
  id: string
  endpoint_id: string
  event_id: string
  event_type: string
  status: 'pending' | 'succeeded' | 'failed'
  attempt_count: number
  next_attempt_at: Date
  last_attempt_at: Date | null
  last_status_code: number | null
  last_error: string | null
  created_at: Date
}

export async function listDeliveries(
  db: Executor,
  scope: TenantScope,
  endpointId: string,
  query: PageParams & { status?: string; event?: string },
) {
  let q = scoped(db, 'webhook_deliveries', scope).where('endpoint_id', '=', endpointId)
  if (query.status) q = q.where('status', '=', query.status as DeliveryRow['status'])
  if (query.event) q = q.where('event_type', '=', query.event)
  return paginate(
    q,
    (qb) => qb.select(DELIVERY_COLUMNS),
    sql<string>`id`,
    {
      name: 'created_at',
      expression: sql`created_at`,
      castTo: 'timestamptz',
      descending: true,
    },
    query,
  )
}

export async function findDelivery(db: Executor, scope: TenantScope, id: string): Promise<DeliveryRow | undefined> {
  return scoped(db, 'webhook_deliveries', scope).select(DELIVERY_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function attemptsOf(db: Executor, deliveryId: string) {
  return db
    .selectFrom('webhook_attempts')
    .select([
      'id',
      'attempt_number',
      'started_at',
      'duration_ms',
      'status_code',
      'response_body',
      'error',
      'next_attempt_at',
      'request_headers',
      'request_body',
      'response_headers',
    ])
    .where('delivery_id', '=', deliveryId)
    .orderBy('attempt_number')
    .execute()
}

/** Makes deliveries due now (outside the schedule) and wakes the workers. */
export async function requeue(
  db: Executor,
  scope: TenantScope,
  where: { deliveryId: string } | { endpointId: string; failedSince: Date },
): Promise<number> {
  let q = scopedUpdate(db, 'webhook_deliveries', scope).set({
    status: 'pending',
    next_attempt_at: new Date(),
    lease_expires_at: null,
    leased_by: null,
    updated_at: new Date(),
  })
  q =
    'deliveryId' in where
      ? q.where('id', '=', where.deliveryId)
      : q
          .where('endpoint_id', '=', where.endpointId)
          .where('status', '=', 'failed')
          .where('created_at', '>=', where.failedSince)
  const result = await q.executeTakeFirst()
  const count = Number(result.numUpdatedRows)
  if (count > 0) await sql`select pg_notify(${DELIVERIES_CHANNEL}, 'requeued')`.execute(db)
  return count
}

export async function deliveryOfEvent(db: Executor, endpointId: string, eventId: string) {
  return db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('endpoint_id', '=', endpointId)
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow()
}

type Counts = { succeeded: number; failed: number; pending: number }

/** Delivery counts by status over 24 h and 7 days, and the last success and failure. */
export async function endpointStats(db: Executor, endpointId: string) {
  const rows = await sql<{ period: string; status: string; n: number }>`
    select p.period, d.status, count(*)::int as n
    from webhook_deliveries d
    cross join (values ('24h', interval '24 hours'), ('7d', interval '7 days')) as p(period, span)
    where d.endpoint_id = ${endpointId} and d.created_at >= now() - p.span
    group by p.period, d.status`.execute(db)
  const counts = (period: string): Counts => {
    const c: Counts = { succeeded: 0, failed: 0, pending: 0 }
    for (const r of rows.rows) if (r.period === period) c[r.status as keyof Counts] = r.n
    return c
  }
  const last = await sql<{ success: Date | null; failure: Date | null }>`
    select
      max(started_at) filter (where status_code between 200 and 299) as success,
      max(started_at) filter (where status_code is null or status_code not between 200 and 299) as failure
    from webhook_attempts where endpoint_id = ${endpointId}`.execute(db)
  return {
    last_24h: counts('24h'),
    last_7d: counts('7d'),
    last_success_at: last.rows[0]?.success ?? null,
    last_failure_at: last.rows[0]?.failure ?? null,
  }
}

/**
 * Deletes deliveries (and, by cascade, their attempts) older than `days`, 1,000 at a time, through
 * the BRIN index on `created_at` (migration 0022).
 */
export function purgeOldDeliveries(db: Executor, days: number): Promise<number> {
  return deleteOlderThan(db, {
    table: 'webhook_deliveries',
    column: 'created_at',
    index: 'webhook_deliveries_created_brin',
    days,
    batch: 1000,
  })
}
