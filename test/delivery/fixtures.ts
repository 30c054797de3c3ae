import { randomBytes } from 'node:crypto'
import { newId } from '../../src/lib/ids.js'
import { startWorker, type Worker } from '../../src/webhook-worker/worker.js'
import type { TestApp, TestOrg } from '../harness.js'
import { testApp } from '../harness.js'

export const SHORT_RETRIES = {
  RAPPORT_WEBHOOK_RETRY_SCHEDULE: '1,1',
  RAPPORT_WEBHOOK_TIMEOUT_MS: '1500',
  RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1',
}

/** An app whose webhooks may target loopback, retry after 1 s twice, and time out after 1.5 s. */
export function webhookApp(env: Record<string, string> = {}) {
  return testApp({ env: { ...SHORT_RETRIES, ...env } })
}

/** Inserts an endpoint the way the API stores one (sealed secret) and returns it with its secret. */
export async function createEndpoint(
  h: TestApp,
  opts: {
    url: string
    events?: string[]
    livemode?: boolean
    org?: TestOrg
    previousSecret?: string
    previousExpiresAt?: Date
  },
) {
  const secret = `whsec_${randomBytes(24).toString('base64')}`
  const id = newId('webhookEndpoint')
  await h.deps.db
    .insertInto('webhook_endpoints')
    .values({
      id,
      org_id: (opts.org ?? h.org).id,
      livemode: opts.livemode ?? true,
      url: opts.url,
      events: opts.events ?? ['*'],
      metadata: '{}',
      secret_encrypted: h.deps.secretBox.seal(secret),
      previous_secret_encrypted: opts.previousSecret ? h.deps.secretBox.seal(opts.previousSecret) : null,
      previous_secret_expires_at: opts.previousExpiresAt ?? null,
    })
    .execute()
  return { id, secret }
}

/** Starts a worker on the app's database, on the app's clock; the test stops it (a file that leaves one running fails). */
export async function worker(h: TestApp, opts: { concurrency?: number; pollMs?: number } = {}): Promise<Worker> {
  const w = await startWorker({
    db: h.deps.db,
    config: h.deps.config,
    secretBox: h.deps.secretBox,
    log: h.app.log,
    listen: h.deps.listen,
    clock: h.deps.clock,
    pollMs: opts.pollMs ?? 100,
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
  })
  return w
}

export async function deliveriesOf(h: TestApp, endpointId: string) {
  return h.deps.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at')
    .execute()
}

export async function attemptsOf(h: TestApp, endpointId: string) {
  return h.deps.db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('started_at')
    .execute()
}

/** Polls `check` until it returns true (or fails after `timeoutMs`). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}
