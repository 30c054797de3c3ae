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
  const row = await tx
    .insertInto('events')
    .values({ id: newId('event'), org_id: scope.orgId, livemode: scope.livemode, type, data: JSON.stringify(data) })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()

  let endpoints = tx
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('org_id', '=', scope.orgId)
    .where('livemode', '=', scope.livemode)
    .where('enabled', '=', true)
  endpoints = options.onlyEndpointId
    ? endpoints.where('id', '=', options.onlyEndpointId)
    : endpoints.where(sql<boolean>`events && array['*', ${type}]::text[]`)
  const subscribers = await endpoints.execute()
  if (subscribers.length > 0) {
    await tx
      .insertInto('webhook_deliveries')
      .values(
        subscribers.map((endpoint) => ({
          id: newId('webhookDelivery'),
          org_id: scope.orgId,
          livemode: scope.livemode,
          endpoint_id: endpoint.id,
          event_id: row.id,
          event_type: type,
          status: 'pending' as const,
          next_attempt_at: row.created_at,
        })),
      )
      .execute()
    // After commit, so that commits do not queue behind the notification lock; inside the
    // transaction only when the caller did not open it with inTransaction.
    if (!onCommit(tx, wakeWorkers)) await sql`select pg_notify(${DELIVERIES_CHANNEL}, ${row.id})`.execute(tx)
  }
  return { id: row.id, event: type, timestamp: row.created_at.toISOString(), data }
}
