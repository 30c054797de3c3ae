import { readFileSync } from 'node:fs'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, inject } from 'vitest'
import { buildApp } from '../src/app.js'
import type { Plan } from '../src/config.js'
import { type Config, loadConfig } from '../src/config.js'
import { type DatabaseHandle, openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import { createDeps, type Deps } from '../src/deps.js'
import type { Clock } from '../src/lib/clock.js'
import type { Scope } from '../src/modules/api-keys/principal.js'
import { OrgsService } from '../src/modules/orgs/orgs.service.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
/** Webhook secrets in tests are sealed with this key, so no test writes a key file into the repo. */
const TEST_MASTER_KEY = Buffer.alloc(32, 1).toString('base64')

let shared: Promise<DatabaseHandle> | undefined

/**
 * The database of this test file: the CI PostgreSQL (already migrated by the global setup) when
 * DATABASE_URL is set, otherwise one in-memory PGlite per file. Closed after the file's tests.
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
    afterAll(async () => {
      const handle = await shared
      shared = undefined
      await handle?.close()
    })
  }
  return shared
}

// Open the file's database before its first test, under the hook timeout: on a busy machine
// starting PGlite takes seconds, which belong to no test.
beforeAll(() => testDatabase().then(() => undefined))

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

/**
 * The real app on this file's database, with a fresh organization (teams plan unless said). Every
 * app is closed after the file's tests; a test may close it earlier.
 */
export async function testApp(
  opts: { plan?: Plan; env?: Record<string, string>; clock?: Clock; config?: Partial<Config> } = {},
): Promise<TestApp> {
  const database = await testDatabase()
  const config = {
    ...loadConfig({
      ...process.env,
      RAPPORT_ADMIN_TOKEN: ADMIN_TOKEN,
      RAPPORT_MASTER_KEY: TEST_MASTER_KEY,
      ...opts.env,
    }),
    ...opts.config,
  }
  const deps = await createDeps(config, { database, ...(opts.clock ? { clock: opts.clock } : {}) })
  const app = await buildApp(deps, { logger: false })
  const orgs = new OrgsService(database.db)
  const newOrg = async (plan: Plan = 'teams'): Promise<TestOrg> => {
    const created = await orgs.create({ name: `Org ${Math.random().toString(36).slice(2, 8)}`, plan })
    return { id: created.org.id, plan, key: created.api_key.key!, keyId: created.api_key.id }
  }
  const org = await newOrg(opts.plan ?? 'teams')
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await app.close()
    await deps.close()
  }
  afterAll(close)
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
