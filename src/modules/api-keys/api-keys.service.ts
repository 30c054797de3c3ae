import type { Plan } from '../../config.js'
import type { Executor } from '../../db/schema.js'
import { ApiError } from '../../http/errors.js'
import type { Clock } from '../../lib/clock.js'
import { randomBase62, sha256Hex } from '../../lib/crypto.js'
import { newId } from '../../lib/ids.js'
import { type ApiKeyRow, findKeyByHash, insertKey, listKeys, revokeKey, touchKey } from './api-keys.repo.js'
import { effectiveScopes, PLAN_SCOPES, type Principal, SCOPES, type Scope } from './principal.js'

export interface NewKeyInput {
  name?: string
  mode?: 'live' | 'test'
  scopes?: Scope[]
  expires_at?: string
}

/** The public shape of a key. `key` (the secret) is present only in the answer to its creation. */
export interface ApiKeyView {
  id: string
  object: 'api_key'
  name: string
  type: 'secret' | 'publishable'
  mode: 'live' | 'test'
  prefix: string
  scopes: string[]
  created_at: string
  last_used_at: string | null
  expires_at: string | null
  key?: string
}

/** `scopes` shows what the key can do today: what it was given, narrowed to the organization's plan. */
export function toKeyView(row: ApiKeyRow, plan: Plan, secret?: string): ApiKeyView {
  return {
    id: row.id,
    object: 'api_key',
    name: row.name,
    type: row.type,
    mode: row.livemode ? 'live' : 'test',
    prefix: row.prefix,
    scopes: effectiveScopes(row.scopes, plan),
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    expires_at: row.expires_at?.toISOString() ?? null,
    ...(secret ? { key: secret } : {}),
  }
}

/**
 * Creates a secret key: `rk_live_` / `rk_test_` and 190 random bits in base62. Only its SHA-256 is
 * stored; the caller gets the key once.
 */
export async function createKey(db: Executor, orgId: string, plan: Plan, input: NewKeyInput): Promise<ApiKeyView> {
  const allowed = PLAN_SCOPES[plan]
  const beyondPlan = (input.scopes ?? []).filter((s) => !allowed.includes(s))
  if (beyondPlan.length > 0) {
    throw new ApiError('plan_limit', `The ${plan} plan does not allow the scope(s) ${beyondPlan.join(', ')}`, {
      details: [{ field: 'scopes', message: `Allowed on the ${plan} plan: ${allowed.join(', ')}` }],
    })
  }
  // A key given no scopes holds them all, so that a plan upgrade widens it; the plan narrows it on use.
  const scopes = input.scopes ? [...new Set(input.scopes)] : [...SCOPES]
  let expiresAt: Date | null = null
  if (input.expires_at !== undefined) {
    expiresAt = new Date(input.expires_at)
    if (expiresAt.getTime() <= Date.now()) {
      throw new ApiError('validation_failed', 'expires_at: Must be in the future', {
        details: [{ field: 'expires_at', message: 'Must be in the future' }],
      })
    }
  }
  const mode = input.mode ?? 'live'
  const secret = `rk_${mode}_${randomBase62(190)}`
  const row = await insertKey(db, {
    id: newId('apiKey'),
    org_id: orgId,
    name: input.name ?? 'Secret key',
    type: 'secret',
    livemode: mode === 'live',
    key_hash: sha256Hex(secret),
    prefix: secret.slice(0, 12),
    scopes,
    allowed_origins: [],
    expires_at: expiresAt,
  })
  return toKeyView(row, plan, secret)
}

export async function listOrgKeys(
  db: Executor,
  orgId: string,
  plan: Plan,
  opts: { livemode?: boolean; limit: number; offset: number },
) {
  const { rows, total } = await listKeys(db, orgId, opts)
  return { rows: rows.map((r) => toKeyView(r, plan)), total }
}

/** Revokes a key of `orgId` (any organization's when orgId is undefined: operators only), of one mode when given. */
export async function revoke(db: Executor, keyId: string, orgId?: string, livemode?: boolean): Promise<ApiKeyView> {
  const row = await revokeKey(db, keyId, orgId, livemode)
  if (!row) throw new ApiError('not_found', `API key ${keyId} not found`)
  const org = await db.selectFrom('organizations').select('plan').where('id', '=', row.org_id).executeTakeFirstOrThrow()
  return toKeyView(row, org.plan)
}

type CachedKey = { row: (ApiKeyRow & { plan: Plan }) | undefined; fetchedAtMs: number }

/**
 * Verifies presented keys. A verified key is trusted for `ttlMs` (default 500 ms) and then read
 * again, so a revocation, expiry or plan change reaches every API process within that time without
 * any cross-process messaging. `last_used_at` is written at most once a minute per key per process.
 */
export class KeyVerifier {
  private readonly cache = new Map<string, CachedKey>()
  private readonly touchedAtMs = new Map<string, number>()

  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly onTouchError: (err: unknown) => void = () => {},
  ) {}

  /** The principal for `secret`, or an ApiError (401) saying why not. */
  async verify(secret: string, claimedOrgId?: string): Promise<Principal> {
    const now = this.clock.nowMs()
    const hash = sha256Hex(secret)
    let entry = this.cache.get(hash)
    if (!entry || now - entry.fetchedAtMs >= this.ttlMs) {
      entry = { row: await findKeyByHash(this.db, hash), fetchedAtMs: now }
      if (this.cache.size >= 10_000) this.cache.clear()
      this.cache.set(hash, entry)
    }
    const row = entry.row
    if (!row || row.revoked_at) throw new ApiError('invalid_api_key', 'The API key is invalid or has been revoked')
    if (row.expires_at && row.expires_at.getTime() <= now)
      throw new ApiError('invalid_api_key', 'The API key has expired')
    if (row.type !== 'secret')
      throw new ApiError('invalid_api_key', 'A publishable key can only submit forms; use a secret key')
    if (claimedOrgId !== undefined && claimedOrgId !== row.org_id) {
      throw new ApiError('invalid_api_key', 'The API key does not belong to the given account')
    }
    this.touch(row.id, now)
    return {
      orgId: row.org_id,
      livemode: row.livemode,
      keyId: row.id,
      plan: row.plan,
      scopes: effectiveScopes(row.scopes, row.plan),
    }
  }

  private touch(keyId: string, nowMs: number) {
    const last = this.touchedAtMs.get(keyId) ?? 0
    if (nowMs - last < 60_000) return
    this.touchedAtMs.set(keyId, nowMs)
    touchKey(this.db, keyId, new Date(nowMs)).catch(this.onTouchError)
  }
}
