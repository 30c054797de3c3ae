import { ApiError } from '../../core/errors.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { Plan } from '../../core/tenancy.js'
import { effectiveScopes, type Principal, planScopes, SCOPES, type Scope } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import type { Clock } from '../../lib/clock.js'
import { randomBase62, sha256Hex } from '../../lib/crypto.js'
import { newId } from '../../lib/ids.js'
import { planOf } from '../orgs/orgs.repo.js'
import {
  type ApiKeyRow,
  findKeyByHash,
  findOrgKeyForUpdate,
  insertKey,
  listKeys,
  revokeKey,
  touchKey,
  updateKey,
} from './api-keys.repo.js'

export interface NewKeyInput {
  name?: string
  type?: 'secret' | 'publishable'
  mode?: 'live' | 'test'
  allowed_origins?: string[]
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
  allowed_origins: string[]
  created_at: string
  last_used_at: string | null
  expires_at: string | null
  created_by_user_id: string | null
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
    allowed_origins: row.allowed_origins,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    expires_at: row.expires_at?.toISOString() ?? null,
    created_by_user_id: row.created_by_user_id,
    ...(secret ? { key: secret } : {}),
  }
}

const MAX_ORIGINS = 50

/** What follows `scheme://` in `raw`, without one trailing slash. */
function hostPart(raw: string): string {
  const rest = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  return rest.endsWith('/') ? rest.slice(0, -1) : rest
}

/**
 * Normalizes web origins to `scheme://host[:port]` (lower-case host, default port dropped), as a
 * browser sends them in `Origin`. Only http(s), no path, query, fragment or credentials: a 422
 * naming `allowed_origins.<i>` otherwise. Duplicates are dropped.
 */
