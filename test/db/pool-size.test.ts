import { sql } from 'kysely'
import { describe, expect, onTestFinished, test } from 'vitest'
import { databaseTargetOf, loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/database.js'
import type { Db } from '../../src/db/schema.js'
import { createDeps } from '../../src/deps.js'

const databaseUrl = process.env.DATABASE_URL
const MASTER_KEY = Buffer.alloc(32, 1).toString('base64')

/**
 * How many connections a pool opens for 12 statements sent at once: each statement a pool cannot
 * give an idle connection opens a new one until the pool is full, and a connection it opens serves
 * the statement it was opened for first, so the count of distinct backends is min(12, pool size).
 */
async function connectionsFor12Statements(db: Db): Promise<number> {
  const results = await Promise.all(
    Array.from({ length: 12 }, () => sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)),
  )
  return new Set(results.map((r) => r.rows[0]!.pid)).size
}

describe('RAPPORT_DB_POOL_SIZE', () => {
  test('defaults to 10 and takes any whole number from 1', () => {
    expect(loadConfig({}).dbPoolSize).toBe(10)
    expect(loadConfig({ RAPPORT_DB_POOL_SIZE: '1' }).dbPoolSize).toBe(1)
    expect(loadConfig({ RAPPORT_DB_POOL_SIZE: '40' }).dbPoolSize).toBe(40)
  })

  test('refuses 0 and what is not a whole number, naming the setting', () => {
    expect(() => loadConfig({ RAPPORT_DB_POOL_SIZE: '0' })).toThrow(
      'RAPPORT_DB_POOL_SIZE must be an integer of at least 1, got "0"',
    )
    for (const value of ['ten', '2.5', '-3']) {
      expect(() => loadConfig({ RAPPORT_DB_POOL_SIZE: value })).toThrow(
        `RAPPORT_DB_POOL_SIZE must be a non-negative integer, got "${value}"`,
      )
    }
  })

  test('is part of the PostgreSQL target only: the embedded database has no pool', () => {
    const env = { RAPPORT_DB_POOL_SIZE: '3', RAPPORT_DATA_DIR: 'ignored-data-dir' }
    expect(databaseTargetOf(loadConfig({ ...env, DATABASE_URL: 'postgres://db.internal/rapport' }))).toMatchObject({
      poolSize: 3,
    })
    expect(databaseTargetOf(loadConfig(env))).not.toHaveProperty('poolSize')
  })
})

describe.skipIf(!databaseUrl)('RAPPORT_DB_POOL_SIZE on PostgreSQL', () => {
  const configWith = (env: Record<string, string>) =>
    loadConfig({ DATABASE_URL: databaseUrl!, RAPPORT_MASTER_KEY: MASTER_KEY, ...env })

  test('sizes the pool a server opens (the API of `rapport api` and `rapport start`, `rapport worker`)', async () => {
    const handle = await openDatabase(databaseTargetOf(configWith({ RAPPORT_DB_POOL_SIZE: '3' })))
    onTestFinished(() => handle.close())
    expect(await connectionsFor12Statements(handle.db)).toBe(3)
  })

  test('unset, the pool has 10 connections', async () => {
    const handle = await openDatabase(databaseTargetOf(configWith({})))
    onTestFinished(() => handle.close())
    expect(await connectionsFor12Statements(handle.db)).toBe(10)
  })

  test('sizes the worker thread’s own pool: the thread opens it with createDeps from its copy of the configuration', async () => {
    // What src/cli/worker-thread-main.ts does with the structured-cloned `workerData.config`.
    const deps = await createDeps(structuredClone(configWith({ RAPPORT_DB_POOL_SIZE: '2' })))
    onTestFinished(() => deps.close())
    expect(await connectionsFor12Statements(deps.db)).toBe(2)
  })

  test('a one-shot CLI command keeps its single connection whatever the setting', async () => {
    // As src/cli/dispatch.ts opens the database for a command run without a server.
    const handle = await openDatabase(databaseTargetOf(configWith({ RAPPORT_DB_POOL_SIZE: '5' })), { poolSize: 1 })
    onTestFinished(() => handle.close())
    expect(await connectionsFor12Statements(handle.db)).toBe(1)
  })
})
