import { sql } from 'kysely'
import type { Db, Executor } from '../db/schema.js'
import { onCommit } from '../db/transaction.js'
import { newId } from '../lib/ids.js'
import type { TenantScope } from '../modules/api-keys/principal.js'
import type { EventType } from './catalog.js'

export interface EventEnvelope {
  id: string
  event: string
  timestamp: string
  data: Record<string, unknown>
}

/** The channel that wakes delivery workers after an event commits (PostgreSQL LISTEN/NOTIFY). */
export const DELIVERIES_CHANNEL = 'rapport_deliveries'

export interface EmitOptions {
  /** Deliver to this endpoint only (a `webhook.test`), whatever its filter says. */
  onlyEndpointId?: string
}

const notifying = new WeakMap<Db, { again: boolean }>()

/**
 * Wakes delivery workers (NOTIFY) after a commit. One notification at a time per database handle:
 * a burst of commits while one is under way costs one more, not one each. A lost wake-up only costs
 * latency: workers also poll.
 */
export function wakeWorkers(db: Db): void {
  const state = notifying.get(db)
  if (state) {
    state.again = true
    return
  }
  const current = { again: false }
  notifying.set(db, current)
  const send = (): Promise<void> =>
    sql`select pg_notify(${DELIVERIES_CHANNEL}, '')`
      .execute(db)
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        if (!current.again) {
          notifying.delete(db)
          return
        }
        current.again = false
        return send()
      })
  void send()
}

/**
 * Appends an event to the outbox and fans it out to a delivery row per subscribed, enabled endpoint
 * of the same organization and mode, all inside the caller's transaction: the event and its
 * deliveries commit or roll back with the change they describe. Workers are woken after commit.
 */
export async function emit(
  tx: Executor,
  scope: TenantScope,
  type: EventType,
  data: Record<string, unknown>,
  options: EmitOptions = {},
): Promise<EventEnvelope> {
  const { orgId, livemode } = scope
  const subscribed = options.onlyEndpointId
    ? sql`e.id = ${options.onlyEndpointId}`
    : sql`e.events && array['*', ${type}]::text[]`
  // One statement, one round trip: the event and its deliveries. A delivery's id is its event's and
  // its endpoint's ids together, so it sorts by event and one event can never reach one endpoint twice.
  const result = await sql<{ id: string; created_at: Date; deliveries: number }>`
    with event as (
      insert into events (id, org_id, livemode, type, data)
      values (${newId('event')}, ${orgId}, ${livemode}, ${type}, ${JSON.stringify(data)}::jsonb)
      returning id, created_at
    ), fanned_out as (
      insert into webhook_deliveries (id, org_id, livemode, endpoint_id, event_id, event_type, status, next_attempt_at)
      select 'wd_' || substr(event.id, 5) || substr(e.id, 4), ${orgId}, ${livemode}, e.id, event.id, ${type}, 'pending', event.created_at
      from event, webhook_endpoints e
      where e.org_id = ${orgId} and e.livemode = ${livemode} and e.enabled and ${subscribed}
      returning 1
    )
    select event.id, event.created_at, (select count(*) from fanned_out)::int as deliveries from event`.execute(tx)
  const row = result.rows[0]!
  if (row.deliveries > 0) {
    // After commit, so that commits do not queue behind the notification lock; inside the
    // transaction only when the caller did not open it with inTransaction.
    if (!onCommit(tx, wakeWorkers)) await sql`select pg_notify(${DELIVERIES_CHANNEL}, ${row.id})`.execute(tx)
  }
  return { id: row.id, event: type, timestamp: row.created_at.toISOString(), data }
}
