import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Db } from './schema.js'

export interface Migration {
  version: number
  name: string
  sql: string
}

/** A landed migration whose text no longer matches what was applied: the schemas have diverged. */
export class MigrationChangedError extends Error {
  constructor(readonly file: string) {
    super(
      `Migration ${file} was changed after it was applied to this database. A landed migration is never ` +
        'edited: restore its text and add a new migration with the change.',
    )
    this.name = 'MigrationChangedError'
  }
}

/** SHA-256 of a migration's text, line endings folded so a checkout with CRLF reads the same. */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex')
}

const fileOf = (m: Pick<Migration, 'version' | 'name'>) => `${String(m.version).padStart(4, '0')}_${m.name}.sql`

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
 * applies nothing. Each applied migration's checksum is recorded; a recorded migration whose file
 * now reads differently stops the start with `MigrationChangedError` (rows applied before checksums
 * were kept take the file's checksum on first sight). Versions this code does not know (a newer
 * release ran first, as in a rolling upgrade) are left alone.
 */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<Migration[]> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(7231604)`.execute(tx)
    await sql`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`.execute(tx)
    await sql`alter table schema_migrations add column if not exists checksum text`.execute(tx)
    const recorded = new Map(
      (await tx.selectFrom('schema_migrations').select(['version', 'checksum']).execute()).map((r) => [
        r.version,
        r.checksum,
      ]),
    )
    for (const migration of migrations) {
      if (!recorded.has(migration.version)) continue
      const checksum = checksumOf(migration.sql)
      const stored = recorded.get(migration.version)
      if (stored == null) {
        await tx.updateTable('schema_migrations').set({ checksum }).where('version', '=', migration.version).execute()
      } else if (stored !== checksum) {
        throw new MigrationChangedError(fileOf(migration))
      }
    }
    const pending = migrations.filter((m) => !recorded.has(m.version))
    for (const migration of pending) {
      await sql.raw(migration.sql).execute(tx)
      await tx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, checksum: checksumOf(migration.sql) })
        .execute()
    }
    return pending
  })
}
