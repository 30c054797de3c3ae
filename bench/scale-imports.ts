/**
 * The import part of the scale benchmark: a large CSV imported as a job (`POST /api/v1/imports`),
 * against a plain batched insert of the same rows into the same table in the same run (500 rows
 * per multi-row INSERT, no COPY), while one client reads contacts by id.
 *
 * Memory. On PostgreSQL the import worker runs in a process of its own (`scale-import-worker.ts`,
 * bundled and run by plain Node as `rapport worker` runs compiled code) and the figure is that
 * process's peak RSS from the moment it is ready to the end of the import, sampled every 50 ms:
 * the benchmark's own process also holds the server, the reader and the baseline's rows, and RSS
 * freed by a collection is not given back, so it says little about the import. On the embedded
 * database the worker must share the process that holds the database (as `rapport start` runs
 * it); there the figure is the process's RSS sampled every 50 ms during the import, beside the RSS
 * just before it (after a full collection), and it includes the database's own growth.
 */
import { fork } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { request } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { build } from 'esbuild'
import type { FastifyBaseLogger } from 'fastify'
import type { Deps } from '../src/deps.js'
import { newId } from '../src/lib/ids.js'
import { startImportWorker } from '../src/modules/imports/import-worker.js'
import { OrgsService } from '../src/modules/orgs/orgs.service.js'
import { nextMessage } from './child-messages.js'
import { writeCsvFile } from './csv-file.js'
import { percentile } from './report.js'
import type { ImportWorkerMessage } from './scale-import-worker.js'

const WORKER_SOURCE = fileURLToPath(new URL('./scale-import-worker.ts', import.meta.url))
/** Inside node_modules, so that the bundle finds the packages it leaves out. */
const WORKER_BUNDLE = fileURLToPath(
  new URL('../node_modules/.cache/rapport-bench/scale-import-worker.mjs', import.meta.url),
)

const MiB = 1024 * 1024
const BASELINE_BATCH_ROWS = 500
const RSS_SAMPLE_MS = 50
/**
 * The reader sends one read every 50 ms (20/s, a few people at work in the dashboard), and asks for
 * the job's progress once every 20 reads. Paced, not as fast as it can: a reader in a tight loop
 * would be a load test that takes half the CPU from the import (and none from the baseline).
 */
const READ_EVERY_MS = 50
const POLL_EVERY_READS = 20

export interface ImportMeasurement {
  engine: 'PostgreSQL' | 'PGlite'
  rows: number
  baselineRowsPerSec: number
  /** Rows of the file over the time from the upload's first byte to `completed`. */
  importRowsPerSec: number
  importSec: number
  status: string
  created: number
  failed: number
  /** Whose RSS: the import worker's own process, or the process of the server and the database. */
  rssOf: 'worker process' | 'whole process'
  /** RSS just before the upload (after a full GC when in-process), its peak during the import, in MiB. */
  rssBeforeMiB: number
  rssPeakMiB: number
  /** The worker process's peak V8 heap in use, MiB (its own process only). */
  heapPeakMiB?: number
  /** `GET /api/v1/contacts/:id` while the import ran. */
  reads: number
  readP50Ms: number
  readP99Ms: number
}

export interface ImportTarget {
  url: string
  /** PostgreSQL's connection string (the worker then runs in a child process); none on the embedded database. */
  databaseUrl?: string
  deps: Deps
  log: FastifyBaseLogger
  /** A key of the organization whose contacts the reader fetches, and those contacts' ids. */
  readerKey: string
  readIds: string[]
}

/** A full collection, if V8 lets us ask for one (without `--expose-gc` on the command line). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as (() => void) | undefined)?.()
}

function writeCsv(file: string, rows: number, prefix: string): Promise<number> {
  return writeCsvFile(file, 'name,email,company,tags,custom_fields.plan', rows, (i) => {
    return `Person ${i},${prefix}-${i}@example.com,Company ${i % 1000},lead;imported,pro`
  })
}

/** One request over a fresh loopback connection; the body, if any, streamed from a file. */
function send(base: string, method: string, url: string, key: string, file?: string) {
  const { hostname, port } = new URL(base)
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method,
        path: url,
        headers: { authorization: `Bearer ${key}`, ...(file ? { 'content-type': 'text/csv' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      },
    )
    req.on('error', reject)
    if (file) createReadStream(file).pipe(req)
    else req.end()
  })
}

/** The baseline: the same rows, 500 per multi-row INSERT, into the contacts of another organization. */
async function baselineInsert(deps: Deps, orgId: string, rows: number, prefix: string): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < rows; i += BASELINE_BATCH_ROWS) {
    const values = Array.from({ length: Math.min(BASELINE_BATCH_ROWS, rows - i) }, (_, j) => ({
      id: newId('contact'),
      org_id: orgId,
      livemode: true,
      name: `Person ${i + j}`,
      email: `${prefix}-${i + j}@example.com`,
      company: `Company ${(i + j) % 1000}`,
      status: 'lead',
      source: 'import',
      tags: ['lead', 'imported'],
      custom_fields: JSON.stringify({ plan: 'pro' }),
    }))
    await deps.db.insertInto('contacts').values(values).execute()
  }
  return rows / ((performance.now() - started) / 1000)
}

interface RunningWorker {
  rssBeforeBytes: number
  /** Stops the worker; resolves with its peak RSS over the import (and its peak V8 heap, if its own process). */
  stop(): Promise<{ rssBytes: number; heapBytes?: number }>
}

