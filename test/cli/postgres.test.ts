import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, test } from 'vitest'
import { loadMigrations } from '../../src/db/migrator.js'
import { type RapportProcess, runRapport, spawnRapport, stop } from './rapport-process.js'

/**
 * A server where this file may create and drop databases of its own (it never touches the suite's
 * shared one): RAPPORT_TEST_POSTGRES_ADMIN_URL, else the `postgres` database of DATABASE_URL's server.
 */
const ADMIN_URL = process.env.RAPPORT_TEST_POSTGRES_ADMIN_URL ?? adminUrlOf(process.env.DATABASE_URL)

function adminUrlOf(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'postgres://postgres@127.0.0.1:5432/postgres'
  const url = new URL(databaseUrl)
  url.pathname = '/postgres'
  return url.toString()
}

async function isReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

async function admin<T>(run: (client: pg.Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

const created: string[] = []

/** A new empty database, dropped after the file's tests. */
async function freshDatabase(): Promise<string> {
  const name = `rapport_cli_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`create database ${name}`))
  created.push(name)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}

afterAll(async () => {
  if (created.length === 0) return
  await admin(async (c) => {
    for (const name of created) await c.query(`drop database if exists ${name} with (force)`)
  })
})

const reachable = await isReachable(ADMIN_URL)
const title = reachable
  ? 'rapport on PostgreSQL'
  : `rapport on PostgreSQL (skipped: no PostgreSQL answers at ${new URL(ADMIN_URL).host}; set RAPPORT_TEST_POSTGRES_ADMIN_URL)`

describe.skipIf(!reachable)(title, () => {
  test('two servers starting at once on a fresh database both come up, and the migrations apply once', async () => {
    const url = await freshDatabase()
    const env = { DATABASE_URL: url, RAPPORT_KEY_CACHE_MS: '0' }
    const servers: RapportProcess[] = [spawnRapport(['start'], env), spawnRapport(['api'], env)]
    try {
      const urls = await Promise.all(servers.map((s) => s.waitForUrl()))
      for (const base of urls) {
        const ready = await fetch(new URL('/readyz', base))
        expect(await ready.json()).toEqual({ status: 'ready', database: 'postgres' })
      }
      const appliers = servers.filter((s) => s.stdout().includes('"msg":"applied database migrations"'))
      expect(appliers).toHaveLength(1)
      const versions = await admin(
        async (c) =>
          (await c.query('select version from schema_migrations order by version')).rows.map((r) => r.version),
        url,
      )
      expect(versions).toEqual(loadMigrations().map((m) => m.version))

      // With DATABASE_URL the CLI works on the database itself, and every API process sees the result.
      const org = await runRapport(['org', 'create', '--name', 'Shared', '--plan', 'pro', '--json'], env)
      expect(org.code).toBe(0)
      const key = (org.json.api_key as { key: string }).key
      for (const base of urls) {
        const res = await fetch(new URL('/api/v1/contacts', base), { headers: { authorization: `Bearer ${key}` } })
        expect(res.status).toBe(200)
      }
      for (const s of servers) {
        await stop(s.child)
        expect(await s.exited, `${s.stdout().split('\n').slice(-8).join('\n')}\n${s.stderr()}`).toEqual({
          code: 0,
          signal: null,
        })
      }
    } finally {
      for (const s of servers) await stop(s.child, 'SIGKILL')
    }
  }, 180_000)

  test('two migrate commands at once on a fresh database both succeed, and one of them applies the migrations', async () => {
    const env = { DATABASE_URL: await freshDatabase() }
    const results = await Promise.all([runRapport(['migrate', '--json'], env), runRapport(['migrate', '--json'], env)])
    expect(results.map((r) => r.code)).toEqual([0, 0])
    const counts = results.map((r) => (r.json.applied as unknown[]).length).sort()
    expect(counts).toEqual([0, loadMigrations().length])
  }, 120_000)

  test('a worker connects, starts webhook delivery, and stops on SIGTERM with exit code 0', async () => {
    const worker = spawnRapport(['worker'], { DATABASE_URL: await freshDatabase() })
    const started = await worker.waitForLog((l) => l.role === 'worker')
    expect(started.msg).toMatch(/^Rapport worker running\n {2}Database {3}postgres at .+\/rapport_cli_\w+$/)
    expect(started).toMatchObject({ engine: 'postgres' })
    expect(worker.stdout()).toContain('webhook worker started')
    await stop(worker.child)
    expect(worker.stdout()).toContain('webhook worker stopped')
    expect(await worker.exited).toEqual({ code: 0, signal: null })
  }, 60_000)
})
