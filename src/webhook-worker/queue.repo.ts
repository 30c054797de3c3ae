import { sql } from 'kysely'
import type { Db, Executor } from '../db/schema.js'
import { inTransaction } from '../db/transaction.js'
import { newId } from '../lib/ids.js'
import { emit } from '../outbox/emit.js'
import { webhookEndpointDisabled } from './worker.events.js'

export interface ClaimedDelivery {
  id: string
  org_id: string
  livemode: boolean
  endpoint_id: string
  event_id: string
  event_type: string
  attempt_count: number
  url: string
  secret_encrypted: string
  previous_secret_encrypted: string | null
  previous_secret_expires_at: Date | null
  event_data: Record<string, unknown>
  event_created_at: Date
  /** What the delivery's name and body depend on (see render.ts). */
  event_aliases: Record<string, string> | null
  kinds: string[] | null
}

/**
 * Claims up to `limit` due deliveries for `workerId` until `leaseMs` from now. `for update skip
 * locked`: two workers never claim one row. An expired lease (a worker killed mid-send) makes the
 * row due again, so nothing is lost and no separate sweeper is needed. Deliveries of a disabled
 * endpoint are not claimed: they wait, unattempted, and are due again once it is enabled.
 */
export async function claimDueDeliveries(
  db: Db,
  workerId: string,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const result = await sql<ClaimedDelivery>`
    with due as (
      select d.id from webhook_deliveries d
      join webhook_endpoints de on de.id = d.endpoint_id and de.enabled
      where d.status = 'pending' and d.next_attempt_at <= now()
        and (d.lease_expires_at is null or d.lease_expires_at < now())
      order by d.next_attempt_at
      limit ${limit}
      for update of d skip locked
    ), claimed as (
      update webhook_deliveries d
      set lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}), leased_by = ${workerId}, updated_at = now()
      from due where d.id = due.id
      returning d.*
    )
    select c.id, c.org_id, c.livemode, c.endpoint_id, c.event_id, c.event_type, c.attempt_count,
      e.url, e.secret_encrypted, e.previous_secret_encrypted, e.previous_secret_expires_at,
      e.event_aliases, e.kinds,
      ev.data as event_data, ev.created_at as event_created_at
    from claimed c
    join webhook_endpoints e on e.id = c.endpoint_id
    join events ev on ev.id = c.event_id`.execute(db)
  return result.rows
}

/** When the next attempt is due, or null when the delivery has failed for good. */
export interface AttemptRecord {
  startedAt: Date
  durationMs: number
  statusCode: number | null
  responseBody: string
  error: string | null
  isSuccess: boolean
  nextAttemptAt: Date | null
  /** What was sent; null when the attempt was refused before connecting. */
  request: { headers: Record<string, string>; body: string } | null
  responseHeaders: Record<string, string> | null
}

/**
 * Logs attempts and moves their deliveries on, many in one statement (one round trip, atomic),
 * each only while this worker still holds its lease: a worker whose lease ran out must not
 * overwrite the one that took over. Returns the ids of the deliveries whose attempt was kept.
 */