export function normalizeOrigins(origins: string[], field = 'allowed_origins'): string[] {
  const details: { field: string; message: string }[] = []
  const out: string[] = []
  origins.forEach((raw, i) => {
    let url: URL | undefined
    try {
      url = new URL(raw.trim())
    } catch {
      url = undefined
    }
    const bad =
      !url ||
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.username !== '' ||
      url.password !== '' ||
      url.search !== '' ||
      url.hash !== '' ||
      url.pathname !== '/' ||
      /[/?#@]/.test(hostPart(raw))
    if (bad || !url) {
      details.push({
        field: `${field}.${i}`,
        message: 'Must be an origin: scheme://host[:port], e.g. https://www.example.com',
      })
      return
    }
    if (!out.includes(url.origin)) out.push(url.origin)
  })
  if (details.length > 0) {
    throw new ApiError('validation_failed', `${details[0]!.field}: ${details[0]!.message}`, { details })
  }
  if (out.length > MAX_ORIGINS) {
    throw new ApiError('validation_failed', `${field}: At most ${MAX_ORIGINS} origins`, {
      details: [{ field, message: `At most ${MAX_ORIGINS} origins` }],
    })
  }
  return out
}

function invalid(field: string, message: string) {
  return new ApiError('validation_failed', `${field}: ${message}`, { details: [{ field, message }] })
}

/**
 * Creates a key: a secret key `rk_live_` / `rk_test_`, or a publishable key `pk_live_` / `pk_test_`
 * (no scopes; usable only on the public form routes, from its allowed origins), with 190 random
 * bits in base62. Only its SHA-256 is stored; the caller gets the key once.
 *
 * `creatorScopes`: the scopes of the key or person creating it (their effective scopes today).
 * A new key never holds more: without `scopes` it gets exactly those, and asking for one beyond
 * them is a 403. Undefined only for operators (provisioning API, CLI), who may grant anything.
 */
export async function createKey(
  db: Executor,
  orgId: string,
  plan: Plan,
  input: NewKeyInput,
  createdByUserId: string | null = null,
  creatorScopes?: readonly Scope[],
): Promise<ApiKeyView> {
  const type = input.type ?? 'secret'
  let origins: string[] = []
  if (type === 'publishable') {
    if (input.scopes !== undefined) {
      throw invalid('scopes', 'A publishable key has no scopes: it can only submit forms')
    }
    origins = normalizeOrigins(input.allowed_origins ?? [])
    if (origins.length === 0) {
      throw invalid('allowed_origins', 'A publishable key needs at least one origin, e.g. https://www.example.com')
    }
  } else if (input.allowed_origins !== undefined) {
    throw invalid('allowed_origins', 'Only a publishable key has allowed origins')
  }
  const allowed = planScopes(plan)
  const beyondPlan = (input.scopes ?? []).filter((s) => !allowed.includes(s))
  if (beyondPlan.length > 0) {
    throw new ApiError('plan_limit', `The ${plan} plan does not allow the scope(s) ${beyondPlan.join(', ')}`, {
      details: [{ field: 'scopes', message: `Allowed on the ${plan} plan: ${allowed.join(', ')}` }],
    })
  }
  const beyondCreator = creatorScopes ? (input.scopes ?? []).filter((s) => !creatorScopes.includes(s)) : []
  if (beyondCreator.length > 0) {
    throw new ApiError(
      'insufficient_scope',
      `A key cannot hold more than its creator: you do not hold the scope(s) ${[...new Set(beyondCreator)].join(', ')}`,
      { details: [{ field: 'scopes', message: `At most your own scopes: ${creatorScopes!.join(', ')}` }] },
    )
  }
  // A key given no scopes by an operator holds them all, so that a plan upgrade widens it (the plan
  // narrows it on use); given none by a key or a person, it holds exactly its creator's scopes.
  const scopes =
    type === 'publishable'
      ? []
      : input.scopes
        ? [...new Set(input.scopes)]
        : creatorScopes
          ? [...creatorScopes]
          : [...SCOPES]
  let expiresAt: Date | null = null
  if (input.expires_at !== undefined) {
    expiresAt = new Date(input.expires_at)
    if (expiresAt.getTime() <= Date.now()) throw invalid('expires_at', 'Must be in the future')
  }
  const mode = input.mode ?? 'live'
  const secret = `${type === 'publishable' ? 'pk' : 'rk'}_${mode}_${randomBase62(190)}`
  const row = await insertKey(db, {
    id: newId('apiKey'),
    org_id: orgId,
    name: input.name ?? (type === 'publishable' ? 'Publishable key' : 'Secret key'),
    type,
    livemode: mode === 'live',
    key_hash: sha256Hex(secret),
    // A publishable key is public (it ships in web pages' HTML): kept whole, so the dashboard can
    // put it in embed snippets. A secret key keeps only what recognises it.
    prefix: type === 'publishable' ? secret : secret.slice(0, 12),
    scopes,
    allowed_origins: origins,
    expires_at: expiresAt,
    created_by_user_id: createdByUserId,
  })
  return toKeyView(row, plan, secret)
}

/**
 * Changes a key's name or allowed origins (of a live key of `orgId`, of one mode when given); with
 * `ifMatch`, only if the key still has that ETag. Origins are for publishable keys only.
 */
export async function updateOrgKey(
  db: Db,
  keyId: string,
  orgId: string,
  livemode: boolean | undefined,
  input: { name?: string; allowed_origins?: string[] },
  opts: { ifMatch?: string } = {},
): Promise<ApiKeyView> {
  return inTransaction(db, async (tx) => {
    const current = await findOrgKeyForUpdate(tx, keyId, orgId, livemode)
    if (!current) throw new ApiError('not_found', `API key ${keyId} not found`)
    const org = { plan: await planOf(tx, orgId) }
    assertIfMatch(opts.ifMatch, toKeyView(current, org.plan))
    const changes: { name?: string; allowed_origins?: string[] } = {}
    if (input.name !== undefined) changes.name = input.name
    if (input.allowed_origins !== undefined) {
      if (current.type !== 'publishable') throw invalid('allowed_origins', 'Only a publishable key has allowed origins')
      changes.allowed_origins = normalizeOrigins(input.allowed_origins)
      if (changes.allowed_origins.length === 0) {
        throw invalid('allowed_origins', 'A publishable key needs at least one origin')
      }
    }
    if (Object.keys(changes).length === 0) return toKeyView(current, org.plan)
    const row = await updateKey(tx, keyId, orgId, livemode, changes)
    if (!row) throw new ApiError('not_found', `API key ${keyId} not found`)
    return toKeyView(row, org.plan)
  })
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
  return toKeyView(row, await planOf(db, row.org_id))
}

/**
 * A secret key sent to a public form route: refused (401) whether or not it is valid, without being
 * looked up or counted as a guess. A key that works there would be readable by every visitor.
 */
export class SecretKeyInPage extends ApiError {
  constructor() {
    super(
      'invalid_api_key',
      'A secret key (rk_live_… or rk_test_…) cannot be used from a web page: anyone can read it there. Use a publishable key (pk_live_… or pk_test_…, created with POST /api/v1/api_keys {"type":"publishable","allowed_origins":["https://your.site"]}), and revoke this secret key if it was published.',
    )
  }
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

  /** The principal for a secret key, or an ApiError (401) saying why not. */
  async verify(secret: string, claimedOrgId?: string): Promise<Principal> {
    const { row, now } = await this.lookup(secret)
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
      ...(row.created_by_user_id ? { keyCreatorId: row.created_by_user_id } : {}),
    }
  }

  /**
   * The principal for a publishable key (lead capture only, its allowed origins), for the public
   * form routes. A secret key is refused with a 401 that says why (it must never appear in a web
   * page), before anything is recorded: not even its last use.
   */
  async verifyPublishable(key: string): Promise<Principal> {
    if (/^rk_(live|test)_/.test(key)) throw new SecretKeyInPage()
    const { row, now } = await this.lookup(key)
    if (row.type !== 'publishable') throw new SecretKeyInPage()
    this.touch(row.id, now)
    return {
      orgId: row.org_id,
      livemode: row.livemode,
      keyId: row.id,
      plan: row.plan,
      scopes: effectiveScopes(['leads'], row.plan),
      allowedOrigins: row.allowed_origins,
    }
  }

  private async lookup(secret: string): Promise<{ row: ApiKeyRow & { plan: Plan }; now: number }> {
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
    return { row, now }
  }

  private touch(keyId: string, nowMs: number) {
    const last = this.touchedAtMs.get(keyId) ?? 0
    if (nowMs - last < 60_000) return
    this.touchedAtMs.set(keyId, nowMs)
    touchKey(this.db, keyId, new Date(nowMs)).catch(this.onTouchError)
  }
}
