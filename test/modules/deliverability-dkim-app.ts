import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { Scope } from '../../src/core/tenancy.js'
import { createDeps, type Deps } from '../../src/deps.js'
import type { Clock } from '../../src/lib/clock.js'
import type { DnsResolver } from '../../src/lib/dns-resolver.js'
import { type EmailWorker, startEmailWorker } from '../../src/modules/email/emails.worker.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import { testDatabase } from '../harness.js'

/** Sealed with this key in these tests (no key file is written). */
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64')

export interface DkimApp {
  deps: Deps
  orgId: string
  /** A request with the organization's live key, or `key`. */
  api(method: InjectOptions['method'], url: string, body?: unknown, key?: string): Promise<LightMyRequestResponse>
  newKey(opts?: { mode?: 'live' | 'test'; scopes?: Scope[] }): Promise<string>
  /** Another organization on the same app: its live key. */
  newOrg(): Promise<{ id: string; key: string }>
  /** Starts the email worker for this organization (stopped by close). */
  startWorker(): Promise<EmailWorker>
  close(): Promise<void>
}

/**
 * The real app on the file's database, wired with `resolver` as its DNS resolver (an in-process
 * zone: the DNS checks never reach the network) and, optionally, an SMTP server and a clock.
 */
export async function dkimApp(opts: { resolver: DnsResolver; env?: Record<string, string>; clock?: Clock }) {
  const database = await testDatabase()
  const config = loadConfig({
    ...process.env,
    RAPPORT_MASTER_KEY: MASTER_KEY,
    RAPPORT_EMAIL_RETRY_SCHEDULE: '0,0',
    ...opts.env,
  })
  const deps = await createDeps(config, {
    database,
    dnsResolver: opts.resolver,
    ...(opts.clock ? { clock: opts.clock } : {}),
  })
  const app = await buildApp(deps, { logger: false })
  const orgs = new OrgsService(database.db)
  const created = await orgs.create({ name: 'Acme', plan: 'teams' })
  const orgId = created.org.id
  const workers: EmailWorker[] = []
  const result: DkimApp = {
    deps,
    orgId,
    api: (method, url, body, key = created.api_key.key!) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}` },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
    newKey: async (keyOpts = {}) =>
      (
        await orgs.createKey(orgId, {
          mode: keyOpts.mode ?? 'live',
          ...(keyOpts.scopes ? { scopes: keyOpts.scopes } : {}),
        })
      ).key!,
    newOrg: async () => {
      const other = await orgs.create({ name: 'Other', plan: 'teams' })
      return { id: other.org.id, key: other.api_key.key! }
    },
    startWorker: async () => {
      const worker = await startEmailWorker({
        db: deps.db,
        mailer: deps.mailer,
        log: app.log,
        listen: deps.listen,
        retryScheduleSec: deps.config.email.retryScheduleSec,
        pollMs: 50,
        orgIds: [orgId],
      })
      workers.push(worker)
      return worker
    },
    async close() {
      for (const w of workers.splice(0)) await w.stop(2000)
      await app.close()
      await deps.close()
    },
  }
  return result
}
