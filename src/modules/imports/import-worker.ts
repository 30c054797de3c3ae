import { randomBytes } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { type RunOutcome, runClaimedImport } from './import-runner.js'
import { claimImport, purgeOldImports } from './imports.repo.js'
import { IMPORTS_CHANNEL } from './imports.service.js'

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
 * Runs import jobs, one at a time per worker: claims the oldest queued job (or one whose worker
 * died) under a lease and writes it batch by batch. Any number of workers may run against one
 * database; each job has one worker at a time.
 */
export async function startImportWorker(opts: ImportWorkerOptions): Promise<ImportWorker> {
  const id = `wi_${randomBytes(6).toString('hex')}`
  const { db, clock, log } = opts
  const pollMs = opts.pollMs ?? 1000
  const leaseMs = opts.leaseMs ?? 60_000
  const stopping = new AbortController()
  let wakeUp: (() => void) | undefined
  let isWoken = false
  const wake = () => {
    isWoken = true
    wakeUp?.()
  }
  const unlisten = opts.listen ? await opts.listen(IMPORTS_CHANNEL, wake) : undefined

  async function loop() {
    let lastMaintenanceMs = 0
    while (!stopping.signal.aborted) {
      if (clock.nowMs() - lastMaintenanceMs >= MAINTENANCE_EVERY_MS) {
        lastMaintenanceMs = clock.nowMs()
        purgeOldImports(db, opts.retentionDays ?? 30).catch((err) => log.error({ err }, 'import purge failed'))
      }
      let outcome: RunOutcome | undefined
      try {
        const job = await claimImport(db, id, new Date(clock.nowMs()), leaseMs)
        if (job) {
          log.info({ import_id: job.id, worker_id: id, resume_after_rows: job.rows_read }, 'import started')
          outcome = await runClaimedImport(
            { db, clock, log, leaseMs, ...(opts.batchRows ? { batchRows: opts.batchRows } : {}) },
            job,
            id,
            { signal: stopping.signal },
          )
          log.info({ import_id: job.id, worker_id: id, outcome }, 'import ended')
        }
      } catch (err) {
        log.error({ err }, 'could not run imports')
      }
      if (outcome && outcome !== 'abandoned') continue
      if (isWoken) {
        isWoken = false
        continue
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs)
        wakeUp = () => {
          clearTimeout(timer)
          wakeUp = undefined
          isWoken = false
          resolve()
        }
      })
    }
  }

  const looping = loop()
  return {
    id,
    wake,
    async stop() {
      stopping.abort()
      wake()
      await looping
      await unlisten?.()
    },
  }
}
