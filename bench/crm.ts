/**
 * The CRM benchmark (`BENCH_SCENARIOS=crm npm run bench`, or `npx tsx bench/crm.ts`), on PostgreSQL,
 * in its own database `rapport_bench_crm`:
 *
 * 1. Import: 100,000 CSV rows through `POST /api/v1/contacts/import` (Rapport in a child process,
 *    the file streamed as the body), as rows/s and the server's peak RSS, against a plain-SQL
 *    baseline in the same run (the same file parsed and inserted with 1,000-row `insert … select
 *    from unnest(…)` statements): the ratio of the two.
 * 2. Search: `POST /api/v1/contacts/search` over those 100,000 contacts, p50/p99 latency of a few
 *    representative filters (one request at a time), against the very statements Rapport runs
 *    (captured from its query builder) sent straight to PostgreSQL.
 *
 * Writes its section of docs/benchmarks.md (`bench:crm`). Throws on errors only.
 */
import { createReadStream, readFileSync } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { request } from 'undici'
import {
  analyze,
  baselineImport,
  type CapturedQuery,
  CRM_DATABASE_NAME,
  captureSearchSql,
  emptyContacts,
  recreateCrmDatabase,
  writeCsv,
} from './crm-data.js'
import { startServer } from './processes.js'
import { describeMachine, machineList, oneMinuteLoad, percentile, writeSection } from './report.js'

export const CRM_SCENARIO_ID = 'crm'

export interface CrmSettings {
  databaseUrl: string
  docsFile: string
}

/** 100,000 unless BENCH_CRM_ROWS says otherwise (a quick check of the script itself). */
const ROWS = Number(process.env.BENCH_CRM_ROWS || 100_000)
const SEARCH_WARMUP = 20
const SEARCH_REQUESTS = 200

const SEARCHES: { title: string; body: Record<string, unknown> }[] = [
  {
    title: 'status = customer and tag vip, newest first',
    body: {
      filter: {
        and: [
          { field: 'status', op: 'eq', value: 'customer' },
          { field: 'tags', op: 'contains', value: 'vip' },
        ],
      },
      limit: 50,
    },
  },
  {
    title: 'plan in (pro, teams) and seats > 150, by name',
    body: {
      filter: {
        and: [
          { field: 'custom_fields.plan', op: 'in', value: ['pro', 'teams'] },
          { field: 'custom_fields.seats', op: 'gt', value: 150 },
        ],
      },
      sort: 'name',
      limit: 50,
    },
  },
  {
    title: 'email eq (one match, case-insensitive)',
    body: { filter: { field: 'email', op: 'eq', value: 'PERSON-77777@example.com' }, limit: 50 },
  },
  {
    title: 'name contains "okafor" or company contains "company 42"',
    body: {
      filter: {
        or: [
          { field: 'name', op: 'contains', value: 'okafor' },
          { field: 'company', op: 'contains', value: 'company 42' },
        ],
      },
      limit: 50,
    },
  },
  {
    title: 'not churned and no tag "trial", by -updated_at',
    body: {
      filter: {
        and: [
          { not: { field: 'status', op: 'eq', value: 'churned' } },
          { not: { field: 'tags', op: 'contains', value: 'trial' } },
        ],
      },
      sort: '-updated_at',
      limit: 50,
    },
  },
]

function log(line: string) {
  process.stderr.write(`${line}\n`)
}

/** Resident and peak resident memory of a process (Linux /proc), in MiB. */
function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 }
}

interface SearchFigures {
  title: string
  total: number
  api: { p50: number; p99: number }
  sql: { p50: number; p99: number }
}

async function timed(run: () => Promise<void>, count: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < SEARCH_WARMUP; i++) await run()
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint()
    await run()
    samples.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  samples.sort((a, b) => a - b)
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) }
}

