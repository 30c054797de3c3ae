import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { describeSchema, SCHEMA_PATH } from '../../scripts/write-schema.js'
import { openDatabase } from '../../src/db/database.js'
import { checksumOf, loadMigrations, MigrationChangedError, migrate } from '../../src/db/migrator.js'
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

// Each test starts a database from initdb and runs every migration: tens of seconds on a busy machine.
describe('migrations', { timeout: 180_000 }, () => {
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

  test('a landed migration whose text changed stops the start, naming the file', async () => {
    const handle = await openDatabase({ memory: true })
    try {
      const migrations = loadMigrations()
      await migrate(handle.db, migrations)
      const edited = migrations.map((m, i) => (i === 1 ? { ...m, sql: `${m.sql}\n-- edited later` } : m))
      const error = await migrate(handle.db, edited).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationChangedError)
      expect((error as Error).message).toContain(
        `${String(migrations[1]?.version).padStart(4, '0')}_${migrations[1]?.name}.sql`,
      )
      // Line endings alone are not a change.
      const crlf = migrations.map((m) => ({ ...m, sql: m.sql.replace(/\n/g, '\r\n') }))
      expect(await migrate(handle.db, crlf)).toEqual([])
    } finally {
      await handle.close()
    }
  })

  test('rows applied before checksums were kept take the file checksum, then changes are caught', async () => {
    const handle = await openDatabase({ memory: true })
    try {
      const migrations = loadMigrations()
      await migrate(handle.db, migrations)
      await sql`update schema_migrations set checksum = null`.execute(handle.db)
      expect(await migrate(handle.db, migrations)).toEqual([])
      const stored = await sql<{ version: number; checksum: string }>`
        select version, checksum from schema_migrations order by version`.execute(handle.db)
      expect(stored.rows).toEqual(migrations.map((m) => ({ version: m.version, checksum: checksumOf(m.sql) })))
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql} ` } : m))
      await expect(migrate(handle.db, edited)).rejects.toBeInstanceOf(MigrationChangedError)
    } finally {
      await handle.close()
    }
  })

  test('a version applied by a newer release is left alone', async () => {
    const handle = await openDatabase({ memory: true })
    try {
      const migrations = loadMigrations()
      await migrate(handle.db, migrations)
      expect(await migrate(handle.db, migrations.slice(0, -1))).toEqual([])
    } finally {
      await handle.close()
    }
  })

  test('docs/schema.sql is the schema the migrations build', async () => {
    const handle = await openDatabase({ memory: true })
    try {
      await migrate(handle.db)
      const generated = await describeSchema(handle.db)
      const committed = readFileSync(SCHEMA_PATH, 'utf8')
      expect(committed === generated, 'docs/schema.sql is out of date: run `npm run schema` and commit it').toBe(true)
    } finally {
      await handle.close()
    }
  })
})
