import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { openDatabase } from '../../src/db/database.js'
import { loadMigrations, migrate } from '../../src/db/migrator.js'
import type { Db } from '../../src/db/schema.js'

async function schemaOf(db: Db) {
  const columns = await sql<{ t: string; c: string; ty: string }>`
    select table_name as t, column_name as c, data_type as ty from information_schema.columns
    where table_schema = current_schema() order by 1, 2`.execute(db)
  const indexes = await sql<{
    i: string
  }>`select indexname as i from pg_indexes where schemaname = current_schema() order by 1`.execute(db)
  return { columns: columns.rows, indexes: indexes.rows }
}

describe('migrations', () => {
  test('are numbered, forward-only files with unique versions', () => {
    const versions = loadMigrations().map((m) => m.version)
    expect(versions.length).toBeGreaterThan(0)
    expect(new Set(versions).size).toBe(versions.length)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))
  })

  test('apply on an empty database, and a second run changes nothing', async () => {
    const handle = await openDatabase({ memory: true })
    try {
      const applied = await migrate(handle.db)
      expect(applied.map((m) => m.version)).toEqual(loadMigrations().map((m) => m.version))
      const before = await schemaOf(handle.db)
      expect(before.columns.length).toBeGreaterThan(10)
      expect(await migrate(handle.db)).toEqual([])
      expect(await schemaOf(handle.db)).toEqual(before)
    } finally {
      await handle.close()
    }
  })
})
