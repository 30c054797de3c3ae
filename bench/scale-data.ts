/**
 * Seeding for the scale benchmark: set-based SQL (`insert … select generate_series`), so a million
 * contacts take seconds of the database's time and no round trip per row. Rows are numbered, so the
 * table grows in steps (10k, then up to 100k, then up to 1M) and each step measures the same
 * requests on a bigger table.
 */
import { sql } from 'kysely'
import type { Db } from '../src/db/schema.js'

/** The newest row is row 1; each next row is one second older. */
const EPOCH = '2026-01-01T00:00:00Z'

/**
 * Contacts `from`…`to` (inclusive) of the organization: every 10th without a name, every 7th a
 * customer, every 3rd imported, every 100th tagged `vip` (all of them without a name) and the one
 * after it `partner` (all named); searchable text in four columns.
 */
export async function seedContacts(db: Db, orgId: string, from: number, to: number): Promise<void> {
  await sql`insert into contacts (id, org_id, livemode, name, email, phone, company, status, source, tags, created_at, updated_at)
    select 'c_scale' || lpad(g::text, 8, '0'), ${orgId}, true,
      case when g % 10 = 0 then null else 'Person ' || g end,
      'p' || g || '@example.com',
      '+1555' || lpad(g::text, 7, '0'),
      'Company ' || (g % 5000),
      case when g % 7 = 0 then 'customer' else 'lead' end,
      case when g % 3 = 0 then 'import' else 'api' end,
      case when g % 100 = 0 then array['vip'] when g % 100 = 1 then array['partner'] else array[]::text[] end,
      ${EPOCH}::timestamptz - g * interval '1 second',
      ${EPOCH}::timestamptz - g * interval '1 second'
    from generate_series(${from}::int, ${to}::int) g`.execute(db)
}

/** Events `from`…`to` of the organization, alternating two types, one second apart. */
export async function seedEvents(db: Db, orgId: string, from: number, to: number): Promise<void> {
  await sql`insert into events (id, org_id, livemode, type, data, created_at)
    select 'evt_scale' || lpad(g::text, 8, '0'), ${orgId}, true,
      case when g % 2 = 0 then 'contact.created' else 'contact.updated' end,
      jsonb_build_object('id', 'c_scale' || g), ${EPOCH}::timestamptz - g * interval '1 second'
    from generate_series(${from}::int, ${to}::int) g`.execute(db)
}

/** Audit rows `from`…`to` of the organization (API calls), one second apart. */
export async function seedAudit(db: Db, orgId: string, from: number, to: number): Promise<void> {
  await sql`insert into audit_log (id, org_id, livemode, occurred_at, method, path, status, duration_ms, request_id)
    select 'al_scale' || lpad(g::text, 8, '0'), ${orgId}, true, ${EPOCH}::timestamptz - g * interval '1 second',
      case when g % 4 = 0 then 'POST' else 'GET' end, '/api/v1/contacts', case when g % 50 = 0 then 404 else 200 end,
      1.5, 'req_' || g
    from generate_series(${from}::int, ${to}::int) g`.execute(db)
}

/**
 * Runs a bulk load with the table's secondary indexes dropped, then builds them again from their
 * own definitions (`pg_indexes`): building an index once by sorting takes a fraction of the time of
 * updating it row by row (the trigram GIN index most of all). Indexes behind constraints stay.
 */
export async function withIndexesRebuilt(db: Db, table: string, load: () => Promise<void>): Promise<void> {
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes i
    where schemaname = 'public' and tablename = ${table}
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db)
  for (const i of indexes.rows) await sql`drop index ${sql.id(i.indexname)}`.execute(db)
  await load()
  await sql`set maintenance_work_mem = '128MB'`.execute(db)
  for (const i of indexes.rows) await sql.raw(i.indexdef).execute(db)
}

/**
 * What autovacuum and the checkpointer would do after a bulk load: statistics, the visibility map
 * (index-only scans), the trigram index's pending list merged, and the load's dirty pages written,
 * so that no request measured next waits behind that writing.
 */
export async function settle(db: Db, tables: string[]): Promise<void> {
  for (const table of tables) await sql`vacuum analyze ${sql.table(table)}`.execute(db)
  await sql`checkpoint`.execute(db)
}

/** A cursor as a list writes it, for the row `id` under sort `s`: a page from the middle of the table. */
export async function cursorAt(db: Db, table: string, sortValue: string, s: string, id: string): Promise<string> {
  const row = await sql<{
    v: string | null
  }>`select (${sql.raw(sortValue)})::text as v from ${sql.table(table)} where id = ${id}`.execute(db)
  return Buffer.from(JSON.stringify({ s, v: row.rows[0]?.v ?? null, id })).toString('base64url')
}

export const contactId = (n: number) => `c_scale${String(n).padStart(8, '0')}`
export const eventId = (n: number) => `evt_scale${String(n).padStart(8, '0')}`
export const auditId = (n: number) => `al_scale${String(n).padStart(8, '0')}`
