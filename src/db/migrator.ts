import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Db } from './schema.js'

export interface Migration {
  version: number
  name: string
  sql: string
}

/** The `.sql` files live beside the sources; the compiled code finds them there too. */
function migrationsDir(): string {
  const candidates = [
    new URL('./migrations/', import.meta.url),
    new URL('../../../src/db/migrations/', import.meta.url),
  ]
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate)
    if (existsSync(dir)) return dir
  }
  throw new Error('migrations folder not found')
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(`${dir}/${file}`, 'utf8'),
    }))
}

/**
 * Applies every migration not yet recorded, in order, in one transaction. The transaction-scoped
 * advisory lock makes concurrent starters queue: the second one sees the first one's rows and
 * applies nothing.
 */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<Migration[]> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(7231604)`.execute(tx)
    await sql`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`.execute(tx)
    const applied = new Set(
      (await tx.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version),
    )
    const pending = migrations.filter((m) => !applied.has(m.version))
    for (const migration of pending) {
      await sql.raw(migration.sql).execute(tx)
      await tx.insertInto('schema_migrations').values({ version: migration.version, name: migration.name }).execute()
    }
    return pending
  })
}
