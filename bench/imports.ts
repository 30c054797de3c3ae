/**
 * The import scenario: a large CSV imported as a job (`POST /api/v1/imports`, the worker in the same
 * process, as `rapport start` runs it), measured against a plain batched insert of the same rows in
 * the same run (500 rows per multi-row INSERT, no COPY), while one client reads contacts by id.
 *
 *   npx tsx bench/imports.ts [rows]                       # embedded database (PGlite), default 100,000 rows
 *   DATABASE_URL=postgres://… node --expose-gc --import tsx bench/imports.ts 1000000
 *
 * Reports rows/s of both, their ratio, the process's peak RSS during the import, and the p50/p99
 * of `GET /api/v1/contacts/:id` while the import runs. Use a database of its own: it is migrated and
 * gets a new organization per run.
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { buildApp } from '../src/app.js'
import { databaseTargetOf, loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import { createDeps } from '../src/deps.js'
import { newId } from '../src/lib/ids.js'
import { startImportWorker } from '../src/modules/imports/import-worker.js'
import { OrgsService } from '../src/modules/orgs/orgs.service.js'

const rows = Number(process.argv[2] ?? 100_000)
const MiB = 1024 * 1024

async function writeCsv(file: string, count: number, prefix: string) {
  const out = createWriteStream(file)
  out.write('name,email,company,tags,custom_fields.plan\n')
  for (let i = 0; i < count; i++) {
    const line = `Person ${i},${prefix}-${i}@example.com,Company ${i % 1000},lead;imported,pro\n`
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))
}

function send(port: number, method: string, url: string, key: string, body?: { file: string; type: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': body.type } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      },
    )
    req.on('error', reject)
    if (body) import('node:fs').then(({ createReadStream }) => createReadStream(body.file).pipe(req))
    else req.end()
  })
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

async function main() {
  // The reader and the progress polls must not hit the rate limit: they measure latency, not limits.
  const config = loadConfig({
    ...process.env,
    RAPPORT_LOG_LEVEL: 'warn',
    RAPPORT_RATE_LIMITS: 'teams=100000000/min+100000000/h',
  })
  const database = await openDatabase(
    databaseTargetOf(
      config.databaseUrl ? config : { ...config, dataDir: await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-')) },
    ),
  )
  await migrate(database.db)
  const deps = await createDeps(config, { database })
  const app = await buildApp(deps, { logger: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const orgs = new OrgsService(database.db)
  const { api_key } = await orgs.create({ name: 'Import bench', plan: 'teams' })
  const key = api_key.key!
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-import-bench-'))
  const file = path.join(dir, 'contacts.csv')
  const runId = Date.now().toString(36)
  await writeCsv(file, rows, `job-${runId}`)
  const bytes = (await stat(file)).size
  console.log(`engine: ${deps.dbEngine}; ${rows.toLocaleString('en')} rows, ${(bytes / MiB).toFixed(1)} MiB`)

  // Baseline: the same rows, 500 per multi-row INSERT, in a second organization.
  const other = await orgs.create({ name: 'Import bench baseline', plan: 'teams' })
  const baselineStart = performance.now()
  for (let i = 0; i < rows; i += 500) {
    const values = Array.from({ length: Math.min(500, rows - i) }, (_, j) => ({
      id: newId('contact'),
      org_id: other.org.id,
      livemode: true,
      name: `Person ${i + j}`,
      email: `base-${runId}-${i + j}@example.com`,
      company: `Company ${(i + j) % 1000}`,
      status: 'lead',
      source: 'import',
      tags: ['lead', 'imported'],
      custom_fields: JSON.stringify({ plan: 'pro' }),
    }))
    await database.db.insertInto('contacts').values(values).execute()
  }
  const baselineRowsPerSec = rows / ((performance.now() - baselineStart) / 1000)

  // Contacts the reader fetches by id during the import.
  const ids = (
    await database.db.selectFrom('contacts').select('id').where('org_id', '=', other.org.id).limit(1000).execute()
  ).map((r) => r.id)
  const readerKey = await orgs.createKey(other.org.id, { mode: 'live' })

  const worker = await startImportWorker({
    db: database.db,
    clock: deps.clock,
    log: app.log,
    listen: deps.listen,
    pollMs: 200,
    ...(process.env.BENCH_IMPORT_BATCH_ROWS ? { batchRows: Number(process.env.BENCH_IMPORT_BATCH_ROWS) } : {}),
  })
  // With --expose-gc, what the setup left behind is collected first: the peak is then the import's.
  ;(globalThis as { gc?: () => void }).gc?.()
  const rssBefore = process.memoryUsage().rss
  let peakRss = rssBefore
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 50)
  const started = performance.now()
  const created = await send(port, 'POST', '/api/v1/imports', key, { file, type: 'text/csv' })
  if (created.status !== 202) throw new Error(created.body)
  const importId = JSON.parse(created.body).id as string
  const latencies: number[] = []
  let status = 'queued'
  let n = 0
  while (status !== 'completed' && status !== 'failed') {
    const t = performance.now()
    await send(port, 'GET', `/api/v1/contacts/${ids[n++ % ids.length]}`, readerKey.key!)
    latencies.push(performance.now() - t)
    if (n % 20 === 0) status = JSON.parse((await send(port, 'GET', `/api/v1/imports/${importId}`, key)).body).status
  }
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const final = JSON.parse((await send(port, 'GET', `/api/v1/imports/${importId}`, key)).body)
  latencies.sort((a, b) => a - b)
  const jobRowsPerSec = rows / seconds
  console.log(
    JSON.stringify({ status: final.status, created: final.created, updated: final.updated, failed: final.failed }),
  )
  console.log(
    `import job (upload to completed): ${seconds.toFixed(1)} s, ${Math.round(jobRowsPerSec).toLocaleString('en')} rows/s`,
  )
  console.log(
    `baseline batched insert: ${Math.round(baselineRowsPerSec).toLocaleString('en')} rows/s; ratio ${(jobRowsPerSec / baselineRowsPerSec).toFixed(2)}x`,
  )
  console.log(
    `peak RSS during the import: ${(peakRss / MiB).toFixed(0)} MiB (before it: ${(rssBefore / MiB).toFixed(0)} MiB)`,
  )
  console.log(
    `GET /api/v1/contacts/:id during the import: ${latencies.length} requests, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  )
  await worker.stop()
  await app.close()
  await deps.close()
  await database.close()
  await rm(dir, { recursive: true, force: true })
}

await main()
