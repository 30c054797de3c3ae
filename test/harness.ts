import { readFileSync } from 'node:fs'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { afterAll, inject } from 'vitest'
import { buildApp } from '../src/app.js'
import { type Config, loadConfig } from '../src/config.js'
import type { Plan } from '../src/core/tenancy.js'
import { type Scope, usePlanScopes } from '../src/core/tenancy.js'
import { type DatabaseHandle, openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import { createDeps, type Deps } from '../src/deps.js'
import type { Clock } from '../src/lib/clock.js'
import { OrgsService } from '../src/modules/orgs/orgs.service.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
/** Webhook secrets in tests are sealed with this key, so no test writes a key file into the repo. */
const TEST_MASTER_KEY = Buffer.alloc(32, 1).toString('base64')

let shared: Promise<DatabaseHandle> | undefined

/**
 * PostgreSQL arms a timer of up to 10 s, when it goes idle with statistics not yet flushed, to
 * flush them. PGlite runs it as a JavaScript timer; once a database is kept from one file to the
 * next, that timer would count as the file's leak (test/setup.ts) and keep a worker waiting. It
 * is unref'd: PostgreSQL's own timers neither keep the process alive nor count as leaks. Any other
 * timer is untouched, and a PGlite build whose timer reads differently is counted as before.
 */
const setTimeoutOfNode = globalThis.setTimeout
function unrefEmbeddedTimers(callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) {
  const timer = setTimeoutOfNode(callback, ms, ...args)
  if ((ms ?? 0) >= 1000 && String(callback).includes('__emscripten_timeout')) timer.unref()
  return timer
}
// util.promisify(setTimeout) and the like read properties of Node's function: keep them.
Object.defineProperties(unrefEmbeddedTimers, Object.getOwnPropertyDescriptors(setTimeoutOfNode))
if (!process.env.DATABASE_URL) globalThis.setTimeout = unrefEmbeddedTimers as typeof setTimeout

/**
 * The database of the running test file: the CI PostgreSQL (already migrated by the global setup)
 * when DATABASE_URL is set, otherwise an in-memory PGlite of its own from the migrated snapshot.
 * Opened before the file's first test; after its last (test/setup.ts) PGlite is emptied for the
 * worker's next file, so no file sees another's rows, and the leak check keeps a worker of one
 * file from running into the next.
 */
export function testDatabase(): Promise<DatabaseHandle> {
  if (!shared) {
    shared = (async () => {
      const url = process.env.DATABASE_URL
      if (url) return openDatabase({ url }, { poolSize: 5 })
      const snapshot = inject('pgliteSnapshot')
      const handle = await openDatabase(
        snapshot ? { memory: true, snapshot: new Blob([readFileSync(snapshot)]) } : { memory: true },
      )
      if (!snapshot) await migrate(handle.db)
      return handle
    })()
  }
  return shared
}

/**
 * A database of its own (in-memory PGlite from the migrated snapshot), even in the PostgreSQL
 * pass: for what needs an installation without any organization, such as first-run setup.
 */
export async function isolatedDatabase(): Promise<DatabaseHandle> {
  const snapshot = inject('pgliteSnapshot')
  const handle = await openDatabase(
    snapshot ? { memory: true, snapshot: new Blob([readFileSync(snapshot)]) } : { memory: true },
  )
  if (!snapshot) await migrate(handle.db)
  return handle
}

/** The real app on an isolated, empty installation (no organization); closed after the file's tests. */
export async function emptyInstallation(
  opts: { env?: Record<string, string>; clock?: Clock; config?: Partial<Config> } = {},
): Promise<{ app: FastifyInstance; deps: Deps; close(): Promise<void> }> {
  const database = await isolatedDatabase()
  const config = {
    ...loadConfig({ ...process.env, RAPPORT_MASTER_KEY: TEST_MASTER_KEY, ...opts.env }),
    ...opts.config,
  }
  const deps = await createDeps(config, { database, ...(opts.clock ? { clock: opts.clock } : {}) })
  const app = await buildApp(deps, { logger: false })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await app.close()
    await deps.close()
    await database.close()
  }
  afterAll(close)
  return { app, deps, close }
}

export interface TestOrg {
  id: string
  plan: Plan
  /** A live secret key with every scope of the plan. */
  key: string
  keyId: string
}

