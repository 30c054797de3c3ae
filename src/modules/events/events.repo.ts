import { sql } from 'kysely'
import { type ListResult, type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import { deleteOlderThan } from '../../db/batched-delete.js'
import type { Executor } from '../../db/schema.js'
import { findScoped, scoped } from '../../db/scoped.js'

export interface EventRow {
  id: string
  type: string
  data: Record<string, unknown>
  created_at: Date
}

const EVENT_COLUMNS = ['id', 'type', 'data', 'created_at'] as const

/** The scope's events, without the types the caller may not read (`hidden`). */
function scopedEvents(db: Executor, scope: TenantScope, hidden: readonly string[]) {
  const q = scoped(db, 'events', scope)
  return hidden.length === 0 ? q : q.where(sql<boolean>`type <> all(${[...hidden]}::text[])`)
}

/** One page of the event log, newest first (the `events_recent` index, or `events_type` with a type). */
export async function listEvents(
  db: Executor,
  scope: TenantScope,
  query: { type?: string } & PageParams,
  hidden: readonly string[],
): Promise<ListResult<EventRow>> {
  let q = scopedEvents(db, scope, hidden)
  if (query.type) q = q.where('type', '=', query.type)
  return paginate(
    q,
    (qb) => qb.select(EVENT_COLUMNS),
    sql<string>`id`,
    { name: 'created_at', expression: sql`created_at`, castTo: 'timestamptz', descending: true },
    query,
  )
}

export async function findEvent(
  db: Executor,
  scope: TenantScope,
  id: string,
  hidden: readonly string[],
): Promise<EventRow | undefined> {
  return scopedEvents(db, scope, hidden).select(EVENT_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** When an event of the scope was committed (where a resumed stream starts), whatever its type. */
export async function eventCreatedAt(db: Executor, scope: TenantScope, id: string): Promise<Date | undefined> {
  const row = await findScoped(db, 'events', scope, id, ['created_at'])
  return row?.created_at
}

/** Up to `limit` events of the scope created at or after `since`, oldest first (what a stream polls). */
export async function eventsSince(
  db: Executor,
  scope: TenantScope,
  since: Date,
  limit: number,
  hidden: readonly string[],
): Promise<EventRow[]> {
  return scopedEvents(db, scope, hidden)
    .select(EVENT_COLUMNS)
    .where('created_at', '>=', since)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/**
 * Deletes events older than `days` days, of every organization and mode, 1,000 at a time, through
 * the BRIN index on `created_at` (migration 0035). An event is kept while any delivery of it is
 * (deliveries leave with their own retention, which the events retention is at least): a retry or
 * a recovery sends the event's data again, and the foreign key would otherwise take the delivery,
 * pending or not, with the event.
 */
export function purgeOldEvents(db: Executor, days: number): Promise<number> {
  return deleteOlderThan(db, {
    table: 'events',
    column: 'created_at',
    index: 'events_created_brin',
    days,
    batch: 1000,
    keepIf: sql<boolean>`exists (select from webhook_deliveries d where d.event_id = t.id)`,
  })
}

/** Whether a dashboard session still signs its user in at `now` (not signed out, revoked or expired). */
export async function isSessionLive(db: Executor, sessionId: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select('s.id')
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', now)
    .where('u.password_hash', 'is not', null)
    .executeTakeFirst()
  return row !== undefined
}

/** Whether an API key still works at `now` (not revoked, not expired). */
export async function isKeyLive(db: Executor, keyId: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('api_keys')
    .select('id')
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst()
  return row !== undefined
}
