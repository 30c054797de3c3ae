import { sql } from 'kysely'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'

/**
 * With DATABASE_URL (CI's PostgreSQL pass), start every run from an empty schema and migrate it
 * once; test files then share that database, each working in organizations of its own. Without it,
 * every test file opens its own in-memory PGlite.
 */
export default async function setup() {
  const url = process.env.DATABASE_URL
  if (!url) return
  const handle = await openDatabase({ url })
  try {
    await sql`drop schema if exists public cascade`.execute(handle.db)
    await sql`create schema public`.execute(handle.db)
    await migrate(handle.db)
  } finally {
    await handle.close()
  }
}
