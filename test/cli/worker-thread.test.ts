import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import type { DatabaseHandle } from '../../src/db/database.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import { ownPostgresDatabase } from '../own-postgres.js'
import { startReceiver } from '../receiver.js'
import { spawnRapport } from './rapport-process.js'

/**
 * `rapport start` on PostgreSQL runs the worker on a thread of its own (its own event loop and
 * connections), so a saturated API cannot starve delivery; RAPPORT_WORKER_THREAD=off keeps it on
 * the API's loop. Either way a created contact reaches its endpoint and a SIGTERM stops cleanly.
 */
const databaseUrl = process.env.DATABASE_URL

describe.skipIf(!databaseUrl)('rapport start on PostgreSQL: where the worker runs', () => {
  // A database of its own: the process's worker would otherwise take other files' work.
  let database: { url: string; handle: DatabaseHandle; drop(): Promise<void> }
  beforeAll(async () => {
    database = await ownPostgresDatabase('rapport_thread')
    return database.drop
  })

  async function deliversAndStops(env: Record<string, string>) {
    const masterKey = randomBytes(32).toString('base64')
    const created = await new OrgsService(database.handle.db).create({ name: 'Thread', plan: 'teams' })
    const receiver = await startReceiver()
    const proc = spawnRapport(['start'], {
      DATABASE_URL: database.url,
      RAPPORT_MASTER_KEY: masterKey,
      RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1',
      ...env,
    })
    const url = await proc.waitForUrl(60_000)
    const call = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.api_key.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect((await call('/api/v1/webhook_endpoints', { url: receiver.url, events: ['contact.created'] })).status).toBe(
      201,
    )
    expect((await call('/api/v1/contacts', { email: 'thread@example.com' })).status).toBe(201)
    await receiver.waitFor(1, 30_000)
    expect(JSON.parse(receiver.received[0]!.body).event).toBe('contact.created')
    proc.child.kill('SIGTERM')
    expect((await proc.exited).code).toBe(0)
    await receiver.close()
    return proc
  }

  test('by default the worker runs on its own thread and delivers', async () => {
    const proc = await deliversAndStops({})
    expect(proc.stdout()).toContain('worker running on a thread of its own')
  }, 120_000)

  test('RAPPORT_WORKER_THREAD=off runs it on the API thread, and it still delivers', async () => {
    const proc = await deliversAndStops({ RAPPORT_WORKER_THREAD: 'off' })
    expect(proc.stdout()).not.toContain('worker running on a thread of its own')
  }, 120_000)
})
