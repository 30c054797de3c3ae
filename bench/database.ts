/**
 * The benchmark's own PostgreSQL database, `rapport_bench`: dropped and created again at the start of
 * every run (never `test`, which the test suite resets), migrated, and seeded with one teams
 * organization, its live secret key and the contacts that the GET scenarios read.
 */
import { sql } from 'kysely'
import pg from 'pg'
import { type DatabaseHandle, openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import { newId } from '../src/lib/ids.js'
import { OrgsService } from '../src/modules/orgs/orgs.service.js'

export const BENCH_DATABASE_NAME = 'rapport_bench'

export interface Seeded {
  /** Connection string of `rapport_bench`. */
  url: string
  serverVersion: string
  orgId: string
  /** A live secret key of the organization, with every scope of the teams plan. */
  key: string
  contactIds: string[]
}

/** `baseUrl` with its database replaced by `name` (user, password, host and options kept). */
export function withDatabase(baseUrl: string, name: string): string {
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function recreateDatabase(baseUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  try {
    await admin.query(`drop database if exists ${BENCH_DATABASE_NAME} with (force)`)
    await admin.query(`create database ${BENCH_DATABASE_NAME}`)
  } finally {
    await admin.end()
  }
}

export async function seedDatabase(url: string, contactCount: number): Promise<Seeded> {
  const handle = await openDatabase({ url }, { poolSize: 2 })
  try {
    const { db } = handle
    await migrate(db)
    const { org, api_key } = await new OrgsService(db).create({ name: 'Benchmark Org', plan: 'teams' })
    const contacts = Array.from({ length: contactCount }, (_, i) => ({
      id: newId('contact'),
      org_id: org.id,
      livemode: true,
      name: `Seeded Contact ${i}`,
      email: `seeded-${i}@example.com`,
      phone: '+1-555-0100',
      company: 'Acme Inc.',
      status: 'lead',
      source: 'import',
      tags: ['lead'],
      custom_fields: JSON.stringify({ plan_interest: 'teams', seats: i % 50 }),
    }))
    await db.insertInto('contacts').values(contacts).execute()
    await sql`analyze`.execute(db)
    const version = await sql<{ version: string }>`select version()`.execute(db)
    return {
      url,
      serverVersion: version.rows[0]?.version ?? 'unknown',
      orgId: org.id,
      key: api_key.key!,
      contactIds: contacts.map((c) => c.id),
    }
  } finally {
    await handle.close()
  }
}

/** The benchmark database, created if missing, with an empty `public` schema. */
export async function freshPostgres(url: string): Promise<DatabaseHandle> {
  const name = new URL(url).pathname.slice(1)
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() })
  await admin.connect()
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (exists.rowCount === 0) await admin.query(`create database ${pg.escapeIdentifier(name)}`)
  } finally {
    await admin.end()
  }
  const handle = await openDatabase({ url })
  await sql`drop schema if exists public cascade`.execute(handle.db)
  await sql`create schema public`.execute(handle.db)
  return handle
}