export async function recordAttempts(
  db: Executor,
  workerId: string,
  items: { delivery: ClaimedDelivery; attempt: AttemptRecord }[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set()
  const column = <T>(pick: (i: (typeof items)[number]) => T) => items.map(pick)
  const result = await sql<{ id: string }>`
    with input as (
      select * from unnest(
        ${column((i) => i.delivery.id)}::text[],
        ${column(() => newId('webhookAttempt'))}::text[],
        ${column((i) => (i.attempt.isSuccess ? 'succeeded' : i.attempt.nextAttemptAt ? 'pending' : 'failed'))}::text[],
        ${column((i) => i.attempt.nextAttemptAt)}::timestamptz[],
        ${column((i) => i.attempt.startedAt)}::timestamptz[],
        ${column((i) => i.attempt.durationMs)}::integer[],
        ${column((i) => i.attempt.statusCode)}::integer[],
        ${column((i) => i.attempt.responseBody)}::text[],
        ${column((i) => i.attempt.error)}::text[],
        ${column((i) => i.attempt.isSuccess)}::boolean[],
        ${column((i) => (i.attempt.request ? JSON.stringify(i.attempt.request.headers) : null))}::text[],
        ${column((i) => i.attempt.request?.body ?? null)}::text[],
        ${column((i) => (i.attempt.responseHeaders ? JSON.stringify(i.attempt.responseHeaders) : null))}::text[]
      ) as t(delivery_id, attempt_id, status, next_attempt_at, started_at, duration_ms, status_code, response_body, error, is_success,
        request_headers, request_body, response_headers)
    ), updated as (
      update webhook_deliveries d
      set status = i.status, attempt_count = d.attempt_count + 1,
        next_attempt_at = coalesce(i.next_attempt_at, d.next_attempt_at),
        lease_expires_at = null, leased_by = null, last_attempt_at = i.started_at,
        last_status_code = i.status_code, last_error = i.error,
        succeeded_at = case when i.is_success then i.started_at end, updated_at = now()
      from input i
      where d.id = i.delivery_id and d.leased_by = ${workerId} and d.status = 'pending'
      returning d.id, d.endpoint_id, d.attempt_count
    ), attempts as (
      insert into webhook_attempts (id, delivery_id, endpoint_id, attempt_number, started_at, duration_ms, status_code, response_body, error, next_attempt_at,
        request_headers, request_body, response_headers)
      select i.attempt_id, u.id, u.endpoint_id, u.attempt_count, i.started_at, i.duration_ms, i.status_code, i.response_body, i.error, i.next_attempt_at,
        i.request_headers::jsonb, i.request_body, i.response_headers::jsonb
      from updated u join input i on i.delivery_id = u.id
    )
    select id from updated`.execute(db)
  return new Set(result.rows.map((r) => r.id))
}

/** Gives claimed deliveries back (graceful shutdown): they are due again at once for another worker. */
export async function releaseLeases(db: Executor, workerId: string, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return
  await db
    .updateTable('webhook_deliveries')
    .set({ lease_expires_at: null, leased_by: null })
    .where('leased_by', '=', workerId)
    .where('id', 'in', deliveryIds)
    .execute()
}

/**
 * The first failed attempt since the endpoint's last success, if any: an endpoint failing since
 * longer than the configured days is disabled.
 */
export async function failingSince(db: Executor, endpointId: string): Promise<Date | null> {
  const row = await sql<{ since: Date | null }>`
    select min(a.started_at) as since from webhook_attempts a
    where a.endpoint_id = ${endpointId}
      and (a.status_code is null or a.status_code < 200 or a.status_code >= 300)
      and a.started_at > coalesce(
        (select max(s.started_at) from webhook_attempts s
         where s.endpoint_id = ${endpointId} and s.status_code between 200 and 299),
        '-infinity'::timestamptz)`.execute(db)
  return row.rows[0]?.since ?? null
}

/**
 * Disables an endpoint: it receives nothing more, its pending deliveries fail, and the
 * organization's other endpoints hear `webhook_endpoint.disabled`. Does nothing if already disabled.
 */
export async function disableEndpoint(db: Db, endpointId: string, reason: string): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const endpoint = await tx
      .updateTable('webhook_endpoints')
      .set({ enabled: false, disabled_reason: reason, disabled_at: new Date(), updated_at: new Date() })
      .where('id', '=', endpointId)
      .where('enabled', '=', true)
      .returning(['id', 'org_id', 'livemode', 'url', 'disabled_at'])
      .executeTakeFirst()
    if (!endpoint) return false
    await tx
      .updateTable('webhook_deliveries')
      .set({
        status: 'failed',
        last_error: `endpoint disabled: ${reason}`,
        lease_expires_at: null,
        leased_by: null,
        updated_at: new Date(),
      })
      .where('endpoint_id', '=', endpointId)
      .where('status', '=', 'pending')
      .execute()
    await emit(tx, { orgId: endpoint.org_id, livemode: endpoint.livemode }, webhookEndpointDisabled, {
      id: endpoint.id,
      url: endpoint.url,
      reason,
      disabled_at: endpoint.disabled_at!.toISOString(),
    })
    return true
  })
}
