import { sql } from 'kysely'
import type { Executor } from '../db/schema.js'
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
export const EVENTS_CHANNEL = 'rapport_events'

/**
 * Appends an event to the outbox inside the caller's transaction: it commits or rolls back with the
 * change it describes. `pg_notify` is transactional too, so listeners hear of it only after commit.
 */
export async function emit(
  tx: Executor,
  scope: TenantScope,
  type: EventType,
  data: Record<string, unknown>,
): Promise<EventEnvelope> {
  const row = await tx
    .insertInto('events')
    .values({ id: newId('event'), org_id: scope.orgId, livemode: scope.livemode, type, data: JSON.stringify(data) })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${row.id})`.execute(tx)
  return { id: row.id, event: type, timestamp: row.created_at.toISOString(), data }
}
