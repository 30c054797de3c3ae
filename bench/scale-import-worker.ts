/**
 * The import worker of the scale benchmark's PostgreSQL import, in a process of its own, bundled
 * and forked by `scale-imports.ts` (plain Node, as `rapport worker` runs compiled code): the peak
 * RSS of this process is the import's, free of the server, the reader and the baseline that share
 * the benchmark's process.
 *
 * Messages: sends `ready` (with its RSS at rest) once the worker runs; on `stop`, stops the worker
 * (the job in hand, if any, is given back) and sends `stopped` with its peak RSS and V8 heap since
 * `ready` (sampled every 50 ms) and its lifetime peak RSS.
 */
import type { FastifyBaseLogger } from 'fastify'
import { openDatabase } from '../src/db/database.js'
import { systemClock } from '../src/lib/clock.js'
import { startImportWorker } from '../src/modules/imports/import-worker.js'

export type ImportWorkerMessage =
  | { type: 'ready'; rssBytes: number }
  | { type: 'stopped'; peakRssBytes: number; maxRssBytes: number; peakHeapBytes: number; failures: number }

const url = process.env.BENCH_IMPORT_DATABASE_URL
if (!url || !process.send) throw new Error('forked by scale-imports.ts with BENCH_IMPORT_DATABASE_URL')
const send = (message: ImportWorkerMessage) => process.send!(message)

/** Counts errors (a failed batch would be retried by the lease: the run is then not a clean one). */
let failures = 0
const quiet = () => undefined
const log = {
  level: 'error',
  info: quiet,
  warn: quiet,
  debug: quiet,
  trace: quiet,
  silent: quiet,
  error: () => failures++,
  fatal: () => failures++,
  child: () => log,
} as unknown as FastifyBaseLogger

const database = await openDatabase({ url }, { poolSize: 2 })
const worker = await startImportWorker({
  db: database.db,
  clock: systemClock,
  log,
  listen: database.listen,
  pollMs: 200,
})
// Sampled from here on: the process's lifetime peak (`maxRSS`) also counts its start (every module
// loaded), which is no part of the import.
let peakRssBytes = process.memoryUsage().rss
let peakHeapBytes = process.memoryUsage().heapUsed
const sampler = setInterval(() => {
  const m = process.memoryUsage()
  peakRssBytes = Math.max(peakRssBytes, m.rss)
  peakHeapBytes = Math.max(peakHeapBytes, m.heapUsed)
}, 50)
send({ type: 'ready', rssBytes: process.memoryUsage().rss })
process.on('message', async (message: { type: string }) => {
  if (message.type !== 'stop') return
  await worker.stop()
  clearInterval(sampler)
  await database.close()
  // maxRSS: the process's lifetime peak resident set, in KiB, as the kernel counted it.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024
  send({ type: 'stopped', peakRssBytes, maxRssBytes, peakHeapBytes, failures })
  process.disconnect()
})
