import type { Plan } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { scoped } from '../../db/scoped.js'

export interface ApiKeyRow {
  id: string
  org_id: string
  name: string
  type: 'secret' | 'publishable'
  livemode: boolean
  prefix: string
  scopes: string[]
  allowed_origins: string[]
  created_at: Date
  last_used_at: Date | null
  expires_at: Date | null
  revoked_at: Date | null
  /** The dashboard user behind the key (see Principal.keyCreatorId); null when an operator made it. */
  created_by_user_id: string | null
}

const COLUMNS = [
  'id',
  'org_id',
  'name',
  'type',
  'livemode',
  'prefix',
  'scopes',
  'allowed_origins',
  'created_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
  'created_by_user_id',
] as const

export async function insertKey(
  db: Executor,
  row: Omit<ApiKeyRow, 'created_at' | 'last_used_at' | 'revoked_at'> & { key_hash: string },
): Promise<ApiKeyRow> {
  return db.insertInto('api_keys').values(row).returning(COLUMNS).executeTakeFirstOrThrow()
}

/** The key with this hash and its organization's current plan, revoked or not. */
export async function findKeyByHash(db: Executor, keyHash: string): Promise<(ApiKeyRow & { plan: Plan }) | undefined> {
  return db
    .selectFrom('api_keys')
    .innerJoin('organizations', 'organizations.id', 'api_keys.org_id')
    .select(COLUMNS.map((c) => `api_keys.${c}` as const))
    .select('organizations.plan')
    .where('api_keys.key_hash', '=', keyHash)
    .executeTakeFirst()
}

export async function listKeys(
  db: Executor,
  orgId: string,
  opts: { livemode?: boolean; limit: number; offset: number },
): Promise<{ rows: ApiKeyRow[]; total: number }> {
  let q = db.selectFrom('api_keys').where('org_id', '=', orgId).where('revoked_at', 'is', null)
  if (opts.livemode !== undefined) q = q.where('livemode', '=', opts.livemode)
  const [rows, count] = await Promise.all([
    q
      .select(COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

export async function findKey(db: Executor, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').select(COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** Revokes the key; returns it, or undefined when it does not exist (in `orgId` and mode, when given). */
export async function revokeKey(
  db: Executor,
  id: string,
  orgId?: string,
  livemode?: boolean,
): Promise<ApiKeyRow | undefined> {
  let q = db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
  if (orgId) q = q.where('org_id', '=', orgId)
  if (livemode !== undefined) q = q.where('livemode', '=', livemode)
  return q.returning(COLUMNS).executeTakeFirst()
}

export async function touchKey(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute()
}

/** Replaces the allowed origins (and the name, when given) of a live key of `orgId`; undefined when none. */
export async function updateKey(
  db: Executor,
  id: string,
  orgId: string,
  livemode: boolean | undefined,
  changes: { name?: string; allowed_origins?: string[] },
): Promise<ApiKeyRow | undefined> {
  let q = db
    .updateTable('api_keys')
    .set(changes)
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
  if (livemode !== undefined) q = q.where('livemode', '=', livemode)
  return q.returning(COLUMNS).executeTakeFirst()
}

/** The live (not revoked) key of `orgId` with this id, locked until the transaction ends. */
export async function findOrgKeyForUpdate(
  db: Executor,
  id: string,
  orgId: string,
  livemode: boolean | undefined,
): Promise<ApiKeyRow | undefined> {
  let q = db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
  if (livemode !== undefined) q = q.where('livemode', '=', livemode)
  return q.forUpdate().executeTakeFirst()
}

/**
 * The allowed origins of the usable publishable keys of an organization and mode: what a CORS
 * preflight, which carries no key, is checked against.
 */
export async function publishableOrigins(db: Executor, orgId: string, livemode: boolean, now: Date): Promise<string[]> {
  const rows = await scoped(db, 'api_keys', { orgId, livemode })
    .select('allowed_origins')
    .where('type', '=', 'publishable')
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute()
  return [...new Set(rows.flatMap((r) => r.allowed_origins))]
}

/** The names, modes and states of the given keys of the organization, by id (to label usage). */
export async function namesOfKeys(db: Executor, orgId: string, ids: string[]) {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'livemode', 'revoked_at'])
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute()
  return rows.map((k) => ({
    id: k.id,
    name: k.name,
    mode: k.livemode ? ('live' as const) : ('test' as const),
    revoked: k.revoked_at !== null,
  }))
}
