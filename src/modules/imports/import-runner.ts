import { Readable } from 'node:stream'
import { setImmediate as yieldToOthers } from 'node:timers/promises'
import type { FastifyBaseLogger } from 'fastify'
import { ApiError } from '../../core/errors.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import type { Clock } from '../../lib/clock.js'
import { emit } from '../../outbox/emit.js'
import { checkCsv, IMPORT_BATCH_ROWS, readImportBatches } from '../contacts/bulk/import-reader.js'
import { parseMapping } from '../contacts/bulk/import-rows.js'
import { writeImportBatch } from '../contacts/bulk/import-writer.js'
import { contactImported } from '../contacts/contacts.events.js'
import { importCompleted, importFailed } from './imports.events.js'
import {
  finishImport,
  holdsLease,
  type ImportRow,
  readChunk,
  recordBatch,
  recordTotal,
  refreshContactStatistics,
  releaseImport,
  renewLease,
} from './imports.repo.js'
import { toImportEvent } from './imports.view.js'

/**
 * The statistics of `contacts` are refreshed when the job has created this many contacts, then ten
 * times as many, and so on: a few ANALYZEs per import, none for a small one (see
 * `refreshContactStatistics`).
 */
const ANALYZE_FIRST_AFTER_CREATED = 5_000

/** A job claimed this many times without finishing (its workers keep dying on it) fails. */
export const MAX_IMPORT_ATTEMPTS = 3

export interface RunnerOptions {
  db: Db
  clock: Clock
  log: FastifyBaseLogger
  /** How long a claim holds without news from its worker; renewed with every batch. */
  leaseMs: number
  batchRows?: number
}

export interface RunControl {
  /** Aborted: stop after the batch in flight and give the job back (graceful shutdown). */
  signal?: AbortSignal
  /** A crash drill: stop after this many batches, keeping the lease, as a killed worker would. */
  stopAfterBatches?: number
}

export type RunOutcome = 'completed' | 'failed' | 'released' | 'abandoned' | 'lost'

class LeaseLost extends Error {}
class StopRequested extends Error {}

/**
 * The stored file, read back one chunk at a time. One chunk is read ahead, not the stream default
 * of 16: each 1 MB chunk arrives as a 2 MB hex string before it becomes bytes, so 16 ahead held
 * tens of MB for nothing (the worker's peak RSS during a 300,000-row import: 306 MiB, then 291).
 */
function storedFile(db: Db, importId: string): Readable {
  return Readable.from(
    (async function* () {
      for (let seq = 0; ; seq++) {
        const chunk = await readChunk(db, importId, seq)
        if (!chunk) return
        // A view of the bytes the driver returned, not a copy.
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      }
    })(),
    { highWaterMark: 1 },
  )
}

/**
 * Runs a job this worker has claimed, from its last committed batch to the end of its file. Each
 * batch commits in one transaction with the job's progress and only while this worker still holds
 * the lease, so a batch is written whole or not at all, and a job whose worker died resumes after
 * its last committed batch. A file that is not valid CSV fails before any row is written.
 */
export async function runClaimedImport(
  opts: RunnerOptions,
  job: ImportRow,
  workerId: string,
  control: RunControl = {},
): Promise<RunOutcome> {
  const { db, clock } = opts
  const scope: TenantScope = { orgId: job.org_id, livemode: job.livemode }
  const leaseUntil = () => new Date(clock.nowMs() + opts.leaseMs)
  try {
    if (job.attempts > MAX_IMPORT_ATTEMPTS) {
      return await finish(opts, job, workerId, {
        status: 'failed',
        error: `The import was interrupted ${MAX_IMPORT_ATTEMPTS} times (its worker stopped without finishing); rows written before stay`,
      })
    }
    const mapping = parseMapping(job.mapping ?? undefined)
    if (job.rows_total === null) {
      const rowsTotal = await checkCsv(storedFile(db, job.id), mapping, {
        everyRecords: 10_000,
        beat: async () => {
          if (control.signal?.aborted) throw new StopRequested()
          if (!(await renewLease(db, job.id, workerId, leaseUntil()))) throw new LeaseLost()
        },
      })
      await recordTotal(db, job.id, rowsTotal)
    }
    let failed = job.failed
    let created = job.created
    let analyzeAt = ANALYZE_FIRST_AFTER_CREATED
    while (analyzeAt <= created) analyzeAt *= 10
    let batches = 0
    const batchRows = opts.batchRows ?? IMPORT_BATCH_ROWS
    for await (const batch of readImportBatches(storedFile(db, job.id), mapping, {
      skipRecords: job.rows_read,
      batchRows,
    })) {
      const written = await inTransaction(db, async (tx) => {
        if (!(await holdsLease(tx, job.id, workerId))) throw new LeaseLost()
        const result = await writeImportBatch(tx, scope, batch)
        await recordBatch(
          tx,
          job.id,
          { rowsRead: batch.recordsRead, created: result.created, updated: result.updated, errors: result.errors },
          leaseUntil(),
          failed,
        )
        return result
      })
      failed += written.errors.length
      created += written.created
      if (created >= analyzeAt) {
        while (analyzeAt <= created) analyzeAt *= 10
        // Only a matter of speed: a database that refuses (a role that does not own the table) is no reason to stop.
        await refreshContactStatistics(db).catch((err) =>
          opts.log.warn({ err, import_id: job.id }, 'could not refresh the statistics of contacts'),
        )
      }
      batches++
      if (control.stopAfterBatches !== undefined && batches >= control.stopAfterBatches) return 'abandoned'
      if (control.signal?.aborted) {
        await releaseImport(db, job.id, workerId)
        return 'released'
      }
      // Other requests (one connection on the embedded database) take their turn between batches.
      await yieldToOthers()
    }
    return await finish(opts, job, workerId, { status: 'completed', error: null })
  } catch (err) {
    if (err instanceof LeaseLost) return 'lost'
    if (err instanceof StopRequested) {
      await releaseImport(db, job.id, workerId)
      return 'released'
    }
    if (err instanceof ApiError) return finish(opts, job, workerId, { status: 'failed', error: err.message })
    // A database error: the lease runs out and a worker tries again (counted against the job).
    opts.log.error({ err, import_id: job.id }, 'import batch failed; the job will be retried')
    return 'abandoned'
  }
}

/**
 * Ends the job in one transaction with its events: `contact.imported` with the counts (unless a
 * failed job wrote nothing) and `import.completed` or `import.failed`.
 */
async function finish(
  opts: RunnerOptions,
  job: ImportRow,
  workerId: string,
  outcome: { status: 'completed' | 'failed'; error: string | null },
): Promise<RunOutcome> {
  const scope: TenantScope = { orgId: job.org_id, livemode: job.livemode }
  return inTransaction(opts.db, async (tx) => {
    if (!(await holdsLease(tx, job.id, workerId))) return 'lost'
    const row = await finishImport(tx, job.id, outcome, new Date(opts.clock.nowMs()))
    if (outcome.status === 'completed' || row.created + row.updated > 0) {
      await emit(tx, scope, contactImported, {
        count: row.created + row.updated,
        created: row.created,
        updated: row.updated,
        failed: row.failed,
        source: 'csv',
        import_id: row.id,
        imported_by: row.imported_by,
      })
    }
    const ended = toImportEvent(row)
    if (outcome.status === 'completed') await emit(tx, scope, importCompleted, { ...ended, status: 'completed' })
    else await emit(tx, scope, importFailed, { ...ended, status: 'failed' })
    return outcome.status
  })
}
