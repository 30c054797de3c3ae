import { createHmac, randomBytes } from 'node:crypto'
import path from 'node:path'
import { Webhook } from 'standardwebhooks'
import { describe, expect, test } from 'vitest'
import { startupBanner } from '../../src/cli/banner.js'
import { startReceiver } from '../receiver.js'
import { runRapport, spawnRapport, stop, tempDir } from './rapport-process.js'

const dataDir = path.join(tempDir('rapport-listen-'), 'data')

describe('the start-up banner', () => {
  test('names the dashboard, API and docs under RAPPORT_PUBLIC_URL when it is set, with engine and data dir', () => {
    const config = { databaseUrl: undefined, dataDir: '/srv/rapport', adminToken: undefined }
    const banner = startupBanner('start', config, 'http://0.0.0.0:3000', 'https://crm.example.com')
    expect(banner.facts).toMatchObject({
      url: 'http://0.0.0.0:3000',
      dashboard: 'https://crm.example.com/app',
      api: 'https://crm.example.com/api/v1',
      docs: 'https://crm.example.com/docs',
      engine: 'pglite',
      data_dir: '/srv/rapport',
    })
    expect(banner.message).toContain('Dashboard  https://crm.example.com/app')
    expect(banner.message).toContain('Database   embedded PGlite, data dir /srv/rapport')
  })

  test('a PostgreSQL server is named without its credentials', () => {
    const config = { databaseUrl: 'postgres://u:secret@db.internal:5432/crm', dataDir: '/x', adminToken: 'a' }
    const banner = startupBanner('api', config, 'http://127.0.0.1:3000', 'http://127.0.0.1:3000')
    expect(banner.facts).toMatchObject({ engine: 'postgres', database: 'postgres at db.internal:5432/crm' })
    expect(banner.message).not.toContain('secret')
  })
})

describe('rapport listen', () => {
  test('a running server logs its banner with the URLs it listens at; listen forwards contact.created, signed, to a local receiver', async () => {
    const server = spawnRapport(['start'], { RAPPORT_DATA_DIR: dataDir, RAPPORT_LOG_FORMAT: 'json' })
    const banner = await server.waitForLog((l) => typeof l.dashboard === 'string', 180_000)
    const origin = String(banner.url)
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(banner).toMatchObject({
      dashboard: `${origin}/app`,
      api: `${origin}/api/v1`,
      docs: `${origin}/docs`,
      engine: 'pglite',
      data_dir: dataDir,
    })
    const docs = await fetch(String(banner.docs))
    expect(docs.status).toBe(200)

    const created = await runRapport(['org', 'create', '--name', 'Listen', '--plan', 'teams', '--json'], {
      RAPPORT_DATA_DIR: dataDir,
    })
    expect(created.code, created.stderr).toBe(0)
    const key = (created.json as { api_key: { key: string } }).api_key.key

    const rx = await startReceiver()
    const secret = `whsec_${randomBytes(24).toString('base64')}`
    const listener = spawnRapport(['listen', '--forward-to', rx.url, '--secret', secret], {
      RAPPORT_KEY: key,
      RAPPORT_URL: origin,
    })
    try {
      const deadline = Date.now() + 60_000
      while (!listener.stdout().includes('Ready.')) {
        if (Date.now() > deadline || listener.child.exitCode !== null) {
          throw new Error(`listen did not start:\n${listener.stdout()}\n${listener.stderr()}`)
        }
        await new Promise((r) => setTimeout(r, 50))
      }
      const res = await fetch(`${origin}/api/v1/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Jane', email: 'jane@example.com' }),
      })
      expect(res.status).toBe(201)
      const contact = (await res.json()) as { id: string }

      await rx.waitFor(1, 30_000)
      const [got] = rx.received
      const headers = got!.headers as Record<string, string>
      const payload = new Webhook(secret).verify(got!.body, headers) as {
        id: string
        event: string
        data: { id: string }
      }
      expect(payload).toMatchObject({ event: 'contact.created', data: { id: contact.id, email: 'jane@example.com' } })
      expect(headers['x-webhook-signature']).toBe(createHmac('sha256', secret).update(got!.body).digest('hex'))
      expect(headers['webhook-id']).toBe(payload.id)

      const deadlineLine = Date.now() + 10_000
      while (!/contact\.created\s+evt_\w+\s+--> POST \S+ \[200\]/.test(listener.stdout())) {
        if (Date.now() > deadlineLine) throw new Error(`no delivery line:\n${listener.stdout()}`)
        await new Promise((r) => setTimeout(r, 50))
      }
      // One line per delivery: exactly one event was forwarded.
      expect(listener.stdout().match(/--> POST/g)).toHaveLength(1)
    } finally {
      await stop(listener.child)
      await stop(server.child)
      await rx.close()
    }
    expect(await listener.exited).toMatchObject({ code: 0 })
  }, 300_000)
})
