import { sql } from 'kysely'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'

export interface IdempotencyRecord {
  request_hash: string
  state: 'running' | 'done'
  response_status: number | null
  response_body: string | null
  response_headers: Record<string, string> | null
}

/** How long a key is remembered, and how long a running request holds it before another may take over. */
export const IDEMPOTENCY_TTL = '24 hours'
export const IDEMPOTENCY_LOCK = '60 seconds'

/**
 * Claims `key` for a request. Returns null when this request now owns the key (it is new, expired,
 * or abandoned by a crashed request with the same body); otherwise the record already there.
 */
export async function claimKey(
  db: Executor,
  scope: TenantScope,
  key: string,
  requestHash: string,
): Promise<IdempotencyRecord | null> {
  const claimed = await sql<{ ok: number }>`
    insert into idempotency_keys (org_id, livemode, idem_key, request_hash, state, locked_until)
    values (${scope.orgId}, ${scope.livemode}, ${key}, ${requestHash}, 'running', now() + interval '${sql.raw(IDEMPOTENCY_LOCK)}')
    on conflict (org_id, livemode, idem_key) do update
      set request_hash = excluded.request_hash, state = 'running', response_status = null, response_body = null,
          response_headers = null, locked_until = excluded.locked_until, created_at = now()
      where idempotency_keys.created_at < now() - interval '${sql.raw(IDEMPOTENCY_TTL)}'
         or (idempotency_keys.state = 'running' and idempotency_keys.locked_until < now()
             and idempotency_keys.request_hash = excluded.request_hash)
    returning 1 as ok`.execute(db)
  if (claimed.rows.length > 0) return null
  const existing = await scoped(db, 'idempotency_keys', scope)
    .select(['request_hash', 'state', 'response_status', 'response_body', 'response_headers'])
    .where('idem_key', '=', key)
    .executeTakeFirst()
  // Deleted between the two statements (its request failed): the caller may simply retry.
  return (
    existing ?? {
      request_hash: requestHash,
      state: 'running',
      response_status: null,
      response_body: null,
      response_headers: null,
    }
  )
}

export async function completeKey(
  db: Executor,
  scope: TenantScope,
  key: string,
  response: { status: number; body: string; headers: Record<string, string> },
): Promise<void> {
  await scopedUpdate(db, 'idempotency_keys', scope)
    .set({
      state: 'done',
      response_status: response.status,
      response_body: response.body,
      response_headers: JSON.stringify(response.headers),
    })
    .where('idem_key', '=', key)
    .execute()
}

/** Forgets a key whose request failed on our side, so that the client's retry runs it again. */
export async function releaseKey(db: Executor, scope: TenantScope, key: string): Promise<void> {
  await scopedDelete(db, 'idempotency_keys', scope).where('idem_key', '=', key).execute()
}

export async function purgeExpiredKeys(db: Executor): Promise<number> {
  const result =
    await sql`delete from idempotency_keys where created_at < now() - interval '${sql.raw(IDEMPOTENCY_TTL)}'`.execute(
      db,
    )
  return Number(result.numAffectedRows ?? 0)
}