/** The worker beside the server and the database, as the worker role starts it. */
async function workerInProcess(t: ImportTarget): Promise<RunningWorker> {
  const worker = await startImportWorker({
    db: t.deps.db,
    clock: t.deps.clock,
    log: t.log,
    listen: t.deps.listen,
    pollMs: 200,
  })
  collectGarbage()
  const rssBeforeBytes = process.memoryUsage().rss
  let peak = rssBeforeBytes
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, RSS_SAMPLE_MS)
  return {
    rssBeforeBytes,
    async stop() {
      clearInterval(sampler)
      await worker.stop()
      return { rssBytes: peak }
    },
  }
}

/**
 * The worker in a process of its own (`scale-import-worker.ts`), run by plain Node from compiled
 * JavaScript as `rapport worker` runs it: under tsx (which compiles TypeScript as it loads, and
 * keeps the source maps) the same worker held about 100 MiB more at rest (188 MiB, against 88).
 */
async function workerInChild(databaseUrl: string, log: (line: string) => void): Promise<RunningWorker> {
  await build({
    entryPoints: [WORKER_SOURCE],
    outfile: WORKER_BUNDLE,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  })
  const child = fork(WORKER_BUNDLE, [], {
    env: { ...process.env, BENCH_IMPORT_DATABASE_URL: databaseUrl },
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ready = await nextMessage<ImportWorkerMessage>(child, 'ready', 60_000)
  return {
    rssBeforeBytes: ready.type === 'ready' ? ready.rssBytes : 0,
    async stop() {
      const stopped = nextMessage<ImportWorkerMessage>(child, 'stopped', 120_000)
      child.send({ type: 'stop' })
      const message = await stopped
      if (message.type !== 'stopped') throw new Error('the import worker did not report')
      if (message.failures > 0) throw new Error(`the import worker logged ${message.failures} errors`)
      log(`  worker process: ${Math.round(message.maxRssBytes / MiB)} MiB lifetime peak RSS, its start included`)
      return { rssBytes: message.peakRssBytes, heapBytes: message.peakHeapBytes }
    },
  }
}

/**
 * Measures one import of `rows` rows and its baseline on the target's database. The worker runs
 * as the worker role runs it (`src/cli/worker-role.ts`: 500 rows per batch on both engines).
 */
export async function measureImport(
  t: ImportTarget,
  rows: number,
  log: (line: string) => void,
): Promise<ImportMeasurement> {
  const engine = t.deps.dbEngine === 'pglite' ? 'PGlite' : 'PostgreSQL'
  const orgs = new OrgsService(t.deps.db)
  const importer = await orgs.create({ name: 'Scale import', plan: 'teams' })
  const baselineOrg = await orgs.create({ name: 'Scale import baseline', plan: 'teams' })
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-scale-import-'))
  const file = path.join(dir, 'contacts.csv')
  const runId = Date.now().toString(36)
  try {
    await writeCsv(file, rows, `job-${runId}`)
    log(`${engine} import: ${rows.toLocaleString('en-US')} rows, ${((await stat(file)).size / MiB).toFixed(1)} MiB`)
    const baselineRowsPerSec = await baselineInsert(t.deps, baselineOrg.org.id, rows, `base-${runId}`)
    log(`  baseline batched insert: ${Math.round(baselineRowsPerSec)} rows/s`)

    const worker = t.databaseUrl ? await workerInChild(t.databaseUrl, log) : await workerInProcess(t)
    let peak: { rssBytes: number; heapBytes?: number } = { rssBytes: worker.rssBeforeBytes }
    const key = importer.api_key.key!
    const latencies: number[] = []
    let final: { status: string; created: number; failed: number; finished_at: string }
    // Wall clock: the end is the job's own `finished_at` (same machine), not when the reader noticed.
    const startedMs = Date.now()
    try {
      const created = await send(t.url, 'POST', '/api/v1/imports', key, file)
      if (created.status !== 202) throw new Error(`POST /api/v1/imports: ${created.status} ${created.body}`)
      const importId = JSON.parse(created.body).id as string
      for (let n = 0; ; ) {
        const readStarted = performance.now()
        const read = await send(t.url, 'GET', `/api/v1/contacts/${t.readIds[n % t.readIds.length]}`, t.readerKey)
        latencies.push(performance.now() - readStarted)
        if (read.status !== 200) throw new Error(`GET /api/v1/contacts/:id: ${read.status} ${read.body}`)
        await sleep(Math.max(0, readStarted + READ_EVERY_MS - performance.now()))
        if (++n % POLL_EVERY_READS !== 0) continue
        const job = JSON.parse((await send(t.url, 'GET', `/api/v1/imports/${importId}`, key)).body)
        if (job.status === 'completed' || job.status === 'failed') {
          final = job
          break
        }
      }
    } finally {
      peak = await worker.stop()
    }
    const importSec = (Date.parse(final.finished_at) - startedMs) / 1000
    latencies.sort((a, b) => a - b)
    const m: ImportMeasurement = {
      engine,
      rows,
      baselineRowsPerSec: Math.round(baselineRowsPerSec),
      importRowsPerSec: Math.round(rows / importSec),
      importSec: Math.round(importSec * 10) / 10,
      status: final.status,
      created: final.created,
      failed: final.failed,
      rssOf: t.databaseUrl ? 'worker process' : 'whole process',
      rssBeforeMiB: Math.round(worker.rssBeforeBytes / MiB),
      rssPeakMiB: Math.round(peak.rssBytes / MiB),
      ...(peak.heapBytes ? { heapPeakMiB: Math.round(peak.heapBytes / MiB) } : {}),
      reads: latencies.length,
      readP50Ms: Math.round(percentile(latencies, 0.5) * 10) / 10,
      readP99Ms: Math.round(percentile(latencies, 0.99) * 10) / 10,
    }
    log(`  ${JSON.stringify(m)}`)
    return m
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
