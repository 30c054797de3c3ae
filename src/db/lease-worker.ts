import { randomBytes } from 'node:crypto'
import type { Clock } from '../lib/clock.js'

/** What the loop needs of a logger (pino's and Fastify's fit). */
export interface LeaseWorkerLog {
  error(obj: object, msg: string): void
}

/** What `process` gets beside its job. */
export interface JobContext {
  /** This worker's id: the `leased_by` of the rows it claims. */
  workerId: string
  /** Aborted when the worker is asked to stop: a long job stops at its next safe point. */
  signal: AbortSignal
  /**
   * Gives the job's slot back before `process` ends (the slow part is over and what is left needs
   * no slot, e.g. recording a finished attempt): the loop may claim another job at once.
   */
  freeSlot(): void
  /** The end of a lease taken or extended now: the clock's time plus `leaseMs`. */
  leaseUntil(): Date
}

export interface LeaseWorkerOptions<J extends { id: string }> {
  /** The worker's id, which names it in the leases it holds. Default `<idPrefix>_` and 12 random hex digits. */
  id?: string
  /** Default `w` (`w_3f9a0c…`). */
  idPrefix?: string
  clock: Clock
  log: LeaseWorkerLog
  /** How long a claim holds without news from its worker. */
  leaseMs: number
  /**
   * Claims up to `limit` due jobs for `workerId`, leased until `leaseUntil` (or for `leaseMs` by the
   * database's clock): one statement with `for update skip locked`, so two workers never claim one
   * job, and a job whose lease ran out (its worker died) is due again.
   */
  claim(c: { workerId: string; limit: number; leaseUntil: Date; leaseMs: number }): Promise<J[]>
  /** Does the job. A throw is logged; the job's lease then runs out and another look retries it. */
  process(job: J, ctx: JobContext): Promise<void>
  /** Gives back the jobs still held when `stop`'s grace ran out: due again at once for another worker. */
  release?(workerId: string, jobs: J[]): Promise<void>
  /**
   * Extends the leases of the jobs in hand every `everyMs` (less than `leaseMs`), for jobs that
   * can outlast a lease and have no step of their own that extends it.
   */
  heartbeat?: { everyMs: number; extend(workerId: string, jobs: J[], leaseUntil: Date): Promise<void> }
  /** Runs before each look for jobs (e.g. an hourly purge); its errors are the caller's to catch. */
  beforeClaim?(): void
  /** How many jobs run at once. Default 1. */
  concurrency?: number
  /** A busy worker claims again only when at least this many slots are free (a claim is a round trip). Default 1. */
  claimBatchMin?: number
  /** Longest sleep between looks when nothing wakes the worker. Default 1000 ms. */
  pollMs?: number
  /** Each idle look in a row doubles the sleep, from `pollMs` up to this. Default `pollMs` (no growth). */
  maxPollMs?: number
  /** How the loop's error lines read. Default "could not claim jobs", "job failed unexpectedly", `job_id`. */
  logAs?: { claimFailed: string; jobFailed: string; jobIdKey: string }
  /** Subscribes `onNotify` to the queue's notifications (LISTEN); resolves to the unsubscribe function. */
  listen?: (onNotify: () => void) => Promise<() => Promise<void>>
}

export interface LeaseWorker {
  readonly id: string
  /** Looks for due jobs now instead of at the next poll. */
  wake(): void
  /**
   * Stops claiming, aborts the jobs' signal, waits for the jobs in hand (up to `graceMs`; default
   * without limit) and gives back what is left. Resolves to whether every job finished in time.
   */
  stop(graceMs?: number): Promise<boolean>
}

