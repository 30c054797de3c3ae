import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrator.js'
import { newId } from '../../src/lib/ids.js'
import { secretBox } from '../../src/lib/secret-box.js'
import { ContactsService } from '../../src/modules/contacts/contacts.service.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import { spawnRapport, stop } from '../cli/rapport-process.js'
import { postgresAdminUrl, whyPostgresUnavailable } from '../ratelimit/backing-services.js'
import { startReceiver } from '../receiver.js'

/**
 * Worker processes against one PostgreSQL database of this file's own: a worker killed with
 * SIGKILL mid-send loses nothing, and two workers never send one delivery at the same time.
 */
const unavailable = await whyPostgresUnavailable()
const masterKey = randomBytes(32)
const databaseName = `rapport_wh_${randomBytes(4).toString('hex')}`
const databaseUrl = (() => {
  const u = new URL(postgresAdminUrl)
  u.pathname = `/${databaseName}`
  return u.toString()
})()
const workerEnv = {
  DATABASE_URL: databaseUrl,
  RAPPORT_MASTER_KEY: masterKey.toString('base64'),
  RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1',
  RAPPORT_WEBHOOK_TIMEOUT_MS: '2000',
  RAPPORT_WEBHOOK_RETRY_SCHEDULE: '1,1,1',
}

async function onAdminDatabase(statement: string) {
  const client = new pg.Client({ connectionString: postgresAdminUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

describe.skipIf(unavailable !== undefined)(
  `worker processes on PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let database: DatabaseHandle
    beforeAll(async () => {
      await onAdminDatabase(`create database "${databaseName}"`)
      database = await openDatabase({ url: databaseUrl })
      await migrate(database.db)
    })
    afterAll(async () => {
      await database?.close()
      await onAdminDatabase(`drop database if exists "${databaseName}" with (force)`)
    })

    async function orgWithEndpoint(url: string) {
      const { org } = await new OrgsService(database.db).create({ name: 'Workers', plan: 'teams' })
      const secret = `whsec_${randomBytes(24).toString('base64')}`
      await database.db
        .insertInto('webhook_endpoints')
        .values({
          id: newId('webhookEndpoint'),
          org_id: org.id,
          livemode: true,
          url,
          events: ['*'],
          metadata: '{}',
          secret_encrypted: secretBox(masterKey).seal(secret),
        })
        .execute()
      const contacts = new ContactsService(database.db)
      return async (n: number) => {
        for (let i = 0; i < n; i++)
          await contacts.create(
            { orgId: org.id, livemode: true },
            { email: `p${i}-${randomBytes(3).toString('hex')}@example.com` },
          )
      }
    }

    test('a worker killed with SIGKILL mid-send loses nothing: another worker delivers every event', async () => {
      const rx = await startReceiver((_req, res) => {
        setTimeout(() => res.writeHead(200).end('ok'), 150)
      })
      try {
        const createContacts = await orgWithEndpoint(rx.url)
        await createContacts(40)
        const first = spawnRapport(['worker'], workerEnv)
        await rx.waitFor(5, 60_000)
        first.child.kill('SIGKILL')
        await first.exited
        const second = spawnRapport(['worker'], workerEnv)
        try {
          const expected = await database.db
            .selectFrom('events')
            .select('id')
            .where('type', '=', 'contact.created')
            .execute()
          const deadline = Date.now() + 60_000
          for (;;) {
            const seen = new Set(rx.received.map((r) => r.headers['webhook-id']))
            if (expected.every((e) => seen.has(e.id))) break
            if (Date.now() > deadline) throw new Error(`received ${seen.size} of ${expected.length} events`)
            await new Promise((r) => setTimeout(r, 100))
          }
          // The deliveries the killed worker held come back only when its lease (timeout + 5 s)
          // runs out; wait past that for the second worker to record them.
          const notSucceeded = () =>
            database.db.selectFrom('webhook_deliveries').select('id').where('status', '!=', 'succeeded').execute()
          let pending = await notSucceeded()
          const leaseDeadline = Date.now() + 30_000
          while (pending.length > 0 && Date.now() < leaseDeadline) {
            await new Promise((r) => setTimeout(r, 200))
            pending = await notSucceeded()
          }
          expect(pending).toEqual([])
        } finally {
          await stop(second.child)
        }
      } finally {
        await rx.close()
      }
    }, 180_000)

    test('two workers share the queue without ever sending one delivery twice at the same time', async () => {
      const inFlight = new Set<string>()
      const overlaps: string[] = []
      const rx = await startReceiver()
      rx.respondWith((req, res) => {
        const id = String(req.headers['webhook-id'])
        if (inFlight.has(id)) overlaps.push(id)
        inFlight.add(id)
        setTimeout(() => {
          inFlight.delete(id)
          res.writeHead(200).end()
        }, 20)
      })
      try {
        await database.db.deleteFrom('webhook_endpoints').execute()
        const createContacts = await orgWithEndpoint(rx.url)
        const workers = [spawnRapport(['worker'], workerEnv), spawnRapport(['worker'], workerEnv)]
        try {
          await Promise.all(workers.map((w) => w.waitForLog((l) => l.msg === 'webhook worker started')))
          await createContacts(100)
          await rx.waitFor(100, 60_000)
          await new Promise((r) => setTimeout(r, 1000))
          expect(overlaps).toEqual([])
          expect(rx.received).toHaveLength(100)
          expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(100)
        } finally {
          await Promise.all(workers.map((w) => stop(w.child)))
        }
      } finally {
        await rx.close()
      }
    }, 180_000)
  },
)

// The configuration the spawned workers run with must be one the app accepts.
test('the worker environment of this file is a valid configuration', () => {
  expect(loadConfig(workerEnv).webhooks).toMatchObject({
    allowPrivate: true,
    timeoutMs: 2000,
    retryScheduleSec: [1, 1, 1],
  })
})
