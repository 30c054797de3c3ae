import type { FastifyBaseLogger } from 'fastify'
import { startLeaseWorker } from '../../db/lease-worker.js'
import type { Db } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { runClaimedImport } from './import-runner.js'
import { claimImport, IMPORTS_CHANNEL, type ImportRow, purgeOldImports } from './imports.repo.js'

export interface ImportWorkerOptions {
  db: Db
  clock: Clock
  log: FastifyBaseLogger
  /** Subscribes to a notification channel; resolves to an unsubscribe function. */
  listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>
  /** Longest sleep between looks for queued imports when nothing wakes the worker. Default 1000 ms. */
  pollMs?: number
  /** How long a claim holds without a committed batch. Default 60 s. */
  leaseMs?: number
  /** Finished imports (and their error reports) are deleted after this many days. Default 30. */
  retentionDays?: number
  batchRows?: number
}

export interface ImportWorker {
  readonly id: string
  wake(): void
  /** Stops after the batch in flight; the job in hand is given back for another worker to resume. */
  stop(): Promise<void>
}

const MAINTENANCE_EVERY_MS = 3600_000

/**
 * Runs import jobs, one at a time per worker (the lease-worker loop with one slot): claims the
 * oldest queued job (or one whose worker died) under a lease and writes it batch by batch. Any number of workers may run against one
 * database; each job has one worker at a time.
 */
export async function startImportWorker(opts: ImportWorkerOptions): Promise<ImportWorker> {
  const { db, clock, log } = opts
  const leaseMs = opts.leaseMs ?? 60_000
  const listen = opts.listen
  let lastMaintenanceMs = 0
  const worker = await startLeaseWorker<ImportRow>({
    idPrefix: 'wi',
    clock,
    log,
    leaseMs,
    pollMs: opts.pollMs ?? 1000,
    beforeClaim() {
      if (clock.nowMs() - lastMaintenanceMs < MAINTENANCE_EVERY_MS) return
      lastMaintenanceMs = clock.nowMs()
      purgeOldImports(db, opts.retentionDays ?? 30).catch((err) => log.error({ err }, 'import purge failed'))
    },
    async claim({ workerId }) {
      const job = await claimImport(db, workerId, new Date(clock.nowMs()), leaseMs)
      return job ? [job] : []
    },
    async process(job, ctx) {
      log.info({ import_id: job.id, worker_id: ctx.workerId, resume_after_rows: job.rows_read }, 'import started')
      const outcome = await runClaimedImport(
        { db, clock, log, leaseMs, ...(opts.batchRows ? { batchRows: opts.batchRows } : {}) },
        job,
        ctx.workerId,
        { signal: ctx.signal },
      )
      log.info({ import_id: job.id, worker_id: ctx.workerId, outcome }, 'import ended')
    },
    logAs: { claimFailed: 'could not run imports', jobFailed: 'could not run imports', jobIdKey: 'import_id' },
    ...(listen ? { listen: (onNotify: () => void) => listen(IMPORTS_CHANNEL, onNotify) } : {}),
  })
  return {
    id: worker.id,
    wake: worker.wake,
    async stop() {
      // No time limit: the batch in flight commits or rolls back, then the job is given back.
      await worker.stop()
    },
  }
}