/** A worker id: the prefix and 12 random hex digits (`w_3f9a0c1b2d4e`). */
export const newWorkerId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`

/**
 * The loop every queue worker runs: claim a batch under a lease, process each job in a slot of
 * its own, claim again as slots free up, sleep when idle (a notification or `wake()` cuts the sleep
 * short; a wake-up that comes during a claim is remembered, not lost), and on `stop` finish or give
 * back what it holds. Any number of workers may run against one database.
 */
export async function startLeaseWorker<J extends { id: string }>(opts: LeaseWorkerOptions<J>): Promise<LeaseWorker> {
  const id = opts.id ?? newWorkerId(opts.idPrefix ?? 'w')
  const { clock, log } = opts
  const concurrency = opts.concurrency ?? 1
  const claimBatchMin = Math.min(opts.claimBatchMin ?? 1, concurrency)
  const pollMs = opts.pollMs ?? 1000
  const maxPollMs = Math.max(opts.maxPollMs ?? pollMs, pollMs)
  const logAs = opts.logAs ?? {
    claimFailed: 'could not claim jobs',
    jobFailed: 'job failed unexpectedly',
    jobIdKey: 'job_id',
  }
  const leaseUntil = () => new Date(clock.nowMs() + opts.leaseMs)
  const stopping = new AbortController()
  /** Every job this worker holds, until `process` ends. */
  const inHand = new Map<string, { job: J; done: Promise<void> }>()
  /** The jobs that hold a slot: at most `concurrency`. */
  const slots = new Set<string>()
  let wakeUp: (() => void) | undefined
  let isWoken = false
  const wake = () => {
    isWoken = true
    wakeUp?.()
  }
  const unlisten = opts.listen ? await opts.listen(wake) : undefined

  const heartbeat = opts.heartbeat
  const heartbeatTimer = heartbeat
    ? setInterval(() => {
        const jobs = [...inHand.values()].map((h) => h.job)
        if (jobs.length === 0) return
        heartbeat
          .extend(id, jobs, leaseUntil())
          .catch((err) => log.error({ err, worker_id: id }, 'could not extend leases'))
      }, heartbeat.everyMs)
    : undefined

  function begin(job: J) {
    slots.add(job.id)
    const freeSlot = () => {
      if (slots.delete(job.id)) wake()
    }
    const ctx: JobContext = { workerId: id, signal: stopping.signal, freeSlot, leaseUntil }
    const done = opts
      .process(job, ctx)
      .catch((err) => log.error({ err, [logAs.jobIdKey]: job.id }, logAs.jobFailed))
      .finally(() => {
        inHand.delete(job.id)
        freeSlot()
      })
    inHand.set(job.id, { job, done })
  }

  async function loop() {
    let idleLooks = 0
    while (!stopping.signal.aborted) {
      const free = concurrency - slots.size
      let claimed: J[] = []
      if (free >= claimBatchMin || (free > 0 && slots.size === 0)) {
        try {
          opts.beforeClaim?.()
          claimed = await opts.claim({ workerId: id, limit: free, leaseUntil: leaseUntil(), leaseMs: opts.leaseMs })
        } catch (err) {
          log.error({ err }, logAs.claimFailed)
        }
      }
      for (const job of claimed) begin(job)
      if (claimed.length > 0) idleLooks = 0
      // A full batch: there may be more waiting.
      if (claimed.length > 0 && claimed.length === free) continue
      if (isWoken) {
        isWoken = false
        continue
      }
      if (claimed.length === 0 && slots.size === 0) idleLooks++
      const sleepMs = Math.min(pollMs * 2 ** Math.max(idleLooks - 1, 0), maxPollMs)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sleepMs)
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
    async stop(graceMs = Number.POSITIVE_INFINITY) {
      stopping.abort()
      wake()
      await looping
      await unlisten?.()
      let graceTimer: NodeJS.Timeout | undefined
      const finished = await Promise.race([
        Promise.all([...inHand.values()].map((h) => h.done)).then(() => true),
        ...(Number.isFinite(graceMs)
          ? [new Promise<boolean>((resolve) => (graceTimer = setTimeout(() => resolve(false), graceMs)))]
          : []),
      ])
      clearTimeout(graceTimer)
      clearInterval(heartbeatTimer)
      if (!finished && opts.release) {
        const left = [...inHand.values()].map((h) => h.job)
        if (left.length > 0) await opts.release(id, left)
      }
      return finished
    },
  }
}
