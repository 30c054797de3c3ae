import { randomBytes } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/schema.js'
import { recordBounce } from '../deliverability/bounces.js'
import { checkCampaignBreaker } from '../deliverability/breaker.js'
import { type BounceClassification, classifySendFailure } from '../deliverability/classify.js'
import type { DeliverabilityPolicy } from '../deliverability/policy.js'
import type { CampaignRunner } from './campaign-runner.js'
import { composeMessage } from './compose.js'
import type { EmailRow } from './emails.repo.js'
import { mailboxTransport } from './mailbox.transport.js'
import {
  claimDueEmails,
  EMAILS_CHANNEL,
  recordSends,
  releaseEmailLeases,
  type SendOutcomeRecord,
  type SendRecord,
} from './outbox.repo.js'
import { MailSendError, type MailTransport } from './transport.js'

export interface EmailWorkerOptions {
  db: Db
  /** Live-mode messages go here; test-mode messages always go to the development mailbox. */
  mailer: MailTransport
  log: FastifyBaseLogger
  /** Seconds between attempts after temporary failures; past the last, the message fails. */
  retryScheduleSec: number[]
  listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>
  /**
   * Messages one worker sends at once; a message counts until its outcome is recorded, so at most
   * this many can be sent twice after a crash. Default 10. As many again are claimed ahead.
   */
  concurrency?: number
  /** Outcomes written in one transaction at most (group commit, see outcomeRecorder). Default 200. */
  recordBatch?: number
  /** Longest sleep between looks for due messages. Default 1000 ms. */
  pollMs?: number
  /** How long a claim holds. Default 120 s (longer than any SMTP exchange with its timeouts). */
  leaseMs?: number
  /** Only send messages of these organizations (a worker dedicated to large tenants). Default: all. */
  orgIds?: readonly string[]
  /** Moves campaigns forward (starts due ones, queues their ledger within the rates). Absent: campaigns wait for a worker that has one. */
  campaigns?: CampaignRunner
  /** Time between campaign ticks. Default 200 ms. */
  campaignTickMs?: number
  /** When soft bounces suppress an address, and when a campaign pauses itself (deliverability defaults). */
  deliverability?: DeliverabilityPolicy
}

export interface EmailWorker {
  readonly id: string
  wake(): void
  /** Stops claiming, lets sends under way finish (up to `graceMs`) and releases what is left. */
  stop(graceMs?: number): Promise<void>
}

/**
 * Sends queued email: claims due messages under a lease (a batch at a time, up to `concurrency`
 * ahead of the sends), composes each (same Message-ID on every attempt), hands it to the transport
 * and records the outcome with its events; outcomes that finish while a batch is being written go
 * together in the next transaction. Any number of workers may run against one database.
 */
