import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type DatabaseHandle, openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'

/**
 * A migrated PostgreSQL database of its own on DATABASE_URL's server; `drop` closes and drops it
 * (return it from `beforeAll`). For tests that start `rapport` processes: a process's workers take work from
 * every organization of its database, so on the suite's shared database they would send other
 * files' queued messages and deliveries (with another master key, to another mailbox).
 */
export async function ownPostgresDatabase(
  prefix: string,
): Promise<{ url: string; handle: DatabaseHandle; drop(): Promise<void> }> {
  const shared = process.env.DATABASE_URL
  if (!shared) throw new Error('ownPostgresDatabase needs DATABASE_URL')
  const name = `${prefix}_${randomBytes(4).toString('hex')}`
  const admin = new URL(shared)
  admin.pathname = '/postgres'
  const onAdmin = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin.toString() })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await onAdmin(`create database ${pg.escapeIdentifier(name)}`)
  const url = new URL(shared)
  url.pathname = `/${name}`
  const handle = await openDatabase({ url: url.toString() }, { poolSize: 3 })
  const drop = async () => {
    await handle.close()
    await onAdmin(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`)
  }
  await migrate(handle.db)
  return { url: url.toString(), handle, drop }
}
