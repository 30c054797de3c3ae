import type { LookupFunction } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import { newWorkerId, startLeaseWorker } from '../db/lease-worker.js'
import type { Db } from '../db/schema.js'
import { type Clock, systemClock } from '../lib/clock.js'
import type { SecretBox } from '../lib/secret-box.js'
import { DELIVERIES_CHANNEL } from '../outbox/emit.js'
import {
  type AttemptRecord,
  type ClaimedDelivery,
  claimDueDeliveries,
  disableEndpoint,
  failingSince,
  recordAttempts,
  releaseLeases,
} from './queue.repo.js'
import { renderDelivery } from './render.js'
import { nextAttemptDelayMs, parseRetryAfter } from './schedule.js'
import { type AttemptOutcome, createSender, excerpt, REQUEST_BODY_BYTES, type Sender } from './send.js'
import { signedHeaders } from './sign.js'

export interface WorkerOptions {
  db: Db
  config: Config
  secretBox: SecretBox
  log: FastifyBaseLogger
  /** Subscribes to a notification channel; resolves to an unsubscribe function. */
  listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>
  /** Connect-time address policy (refuses private addresses after DNS resolution). */
  lookup?: LookupFunction
  /** Refuses a URL before connecting (scheme, literal IP); returns the reason, or undefined. */
  checkTarget?: (url: URL) => string | undefined
  /** How many deliveries one worker sends at once. Default 32. */
  concurrency?: number
  /** Longest sleep between looks for due deliveries when nothing wakes the worker. Default 1000 ms. */
  pollMs?: number
  /**
   * The time the worker signs with, schedules retries and disables endpoints
   * by (the queue's due and lease times are the database's). Default the system clock; tests inject one.
   */
  clock?: Clock
}

export interface Worker {
  readonly id: string
  /** Looks for due deliveries now instead of at the next poll. */
  wake(): void
  /** Stops claiming, lets in-flight sends finish (up to `graceMs`) and releases what is left. */
  stop(graceMs?: number): Promise<void>
}

/** A busy worker claims when at least this many sending slots are free. */
const CLAIM_BATCH_MIN = 8
/** Finished attempts are recorded together: at once when this many wait, else after a short pause. */
const RECORD_BATCH = 32
const RECORD_WAIT_MS = 2

/**
 * Delivers webhooks: claims due deliveries under a lease, signs and sends each, records the
 * attempt, and schedules the retry. Any number of workers may run against one database.
 */
