/**
 * Data for the CRM benchmark (`crm.ts`): its own database `rapport_bench_crm`, the CSV it imports,
 * the plain-SQL baseline of the import, and the exact SQL of a search (captured from Rapport's own
 * query builder, so that the baseline runs what the API runs).
 */
import { createReadStream } from 'node:fs'
import { parse } from 'csv-parse'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { migrate } from '../src/db/migrator.js'
import type { Database } from '../src/db/schema.js'
import { newId } from '../src/lib/ids.js'
import { searchContacts } from '../src/modules/contacts/bulk/search.repo.js'
import { OrgsService } from '../src/modules/orgs/orgs.service.js'
import { writeCsvFile } from './csv-file.js'
import { withDatabase } from './database.js'

export const CRM_DATABASE_NAME = 'rapport_bench_crm'
const STATUSES = ['lead', 'prospect', 'customer', 'churned']
const PLANS = ['free', 'pro', 'teams', 'enterprise']
const TAGS = ['vip', 'newsletter', 'partner', 'event-2025', 'churn-risk', 'trial']
const SURNAMES = ['Smith', 'Garcia', 'Chen', 'Okafor', 'Novak', 'Silva', 'Kowalski', 'Haddad', 'Tanaka', 'Müller']

export interface CrmDatabase {
  url: string
  serverVersion: string
  orgId: string
  key: string
}

export async function recreateCrmDatabase(baseUrl: string): Promise<CrmDatabase> {
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  try {
    await admin.query(`drop database if exists ${CRM_DATABASE_NAME} with (force)`)
    await admin.query(`create database ${CRM_DATABASE_NAME}`)
  } finally {
    await admin.end()
  }
  const url = withDatabase(baseUrl, CRM_DATABASE_NAME)
  const db = kyselyOn(url)
  try {
    await migrate(db)
    const { org, api_key } = await new OrgsService(db).create({ name: 'CRM Benchmark Org', plan: 'teams' })
    const version = await sql<{ version: string }>`select version()`.execute(db)
    return { url, serverVersion: version.rows[0]?.version ?? 'unknown', orgId: org.id, key: api_key.key! }
  } finally {
    await db.destroy()
  }
}

export function kyselyOn(url: string, log?: (query: { sql: string; parameters: readonly unknown[] }) => void) {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
    ...(log
      ? {
          log: (e) => {
            if (e.level === 'query') log(e.query)
          },
        }
      : {}),
  })
}

/** Writes `rows` contacts as CSV (streamed, deterministic): unique emails, mixed statuses, tags and plans. */
export function writeCsv(file: string, rows: number): Promise<number> {
  const header = 'name,email,phone,company,status,tags,external_id,custom_fields.plan,custom_fields.seats'
  return writeCsvFile(file, header, rows, (i) => {
    const tags = [TAGS[i % TAGS.length], TAGS[(i * 7) % TAGS.length]].join(';')
    return `Person ${i} ${SURNAMES[i % SURNAMES.length]},person-${i}@example.com,+1-555-${String(i % 10_000).padStart(4, '0')},Company ${i % 5000},${STATUSES[i % 4]},${tags},ext-${i},${PLANS[i % 4]},${i % 200}`
  })
}

/**
 * The baseline of the import: the same file parsed with csv-parse in this process, and its rows
 * inserted straight into `contacts` with multi-row `insert … select from unnest(…)` statements of
 * 1,000 rows, in one transaction. No validation, no lookup of existing contacts, no tags table, no
 * event: the floor that the API's import is compared with.
 */
export async function baselineImport(url: string, file: string, orgId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  let rows = 0
  try {
    await client.query('begin')
    let batch: string[][] = []
    const flush = async () => {
      if (batch.length === 0) return
      const col = (i: number) => batch.map((r) => r[i] ?? '')
      await client.query(
        `insert into contacts (id, org_id, livemode, name, email, phone, company, status, source, tags, external_id, custom_fields)
         select u.id, $1, true, u.name, u.email, u.phone, u.company, u.status, 'import', string_to_array(u.tags, ';'), u.external_id,
           jsonb_build_object('plan', u.plan, 'seats', u.seats)
         from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
           as u(id, name, email, phone, company, status, tags, external_id, plan, seats)`,
        [orgId, batch.map(() => newId('contact')), ...Array.from({ length: 9 }, (_, i) => col(i))],
      )
      rows += batch.length
      batch = []
    }
    const parser = createReadStream(file).pipe(parse({ from_line: 2 }))
    for await (const record of parser as AsyncIterable<string[]>) {
      batch.push(record)
      if (batch.length === 1000) await flush()
    }
    await flush()
    await client.query('commit')
  } finally {
    await client.end()
  }
  return rows
}

/** Empties the contacts (and what hangs off them) between the baseline and the API import, then VACUUM ANALYZE. */
export async function emptyContacts(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('truncate contacts, tags, events, webhook_deliveries cascade')
    await client.query('vacuum analyze contacts')
  } finally {
    await client.end()
  }
}

export async function analyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query('vacuum analyze').finally(() => client.end())
}

export interface CapturedQuery {
  sql: string
  parameters: readonly unknown[]
}

/** The statements Rapport runs for one search (the page and the count), captured from its own code. */
export async function captureSearchSql(url: string, orgId: string, body: Record<string, unknown>) {
  const captured: CapturedQuery[] = []
  const db = kyselyOn(url, (q) => captured.push({ sql: q.sql, parameters: q.parameters }))
  try {
    const page = await searchContacts(db, { orgId, livemode: true }, body as Parameters<typeof searchContacts>[2])
    return { queries: captured, total: page.pagination.total }
  } finally {
    await db.destroy()
  }
}
