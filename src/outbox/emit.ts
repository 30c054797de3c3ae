import { type RawBuilder, sql } from 'kysely'
import type { TenantScope } from '../core/tenancy.js'
import type { Db, Executor } from '../db/schema.js'
import { onCommit } from '../db/transaction.js'
import { newId } from '../lib/ids.js'
import type { EventData, EventDefinition } from './define.js'

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
 * The outbox part of one SQL statement: the CTEs `event` (the event row) and `fanned_out` (one
 * delivery per subscribed, enabled endpoint of the same organization and mode). Put after a change's
 * own CTEs, the change, its event and its deliveries are written by one statement: atomic without a
 * transaction, in one round trip. A delivery's id is its event's and its endpoint's ids together,
 * so it sorts by event and one event can never reach one endpoint twice.
 */
export function outboxCtes<D extends EventDefinition>(
  scope: TenantScope,
  definition: D,
  data: EventData<D>,
  options: EmitOptions = {},
) {
  const { orgId, livemode } = scope
  const type = definition.name
  const subscribed = options.onlyEndpointId
    ? sql`e.id = ${options.onlyEndpointId}`
    : sql`e.events && array['*', ${type}]::text[]`
  return sql`event as (
      insert into events (id, org_id, livemode, type, data)
      values (${newId('event')}, ${orgId}, ${livemode}, ${type}, ${JSON.stringify(data)}::jsonb)
      returning id, created_at
    ), fanned_out as (
      insert into webhook_deliveries (id, org_id, livemode, endpoint_id, event_id, event_type, status, next_attempt_at)
      select 'wd_' || substr(event.id, 5) || substr(e.id, 4), ${orgId}, ${livemode}, e.id, event.id, ${type}, 'pending', event.created_at
      from event, webhook_endpoints e
      where e.org_id = ${orgId} and e.livemode = ${livemode} and e.enabled and ${subscribed}
      returning 1
    )`
}

/** Columns a statement built with `outboxCtes` selects to learn what it wrote. */
export const OUTBOX_RESULT = sql`(select id from event) as event_id, (select created_at from event) as event_created_at, (select count(*) from fanned_out)::int as deliveries`

/**
 * Wakes the workers for deliveries an outbox statement wrote: after commit when it ran in a
 * transaction opened with `inTransaction`, at once when it ran alone (it has committed), and inside
 * the transaction otherwise.
 */
export async function afterOutbox(executor: Executor, deliveries: number): Promise<void> {
  if (deliveries === 0) return
  if (!executor.isTransaction) return wakeWorkers(executor as Db)
  if (!onCommit(executor, wakeWorkers)) await sql`select pg_notify(${DELIVERIES_CHANNEL}, '')`.execute(executor)
}

/**
 * Appends an event, declared with `defineEvent` by the module that owns it, to the outbox and fans it out to its deliveries, in the caller's transaction (or
 * as one statement of its own): the event and its deliveries commit or roll back with the change
 * they describe. Workers are woken after commit.
 */
export async function emit<D extends EventDefinition>(
  executor: Executor,
  scope: TenantScope,
  definition: D,
  data: EventData<D>,
  options: EmitOptions = {},
): Promise<EventEnvelope> {
  const result = await sql<{ event_id: string; event_created_at: Date; deliveries: number }>`
    with ${outboxCtes(scope, definition, data, options)}
    select ${OUTBOX_RESULT}`.execute(executor)
  const row = result.rows[0]!
  await afterOutbox(executor, row.deliveries)
  return {
    id: row.event_id,
    event: definition.name,
    timestamp: row.event_created_at.toISOString(),
    data: data as Record<string, unknown>,
  }
}

/** One event of a batch written by `outboxBatchCtes`. */
export interface BatchEvent<D extends EventDefinition = EventDefinition> {
  scope: TenantScope
  definition: D
  data: EventData<D>
}

/** One event of a batch, its data checked against its definition as `emit` checks it. */
export function batchEvent<D extends EventDefinition>(
  scope: TenantScope,
  definition: D,
  data: EventData<D>,
): BatchEvent {
  return { scope, definition, data }
}

/**
 * The outbox part of one statement for many events: the CTEs `event` and `fanned_out`, as
 * `outboxCtes` writes them for one (same delivery ids and endpoint filter, joined per event). Each
 * event carries a `key`; with `onlyKeys` (a SQL expression: a relation of the statement's own CTEs,
 * e.g. `select id from updated`), only the events whose key it holds are written, so a change and
 * the events of the rows it really changed go in one statement. Events keep the order given.
 */
export function outboxBatchCtes(events: BatchEvent[], keys: string[], onlyKeys?: RawBuilder<unknown>) {
  const filter = onlyKeys ? sql`where v.key in (${onlyKeys})` : sql``
  return sql`event as (
      insert into events (id, org_id, livemode, type, data)
      select v.id, v.org_id, v.livemode, v.type, v.data::jsonb
      from unnest(${events.map(() => newId('event'))}::text[], ${events.map((e) => e.scope.orgId)}::text[],
        ${events.map((e) => e.scope.livemode)}::boolean[], ${events.map((e) => e.definition.name)}::text[],
        ${events.map((e) => JSON.stringify(e.data))}::text[], ${keys}::text[]) as v(id, org_id, livemode, type, data, key)
      ${filter}
      order by v.id
      returning id, org_id, livemode, type, created_at
    ), fanned_out as (
      insert into webhook_deliveries (id, org_id, livemode, endpoint_id, event_id, event_type, status, next_attempt_at)
      select 'wd_' || substr(event.id, 5) || substr(e.id, 4), event.org_id, event.livemode, e.id, event.id, event.type,
        'pending', event.created_at
      from event join webhook_endpoints e on e.org_id = event.org_id and e.livemode = event.livemode
        and e.enabled and e.events && array['*', event.type]::text[]
      returning 1
    )`
}

/**
 * The data of an `*.updated` event: `{id, changes}`, each field the patch wrote with its new value
 * as the API shows it (read from the updated object, so values are normalised the same way).
 */
export function updatedData<T extends object>(id: string, patch: object, updated: T) {
  const changes: Partial<T> = {}
  for (const field of Object.keys(patch) as (keyof T)[]) changes[field] = updated[field]
  return { id, changes }
}