export async function startEmailWorker(opts: EmailWorkerOptions): Promise<EmailWorker> {
  const id = `ew_${randomBytes(6).toString('hex')}`
  const { db, log } = opts
  const concurrency = opts.concurrency ?? 10
  const pollMs = opts.pollMs ?? 1000
  const leaseMs = opts.leaseMs ?? 120_000
  const sandbox = opts.mailer.kind === 'mailbox' ? opts.mailer : mailboxTransport(db)
  const inFlight = new Map<string, Promise<void>>()
  /** Claimed (leased to this worker), not started yet. */
  const ready: EmailRow[] = []
  const recorder = outcomeRecorder(db, id, log, opts.recordBatch ?? 200)
  let running = true
  let isWoken = false
  let wakeUp: (() => void) | undefined
  const wake = () => {
    isWoken = true
    wakeUp?.()
  }
  const unlisten = opts.listen ? await opts.listen(EMAILS_CHANNEL, wake) : undefined

  async function send(email: EmailRow): Promise<void> {
    const transport = email.livemode ? opts.mailer : sandbox
    let record: SendRecord
    let bounce: BounceClassification | undefined
    try {
      const outcome = await transport.send(composeMessage(email))
      record = { kind: 'sent', transport: transport.kind, isDelivered: outcome.isDelivered, response: outcome.response }
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err)
      // Classified by the reply's enhanced status code (deliverability/classify.ts): retried only
      // when trying again can help, and recorded as a bounce when the message is given up.
      const failure =
        err instanceof MailSendError ? classifySendFailure({ response: error, ...err.details }) : undefined
      const delaySec = opts.retryScheduleSec[email.attempt_count]
      const isRetryable = failure ? failure.isRetryable : true
      record =
        !isRetryable || delaySec === undefined
          ? { kind: 'failed', error }
          : { kind: 'deferred', error, nextAttemptAt: new Date(Date.now() + delaySec * 1000) }
      if (record.kind === 'failed') bounce = failure
      log.warn({ email_id: email.id, err: error, outcome: record.kind, bounce: failure?.category }, 'email not sent')
    }
    const policy = opts.deliverability
    const recorded = await recorder.record({
      email,
      record,
      alsoRecord: bounce ? (tx) => recordBounce(tx, email, bounce, 'smtp', policy?.softBounces) : undefined,
    })
    if (recorded && bounce?.kind === 'hard' && email.campaign_id) {
      await checkCampaignBreaker(
        db,
        { orgId: email.org_id, livemode: email.livemode },
        email.campaign_id,
        policy?.breaker,
      )
    }
  }

  function startSends() {
    while (running && inFlight.size < concurrency && ready.length > 0) {
      const email = ready.shift()!
      const task = send(email)
        .catch((err) => log.error({ err, email_id: email.id }, 'email attempt failed unexpectedly'))
        .finally(() => {
          inFlight.delete(email.id)
          startSends()
          wake()
        })
      inFlight.set(email.id, task)
    }
  }

  async function loop() {
    while (running) {
      // Claim ahead of the sends (up to `concurrency` waiting), so a freed slot never waits for a
      // claim; one claim then serves a batch. The next claim is made once half of them have started.
      const room = 2 * concurrency - inFlight.size - ready.length
      let claimed: EmailRow[] = []
      if (room > 0 && ready.length <= concurrency / 2) {
        try {
          claimed = await claimDueEmails(db, id, room, leaseMs, opts.orgIds)
        } catch (err) {
          log.error({ err }, 'could not claim emails')
        }
      }
      ready.push(...claimed)
      startSends()
      if (claimed.length > 0 && claimed.length === room) continue
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

  /** Campaign ticks run beside the send loop; what they queue wakes it. */
  async function campaignLoop(runner: CampaignRunner) {
    const tickMs = opts.campaignTickMs ?? 200
    while (running) {
      let queued = 0
      try {
        queued = await runner.tick()
      } catch (err) {
        log.error({ err }, 'campaign tick failed')
      }
      if (queued > 0) wake()
      if (running) await new Promise((r) => setTimeout(r, tickMs))
    }
  }

  const looping = loop()
  const campaignLooping = opts.campaigns ? campaignLoop(opts.campaigns) : Promise.resolve()
  log.info({ worker_id: id, concurrency, transport: opts.mailer.kind }, 'email worker started')
  return {
    id,
    wake,
    async stop(graceMs = 10_000) {
      running = false
      wake()
      await looping
      await campaignLooping
      await unlisten?.()
      // Claimed but never attempted: due again at once for another worker.
      await releaseEmailLeases(
        db,
        id,
        ready.splice(0).map((e) => e.id),
      )
      const finished = await Promise.race([
        Promise.all(inFlight.values()).then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref()),
      ])
      if (!finished) await releaseEmailLeases(db, id, [...inFlight.keys()])
      if (sandbox !== opts.mailer) await sandbox.close()
      log.info({ worker_id: id }, 'email worker stopped')
    },
  }
}

interface PendingOutcome {
  outcome: SendOutcomeRecord
  resolve: (recorded: boolean) => void
  reject: (err: unknown) => void
}

/**
 * Group commit of send outcomes: the first outcome is written at once; those that finish while a
 * transaction is under way are written together by the next one (at most `maxBatch` each). Under
 * load a batch holds about as many outcomes as sends finished during one write, so the statements
 * per message fall with the rate; alone, a message is recorded as soon as before. A send's slot is
 * held until its outcome is written, so a crash can repeat at most `concurrency` messages.
 */
function outcomeRecorder(db: Db, workerId: string, log: FastifyBaseLogger, maxBatch: number) {
  const pending: PendingOutcome[] = []
  let isFlushing = false

  async function writeOne(p: PendingOutcome) {
    try {
      p.resolve((await recordSends(db, workerId, [p.outcome]))[0] ?? false)
    } catch (err) {
      p.reject(err)
    }
  }

  async function flush() {
    isFlushing = true
    try {
      while (pending.length > 0) {
        const batch = pending.splice(0, maxBatch)
        if (batch.length === 1) {
          await writeOne(batch[0]!)
          continue
        }
        try {
          const results = await recordSends(
            db,
            workerId,
            batch.map((p) => p.outcome),
          )
          for (const [i, p] of batch.entries()) p.resolve(results[i] ?? false)
        } catch (err) {
          // One outcome that cannot be written (a bounce's own rows, say) must not hold back the rest.
          log.warn({ err, count: batch.length }, 'could not record a batch of email outcomes; recording one by one')
          for (const p of batch) await writeOne(p)
        }
      }
    } finally {
      isFlushing = false
    }
  }

  return {
    /** Resolves once the outcome is written: true, or false when the lease was lost. */
    record(outcome: SendOutcomeRecord): Promise<boolean> {
      return new Promise<boolean>((resolve, reject) => {
        pending.push({ outcome, resolve, reject })
        if (!isFlushing) void flush()
      })
    },
  }
}