export interface TestApp {
  app: FastifyInstance
  deps: Deps
  org: TestOrg
  /** Sends a request with the org's live key (or `key`), JSON body when given. */
  api(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
  /** Creates another organization on this app's database. */
  newOrg(plan?: Plan): Promise<TestOrg>
  /** Creates a key for an org, with the given mode and scopes. */
  newKey(orgId: string, opts?: { mode?: 'live' | 'test'; scopes?: Scope[] }): Promise<string>
  /** Event types of the org (live mode unless said), oldest first. */
  eventTypes(org?: TestOrg, livemode?: boolean): Promise<string[]>
  close(): Promise<void>
}

/** What makes two test apps differ: the configuration (environment and overrides) and the clock. */
export interface TestAppOptions {
  plan?: Plan
  env?: Record<string, string>
  clock?: Clock
  config?: Partial<Config>
  /**
   * An app of its own, shared with no other call: for a test that needs what the file's shared
   * app may already hold (per-address rate-limit counters, a blocked address, buffered audit rows).
   */
  fresh?: boolean
}

/** One app and its dependencies, shared by the calls of this file that ask for the same options. */
interface BuiltApp {
  app: FastifyInstance
  deps: Deps
  orgs: OrgsService
  close(): Promise<void>
}

/** The running file's apps by options key; a closed or listening app leaves the cache (see testApp). */
const builtApps = new Map<string, Promise<BuiltApp>>()
/** Every app the running file built: closed after it (test/setup.ts). */
const allApps: Promise<BuiltApp>[] = []
/** Identities of the clocks handed to testApp: apps with different clock objects are never shared. */
const clockIds = new WeakMap<Clock, number>()
let clocksSeen = 0

/**
 * Closes every app the running test file built; the next file builds its own. Called by the
 * setup file after each file's own afterAll hooks.
 */
/**
 * Ends the running file's use of its database (after its apps). An embedded database is emptied
 * and kept for the worker's next file, which then starts as from the migrated snapshot without
 * paying to load it again (2.7 s of CPU a file); one that can no longer be used is closed, and the
 * next file opens its own. PostgreSQL's pool is closed: the next file opens one.
 */
export async function closeFileDatabase(): Promise<void> {
  const handle = await shared
  if (handle?.engine === 'pglite' && (await emptyEmbedded(handle))) return
  shared = undefined
  await handle?.close()
}

/**
 * Truncates every table but the migrations' record (the schema stays as migrated) and resets the
 * session (settings, advisory locks, prepared plans): what a file wrote or set is gone for the next.
 * False when the database cannot be used any more.
 */
async function emptyEmbedded(handle: DatabaseHandle): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`
      select quote_ident(tablename) as name from pg_tables
      where schemaname = 'public' and tablename <> 'schema_migrations'`.execute(handle.db)
    const tables = rows.map((r) => r.name).join(', ')
    if (tables) await sql.raw(`truncate ${tables} restart identity cascade`).execute(handle.db)
    await sql`discard all`.execute(handle.db)
    return true
  } catch {
    return false
  }
}

export async function closeFileApps(): Promise<void> {
  const apps = allApps.splice(0)
  builtApps.clear()
  for (const built of apps) await (await built).close()
}

/**
 * The cache key of an app: the whole environment it was configured from, the config overrides and
 * the clock's identity; undefined (no sharing) when an override is not plain data.
 */
function appKey(env: Record<string, string | undefined>, opts: TestAppOptions): string | undefined {
  let plain = true
  const text = JSON.stringify({ env, config: opts.config ?? {} }, (_k, v) => {
    if (v === undefined) return { undefined: true }
    if (
      typeof v === 'function' ||
      (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype)
    )
      plain = false
    return v
  })
  if (!plain) return undefined
  let clock = 0
  if (opts.clock) {
    if (!clockIds.has(opts.clock)) clockIds.set(opts.clock, ++clocksSeen)
    clock = clockIds.get(opts.clock)!
  }
  return `${clock} ${text}`
}

async function buildTestApp(database: DatabaseHandle, config: Config, clock: Clock | undefined): Promise<BuiltApp> {
  const deps = await createDeps(config, { database, ...(clock ? { clock } : {}) })
  const app = await buildApp(deps, { logger: false })
  let closing: Promise<void> | undefined
  return {
    app,
    deps,
    orgs: new OrgsService(database.db),
    close: () => {
      closing ??= (async () => {
        await app.close()
        await deps.close()
      })()
      return closing
    },
  }
}

/**
 * The real app on this file's database, with a fresh organization (teams plan unless said). Calls
 * with the same configuration and clock share one app per file (building one costs far more than a
 * test), each with an organization of its own and the app's metrics reset; `fresh: true` gives an
 * app of its own. An app that a test closed or made listen is not handed out again. Every app is
 * closed after the file's tests; a test may close it earlier (`close()` closes the shared app).
 */
export async function testApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const database = await testDatabase()
  const env = { ...process.env, RAPPORT_ADMIN_TOKEN: ADMIN_TOKEN, RAPPORT_MASTER_KEY: TEST_MASTER_KEY, ...opts.env }
  const config = { ...loadConfig(env), ...opts.config }
  const key = opts.fresh ? undefined : appKey(env, opts)
  let pending = key === undefined ? undefined : builtApps.get(key)
  if (pending) {
    const cached = await pending
    if (cached.app.server.listening) {
      builtApps.delete(key!)
      pending = undefined
    } else {
      // What building the app did for this configuration, and zeroed counters as a new app has.
      usePlanScopes(config.planScopes)
      cached.deps.metrics.registry.resetMetrics()
    }
  }
  if (!pending) {
    pending = buildTestApp(database, config, opts.clock)
    allApps.push(pending)
    if (key !== undefined) builtApps.set(key, pending)
  }
  const built = await pending
  const { app, deps, orgs } = built
  const newOrg = async (plan: Plan = 'teams'): Promise<TestOrg> => {
    const created = await orgs.create({ name: `Org ${Math.random().toString(36).slice(2, 8)}`, plan })
    return { id: created.org.id, plan, key: created.api_key.key!, keyId: created.api_key.id }
  }
  const org = await newOrg(opts.plan ?? 'teams')
  const close = async () => {
    if (key !== undefined && builtApps.get(key) === pending) builtApps.delete(key)
    await built.close()
  }
  return {
    app,
    deps,
    org,
    api: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${org.key}`, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
    newOrg,
    newKey: async (orgId, keyOpts = {}) => {
      const created = await orgs.createKey(orgId, {
        mode: keyOpts.mode ?? 'live',
        ...(keyOpts.scopes ? { scopes: keyOpts.scopes } : {}),
      })
      return created.key!
    },
    eventTypes: async (o = org, livemode = true) =>
      (
        await database.db
          .selectFrom('events')
          .select('type')
          .where('org_id', '=', o.id)
          .where('livemode', '=', livemode)
          .orderBy('id')
          .execute()
      ).map((r) => r.type),
    close,
  }
}
