/**
 * The scale benchmark (`BENCH_SCENARIOS=scale npm run bench`): the same list requests on one
 * organization holding 10k, 100k and 1M contacts on PostgreSQL (10k and 100k on the embedded
 * database), median of 7 after 2 warm-up requests, one client over loopback HTTP; then the events
 * list and the audit log at 100k and 5M rows (PostgreSQL). Writes `bench:scale` in docs/benchmarks.md
 * with growth ratios. The goals (issue "a million contacts"): ≤ 25 ms median at 1M on PostgreSQL and
 * within 2× of 10k; the embedded database at 100k within 3× of 10k. Then, on each engine, a CSV
 * import job against a batched-insert baseline (`scale-imports.ts`): 1M rows on PostgreSQL, 100k
 * on the embedded database.
 *
 * PostgreSQL: `BENCH_SCALE_DATABASE_URL` (default the `rapport_bench_scale` database, created if
 * missing), whose `public` schema is dropped and migrated again. `BENCH_SCALE_SIZES`,
 * `BENCH_SCALE_LOG_ROWS` and `BENCH_SCALE_IMPORT_ROWS` (PostgreSQL, embedded; 0 skips one) shrink
 * a trial run (a partial run leaves the docs unchanged).
 */
import type { AddressInfo } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'kysely'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { type DatabaseHandle, openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import { createDeps, type Deps } from '../src/deps.js'
import { OrgsService } from '../src/modules/orgs/orgs.service.js'
import { freshPostgres } from './database.js'
import { describeMachine, median, oneMinuteLoad, writeSection } from './report.js'
import {
  auditId,
  contactId,
  cursorAt,
  eventId,
  seedAudit,
  seedContacts,
  seedEvents,
  settle,
  withIndexesRebuilt,
} from './scale-data.js'
import { type ImportMeasurement, measureImport } from './scale-imports.js'
import { measurePurges } from './scale-purge.js'
import { renderScaleSection, type ScaleResults, type ScaleTable } from './scale-section.js'

export const SCALE_SCENARIO_ID = 'scale'

const SAMPLES = 7
const WARMUP = 2
const FULL_SIZES = [10_000, 100_000, 1_000_000]
const FULL_LOG_ROWS = [100_000, 5_000_000]
/** Rows of the import on PostgreSQL, then on the embedded database. */
const FULL_IMPORT_ROWS = [1_000_000, 100_000]

function log(line: string) {
  process.stderr.write(`${line}\n`)
}

function sizesFrom(name: string, fallback: number[]): number[] {
  const raw = process.env[name]
  return raw ? raw.split(',').map((s) => Number(s.trim())) : fallback
}

interface Target {
  url: string
  key: string
  orgId: string
  handle: DatabaseHandle
  deps: Deps
  /** The server's logger (silent), for the import worker. */
  appLog: FastifyBaseLogger
  close(): Promise<void>
}

/** Rapport on the database, listening on loopback, with a fresh organization and its key. */
async function startRapport(handle: DatabaseHandle): Promise<Target> {
  await migrate(handle.db)
  const config = loadConfig({
    ...process.env,
    // The reader of the import part sends thousands of requests: no limit may answer 429.
    RAPPORT_RATE_LIMITS: 'teams=100000000/min+100000000/h',
    RAPPORT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  })
  const deps = await createDeps(config, { database: handle })
  const app = await buildApp(deps, { logger: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const created = await new OrgsService(handle.db).create({ name: 'Scale', plan: 'teams' })
  const orgId = created.org.id
  await sql`insert into tags (id, org_id, livemode, name)
    values ('tag_scale_vip', ${orgId}, true, 'vip'), ('tag_scale_partner', ${orgId}, true, 'partner')`.execute(
    handle.db,
  )
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    key: created.api_key.key!,
    orgId,
    handle,
    deps,
    appLog: app.log,
    close: async () => {
      await app.close()
      await deps.close()
    },
  }
}

type Request = { label: string; path: string | (() => Promise<string>); body?: unknown }

/**
 * Median wall time of each request, in ms, after warm-up; fails on any non-2xx. The samples are
 * taken in rounds, each request once per round, so that a stall of the machine (the operating
 * system writing back a seed's pages after a checkpoint, say) costs one sample of many requests
 * rather than every sample of one.
 */
async function timeRequests(t: Target, requests: Request[]): Promise<Map<string, number>> {
  const prepared = await Promise.all(
    requests.map(async (r) => ({
      r,
      url: `${t.url}${typeof r.path === 'string' ? r.path : await r.path()}`,
      init: {
        method: r.body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${t.key}`, ...(r.body ? { 'content-type': 'application/json' } : {}) },
        ...(r.body ? { body: JSON.stringify(r.body) } : {}),
      } satisfies RequestInit,
      times: [] as number[],
    })),
  )
  for (let round = 0; round < WARMUP + SAMPLES; round++) {
    for (const p of prepared) {
      const started = performance.now()
      // After a long seed the server may have closed the idle keep-alive connection: a warm-up
      // request that meets the reset is sent again.
      const res = await fetch(p.url, p.init).catch((err) => {
        if (round >= WARMUP) throw err
        return fetch(p.url, p.init)
      })
      const text = await res.text()
      const ms = performance.now() - started
      if (!res.ok) throw new Error(`${p.r.label}: ${res.status} ${text.slice(0, 300)}`)
      if (round >= WARMUP) p.times.push(ms)
    }
  }
  return new Map(prepared.map((p) => [p.r.label, Math.round(median(p.times) * 10) / 10]))
}

function contactRequests(t: Target, size: number): Request[] {
  const middle = Math.floor(size / 2)
  return [
    { label: '`GET /api/v1/contacts?limit=50` (first page)', path: '/api/v1/contacts?limit=50' },
    { label: '`?sort=name`', path: '/api/v1/contacts?limit=50&sort=name' },
    { label: '`?sort=-name`', path: '/api/v1/contacts?limit=50&sort=-name' },
    { label: '`?q=zz9` (substring, no match)', path: '/api/v1/contacts?limit=50&q=zz9' },
    { label: '`?q=4242` (substring, a few matches)', path: '/api/v1/contacts?limit=50&q=4242' },
    { label: '`?page=200`', path: '/api/v1/contacts?limit=50&page=200' },
    {
      label: '`?cursor=` from the middle of the table',
      path: async () =>
        `/api/v1/contacts?limit=50&cursor=${await cursorAt(t.handle.db, 'contacts', 'created_at', 'created_at:desc', contactId(middle))}`,
    },
    {
      label: '`?sort=name&cursor=` from the middle',
      path: async () =>
        `/api/v1/contacts?limit=50&sort=name&cursor=${await cursorAt(t.handle.db, 'contacts', 'lower(name)', 'name:asc', contactId(middle + 1))}`,
    },
    { label: '`?tag=vip`', path: '/api/v1/contacts?limit=50&tag=vip' },
    { label: '`?tag=vip&status=customer`', path: '/api/v1/contacts?limit=50&tag=vip&status=customer' },
    {
      label: '`?tag=partner&sort=name` (a tag spread evenly)',
      path: '/api/v1/contacts?limit=50&tag=partner&sort=name',
    },
    { label: '`?tag=vip&sort=name` (no VIP has a name)', path: '/api/v1/contacts?limit=50&tag=vip&sort=name' },
    { label: '`?tag=vip&sort=-updated_at`', path: '/api/v1/contacts?limit=50&tag=vip&sort=-updated_at' },
    {
      label: '`?tag=vip&status=customer&sort=name`',
      path: '/api/v1/contacts?limit=50&tag=vip&status=customer&sort=name',
    },
    { label: '`?status=customer`', path: '/api/v1/contacts?limit=50&status=customer' },
    { label: '`?status=customer&sort=name`', path: '/api/v1/contacts?limit=50&status=customer&sort=name' },
    { label: '`?email=`', path: `/api/v1/contacts?email=p${middle}@example.com` },
    { label: '`GET /api/v1/contacts/:id`', path: `/api/v1/contacts/${contactId(middle)}` },
    {
      label: '`POST /api/v1/contacts/search` (status and tag)',
      path: '/api/v1/contacts/search',
      body: {
        filter: {
          and: [
            { field: 'status', op: 'eq', value: 'customer' },
            { field: 'tags', op: 'contains', value: 'vip' },
          ],
        },
      },
    },
  ]
}

function logRequests(t: Target, rows: number): Request[] {
  const middle = Math.floor(rows / 2)
  return [
    { label: '`GET /api/v1/events` (first page)', path: '/api/v1/events?limit=50' },
    { label: '`GET /api/v1/events?type=contact.created`', path: '/api/v1/events?limit=50&type=contact.created' },
    {
      label: '`GET /api/v1/events?cursor=` from the middle',
      path: async () =>
        `/api/v1/events?limit=50&cursor=${await cursorAt(t.handle.db, 'events', 'created_at', 'created_at:desc', eventId(middle))}`,
    },
    { label: '`GET /api/v1/audit_log` (first page)', path: '/api/v1/audit_log?limit=50' },
    {
      label: '`GET /api/v1/audit_log?cursor=` from the middle',
      path: async () =>
        `/api/v1/audit_log?limit=50&cursor=${await cursorAt(t.handle.db, 'audit_log', 'occurred_at', 'occurred_at:desc', auditId(middle))}`,
    },
  ]
}

/** Grows the contacts table step by step, measuring every request at each size. */
async function measureContacts(t: Target, sizes: number[], engine: string): Promise<ScaleTable> {
  const table: ScaleTable = { title: `Contacts on ${engine}`, sizes, rows: new Map() }
  let seeded = 0
  for (const size of sizes) {
    const started = performance.now()
    await withIndexesRebuilt(t.handle.db, 'contacts', () => seedContacts(t.handle.db, t.orgId, seeded + 1, size))
    await settle(t.handle.db, ['contacts', 'contact_tags'])
    log(`${engine}: ${size.toLocaleString('en-US')} contacts seeded in ${Math.round(performance.now() - started)} ms`)
    seeded = size
    for (const [label, ms] of await timeRequests(t, contactRequests(t, size))) {
      table.rows.set(label, [...(table.rows.get(label) ?? []), ms])
      log(`  ${label}: ${ms} ms`)
    }
  }
  return table
}

async function measureLogs(t: Target, sizes: number[]): Promise<ScaleTable> {
  const table: ScaleTable = { title: 'Events and audit log on PostgreSQL', sizes, rows: new Map() }
  let seeded = 0
  for (const size of sizes) {
    const started = performance.now()
    await withIndexesRebuilt(t.handle.db, 'events', () => seedEvents(t.handle.db, t.orgId, seeded + 1, size))
    await withIndexesRebuilt(t.handle.db, 'audit_log', () => seedAudit(t.handle.db, t.orgId, seeded + 1, size))
    await settle(t.handle.db, ['events', 'audit_log'])
    log(
      `postgres: ${size.toLocaleString('en-US')} events and audit rows seeded in ${Math.round(performance.now() - started)} ms`,
    )
    seeded = size
    for (const [label, ms] of await timeRequests(t, logRequests(t, size))) {
      table.rows.set(label, [...(table.rows.get(label) ?? []), ms])
      log(`  ${label}: ${ms} ms`)
    }
    // Last at each size: the purges remove the oldest day of rows; the next size adds older rows.
    const purges = await measurePurges(t.handle.db)
    for (const [label, ms] of [
      ['events retention purge, per 1,000 events removed', purges.eventsPer1000],
      ['audit-log retention purge, per 1,000 rows removed', purges.auditPer1000],
      ['a purge round of both with nothing to remove', purges.emptyRound],
    ] as const) {
      table.rows.set(label, [...(table.rows.get(label) ?? []), ms])
      log(`  ${label}: ${ms} ms`)
    }
  }
  return table
}

/** The import and its baseline, while the reader fetches the seeded contacts (1 to `seeded`) by id. */
function measureImportOn(t: Target, rows: number, seeded: number, databaseUrl?: string): Promise<ImportMeasurement> {
  // Spread over the table, so the reads are not all served from a few hot pages.
  const readIds = Array.from({ length: 1000 }, (_, i) => contactId(1 + ((i * 7919) % seeded)))
  return measureImport(
    { url: t.url, ...(databaseUrl ? { databaseUrl } : {}), deps: t.deps, log: t.appLog, readerKey: t.key, readIds },
    rows,
    log,
  )
}

export async function runScaleBenchmark(settings: { databaseUrl: string; docsFile: string }): Promise<void> {
  const url =
    process.env.BENCH_SCALE_DATABASE_URL ||
    Object.assign(new URL(settings.databaseUrl), { pathname: '/rapport_bench_scale' }).toString()
  const sizes = sizesFrom('BENCH_SCALE_SIZES', FULL_SIZES)
  const logRows = sizesFrom('BENCH_SCALE_LOG_ROWS', FULL_LOG_ROWS)
  const [importRows = 0, embeddedImportRows = 0] = sizesFrom('BENCH_SCALE_IMPORT_ROWS', FULL_IMPORT_ROWS)
  const machine = describeMachine('')
  const results: ScaleResults = { tables: [], imports: [], loadAverages: [oneMinuteLoad()] }

  const pgHandle = await freshPostgres(url)
  machine.postgres = (await sql<{ v: string }>`select version() as v`.execute(pgHandle.db)).rows[0]!.v
  const onPostgres = await startRapport(pgHandle)
  try {
    results.tables.push(await measureContacts(onPostgres, sizes, 'PostgreSQL'))
    results.loadAverages.push(oneMinuteLoad())
    if (logRows.length > 0) results.tables.push(await measureLogs(onPostgres, logRows))
    results.loadAverages.push(oneMinuteLoad())
    if (importRows > 0) {
      results.imports.push(await measureImportOn(onPostgres, importRows, sizes.at(-1)!, url))
      results.loadAverages.push(oneMinuteLoad())
    }
  } finally {
    await onPostgres.close()
    await sql`drop schema if exists public cascade`.execute(pgHandle.db)
    await sql`create schema public`.execute(pgHandle.db)
    await pgHandle.close()
  }

  const embeddedSizes = sizes.filter((n) => n <= 100_000)
  const embedded = await openDatabase({ memory: true })
  const onPglite = await startRapport(embedded)
  try {
    results.tables.push(await measureContacts(onPglite, embeddedSizes, 'the embedded database (PGlite)'))
    if (embeddedImportRows > 0) {
      results.imports.push(await measureImportOn(onPglite, embeddedImportRows, embeddedSizes.at(-1)!))
    }
  } finally {
    await onPglite.close()
    await embedded.close()
  }
  results.loadAverages.push(oneMinuteLoad())
  machine.loadAverages = [results.loadAverages[0]!, results.loadAverages.at(-1)!]

  const section = renderScaleSection(results, machine)
  process.stdout.write(`\n${section}\n`)
  const full =
    sizes.join() === FULL_SIZES.join() &&
    logRows.join() === FULL_LOG_ROWS.join() &&
    [importRows, embeddedImportRows].join() === FULL_IMPORT_ROWS.join()
  if (full) {
    writeSection(settings.docsFile, 'Benchmarks', 'bench:scale', section)
    log('written to docs/benchmarks.md')
  } else {
    log('partial run: docs/benchmarks.md left unchanged')
  }
}