export async function runCrmBenchmark(settings: CrmSettings): Promise<void> {
  const machine = describeMachine('')
  log(`crm: recreating database ${CRM_DATABASE_NAME}`)
  const database = await recreateCrmDatabase(settings.databaseUrl)
  machine.postgres = database.serverVersion
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-crm-'))
  const file = path.join(dir, 'contacts.csv')
  const bytes = await writeCsv(file, ROWS)
  log(`crm: wrote ${ROWS} rows, ${(bytes / 2 ** 20).toFixed(1)} MiB of CSV`)

  // 1. Import: the baseline first (then emptied), so both write into an empty table.
  let start = performance.now()
  const baselineRows = await baselineImport(database.url, file, database.orgId)
  const baselineSec = (performance.now() - start) / 1000
  if (baselineRows !== ROWS) throw new Error(`baseline inserted ${baselineRows} rows`)
  log(`crm: baseline import ${Math.round(ROWS / baselineSec)} rows/s`)
  await emptyContacts(database.url)

  const server = await startServer({
    name: 'rapport',
    kind: 'rapport',
    databaseUrl: database.url,
    poolSize: 10,
    orgId: database.orgId,
  })
  const auth = { authorization: `Bearer ${database.key}` }
  let importFigures: { sec: number; rssBeforeMiB: number; peakMiB: number; imported: number }
  const searches: SearchFigures[] = []
  try {
    const before = memoryOf(server.pid)
    start = performance.now()
    const res = await request(`${server.url}/api/v1/contacts/import`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv', 'content-length': String((await stat(file)).size) },
      body: createReadStream(file),
      headersTimeout: 600_000,
      bodyTimeout: 600_000,
    })
    const result = (await res.body.json()) as { imported: number; skipped: number }
    const sec = (performance.now() - start) / 1000
    if (res.statusCode !== 200 || result.imported !== ROWS) {
      throw new Error(`import answered ${res.statusCode}: ${JSON.stringify(result).slice(0, 300)}`)
    }
    importFigures = {
      sec,
      rssBeforeMiB: before.rssMiB,
      peakMiB: memoryOf(server.pid).peakMiB,
      imported: result.imported,
    }
    log(`crm: API import ${Math.round(ROWS / sec)} rows/s, server peak RSS ${Math.round(importFigures.peakMiB)} MiB`)
    await analyze(database.url)

    // 2. Search: the API, then the same statements straight to PostgreSQL.
    const pool = new pg.Pool({ connectionString: database.url, max: 2 })
    try {
      for (const s of SEARCHES) {
        const captured = await captureSearchSql(database.url, database.orgId, s.body)
        const payload = JSON.stringify(s.body)
        const api = await timed(async () => {
          const r = await request(`${server.url}/api/v1/contacts/search`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: payload,
          })
          if (r.statusCode !== 200) throw new Error(`search answered ${r.statusCode}: ${await r.body.text()}`)
          await r.body.arrayBuffer()
        }, SEARCH_REQUESTS)
        const direct = await timed(async () => {
          // Rapport sends the page and the count at once; so does the baseline.
          await Promise.all(captured.queries.map((q: CapturedQuery) => pool.query(q.sql, q.parameters as unknown[])))
        }, SEARCH_REQUESTS)
        searches.push({ title: s.title, total: captured.total, api, sql: direct })
        log(`crm: search "${s.title}": API p50 ${api.p50.toFixed(1)} ms, SQL p50 ${direct.p50.toFixed(1)} ms`)
      }
    } finally {
      await pool.end()
    }
  } finally {
    await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
  machine.loadAverages.push(oneMinuteLoad())

  const apiRate = ROWS / importFigures.sec
  const baselineRate = ROWS / baselineSec
  const ms = (n: number) => n.toFixed(1)
  const section = `## CRM: CSV import and structured search

### Import of ${ROWS.toLocaleString('en-US')} CSV rows (${(bytes / 2 ** 20).toFixed(1)} MiB)

| path | rows/s | time | server peak RSS |
| --- | --- | --- | --- |
| baseline: csv-parse + 1,000-row \`insert … select from unnest\`, one transaction | ${Math.round(baselineRate).toLocaleString('en-US')} | ${baselineSec.toFixed(1)} s | n/a (in the benchmark process) |
| Rapport: \`POST /api/v1/contacts/import\` (text/csv body) | ${Math.round(apiRate).toLocaleString('en-US')} | ${importFigures.sec.toFixed(1)} s | ${Math.round(importFigures.peakMiB)} MiB (${Math.round(importFigures.rssBeforeMiB)} MiB before) |

Ratio (Rapport rows/s ÷ baseline rows/s): **${(apiRate / baselineRate).toFixed(2)}×**. Rapport does more per row than the
baseline: it validates each row against the contact schema, looks up existing contacts by email
(the import is an upsert), registers tags, spools the upload to a temporary file while hashing it
(for \`Idempotency-Key\`), and writes one \`contact.imported\` event, all in one transaction.

### Search over ${ROWS.toLocaleString('en-US')} contacts

| filter | matches | API p50 / p99 ms | same SQL direct p50 / p99 ms | p50 ratio (API ÷ SQL) |
| --- | --- | --- | --- | --- |
${searches.map((s) => `| ${s.title} | ${s.total.toLocaleString('en-US')} | ${ms(s.api.p50)} / ${ms(s.api.p99)} | ${ms(s.sql.p50)} / ${ms(s.sql.p99)} | ${(s.api.p50 / s.sql.p50).toFixed(2)}× |`).join('\n')}

Each filter: ${SEARCH_WARMUP} unmeasured requests, then ${SEARCH_REQUESTS} measured ones, one at a time (latency,
not throughput). "Same SQL direct" runs the two statements Rapport runs for a search (the page and
\`count(*)\`, concurrently, as Rapport does), captured from Rapport's own query builder, on a \`pg\`
pool from the benchmark process. Every page is 50 contacts (limit 50), serialized in full by the API.

### Machine

${machineList(machine)}

### Reproduce

With PostgreSQL on loopback: \`BENCH_SCENARIOS=crm npm run bench\` (or \`npx tsx bench/crm.ts\`). It drops and
creates \`${CRM_DATABASE_NAME}\` beside \`BENCH_DATABASE_URL\` (default
\`postgres://postgres@127.0.0.1:5432/postgres\`), writes the CSV to a temporary directory, and removes it after.
Rapport runs as in the API benchmark: a child process, \`NODE_ENV=production\`, a pool of 10, rate limit out of reach.`
  process.stdout.write(`\n${section}\n`)
  writeSection(settings.docsFile, 'Benchmarks', 'bench:crm', section)
  log('crm: written to docs/benchmarks.md')
}

// Run directly: `npx tsx bench/crm.ts`.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runCrmBenchmark({
    databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    docsFile: fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url)),
  }).catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