export async function startWorker(opts: WorkerOptions): Promise<Worker> {
  const id = newWorkerId('w')
  const { db, config, log } = opts
  const concurrency = opts.concurrency ?? 32
  const pollMs = opts.pollMs ?? 1000
  const clock = opts.clock ?? systemClock
  // A lease outlives the longest attempt, so a live worker never loses one mid-send.
  const leaseMs = config.webhooks.timeoutMs + 5000
  const sender: Sender = createSender({
    timeoutMs: config.webhooks.timeoutMs,
    ...(opts.lookup ? { lookup: opts.lookup } : {}),
    connections: concurrency,
  })

  /**
   * Attempts finished while a recording is under way wait and go together in the next statement:
   * one round trip for many, which is what lets one worker keep up with fast receivers.
   */
  const batch: {
    delivery: ClaimedDelivery
    attempt: AttemptRecord
    done: (kept: boolean) => void
    fail: (err: unknown) => void
  }[] = []
  let isRecording = false
  let flushTimer: NodeJS.Timeout | undefined
  function record(delivery: ClaimedDelivery, attempt: AttemptRecord): Promise<boolean> {
    return new Promise((done, fail) => {
      batch.push({ delivery, attempt, done, fail })
      scheduleFlush()
    })
  }
  /** A full batch goes at once; a small one waits a moment for company (a round trip costs more). */
  function scheduleFlush() {
    if (isRecording || batch.length === 0) return
    if (batch.length >= RECORD_BATCH) {
      void flush()
      return
    }
    flushTimer ??= setTimeout(() => void flush(), RECORD_WAIT_MS)
  }
  async function flush(): Promise<void> {
    clearTimeout(flushTimer)
    flushTimer = undefined
    if (isRecording) return
    isRecording = true
    const items = batch.splice(0, RECORD_BATCH * 2)
    try {
      const kept = await recordAttempts(db, id, items)
      for (const item of items) item.done(kept.has(item.delivery.id))
    } catch (err) {
      for (const item of items) item.fail(err)
    } finally {
      isRecording = false
      scheduleFlush()
    }
  }

  /** `onSent` frees the delivery's sending slot as soon as the HTTP exchange is over: recording it needs no slot. */
  async function deliver(d: ClaimedDelivery, onSent: () => void): Promise<void> {
    const nowMs = clock.nowMs()
    const secrets = [opts.secretBox.open(d.secret_encrypted)]
    if (d.previous_secret_encrypted && d.previous_secret_expires_at && d.previous_secret_expires_at.getTime() > nowMs) {
      secrets.push(opts.secretBox.open(d.previous_secret_encrypted))
    }
    const { eventName, body } = renderDelivery(d)
    const headers = signedHeaders({ secrets, messageId: d.event_id, eventType: eventName, body, nowMs })
    const startedAt = new Date(nowMs)
    const refusal = opts.checkTarget?.(new URL(d.url))
    const outcome: AttemptOutcome = refusal
      ? { responseBody: '', durationMs: 0, isSuccess: false, error: `blocked address: ${refusal}` }
      : await sender.post(d.url, headers, body)
    onSent()
    const attemptNumber = d.attempt_count + 1
    const isGone = outcome.statusCode === 410
    const honoursRetryAfter = outcome.statusCode === 429 || outcome.statusCode === 503
    const delayMs =
      outcome.isSuccess || isGone
        ? null
        : nextAttemptDelayMs(
            attemptNumber,
            config.webhooks.retryScheduleSec,
            honoursRetryAfter ? parseRetryAfter(outcome.retryAfter, nowMs) : undefined,
          )
    const kept = await record(d, {
      startedAt,
      durationMs: outcome.durationMs,
      statusCode: outcome.statusCode ?? null,
      responseBody: outcome.responseBody,
      error: outcome.error ?? null,
      isSuccess: outcome.isSuccess,
      nextAttemptAt: delayMs === null ? null : new Date(clock.nowMs() + delayMs),
      request: refusal ? null : { headers, body: excerpt(body, REQUEST_BODY_BYTES) },
      responseHeaders: outcome.responseHeaders ?? null,
    })
    if (!kept || outcome.isSuccess) return
    const answer = outcome.statusCode ? `HTTP ${outcome.statusCode}` : (outcome.error ?? 'no answer')
    log.warn(
      {
        delivery_id: d.id,
        endpoint_id: d.endpoint_id,
        event: eventName,
        url: d.url,
        attempt: attemptNumber,
        status: outcome.statusCode ?? null,
        error: outcome.error ?? null,
        retry_in_sec: delayMs === null ? null : Math.round(delayMs / 1000),
      },
      `webhook delivery failed: ${eventName} to ${d.url}: ${answer} (attempt ${attemptNumber}; ${delayMs === null ? 'no retry' : `retry in ${Math.round(delayMs / 1000)} s`})`,
    )
    const disable = async (reason: string) => {
      if (await disableEndpoint(db, d.endpoint_id, reason)) {
        log.warn({ endpoint_id: d.endpoint_id, url: d.url, reason }, `webhook endpoint disabled: ${d.url}: ${reason}`)
      }
    }
    if (isGone) {
      await disable('the endpoint answered 410 Gone')
      return
    }
    const since = await failingSince(db, d.endpoint_id)
    if (since && clock.nowMs() - since.getTime() >= config.webhooks.disableAfterDays * 86_400_000) {
      await disable(`no successful delivery for ${config.webhooks.disableAfterDays} days`)
    }
  }

  // Each delivery holds a sending slot until its HTTP exchange is over (recording it needs none).
  const listen = opts.listen
  const worker = await startLeaseWorker<ClaimedDelivery>({
    id,
    clock,
    log,
    leaseMs,
    concurrency,
    claimBatchMin: CLAIM_BATCH_MIN,
    pollMs,
    claim: ({ workerId, limit }) => claimDueDeliveries(db, workerId, limit, leaseMs),
    process: (d, ctx) => deliver(d, ctx.freeSlot),
    release: (workerId, left) =>
      releaseLeases(
        db,
        workerId,
        left.map((d) => d.id),
      ),
    logAs: {
      claimFailed: 'could not claim deliveries',
      jobFailed: 'delivery attempt failed unexpectedly',
      jobIdKey: 'delivery_id',
    },
    ...(listen ? { listen: (onNotify: () => void) => listen(DELIVERIES_CHANNEL, onNotify) } : {}),
  })
  log.info({ worker_id: id, concurrency }, 'webhook worker started')
  return {
    id,
    wake: worker.wake,
    async stop(graceMs = config.webhooks.timeoutMs) {
      const finished = await worker.stop(graceMs)
      await (finished ? sender.close() : sender.destroy())
      log.info({ worker_id: id }, 'webhook worker stopped')
    },
  }
}
