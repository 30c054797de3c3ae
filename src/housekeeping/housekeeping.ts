import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import type { Db } from '../db/schema.js'
import { type Clock, systemClock } from '../lib/clock.js'
import { purgeExpiredSessions } from '../modules/accounts/sessions.repo.js'
import { purgeEndedSignInLinks } from '../modules/accounts/sign-in-links.repo.js'
import { purgeOldAuditRows } from '../modules/audit/audit.repo.js'
import { purgeOldEvents } from '../modules/events/events.repo.js'
import { purgeExpiredKeys } from '../modules/idempotency/idempotency.repo.js'
import { purgeOldDeliveries } from '../modules/webhook-deliveries/deliveries.repo.js'

/** How many rows one round of housekeeping removed, by kind. */
export interface PurgeCounts {
  deliveries: number
  events: number
  idempotency_keys: number
  audit_rows: number
  sessions: number
  sign_in_links: number
}

/**
 * Removes what has outlived its use: webhook deliveries past their retention, events past theirs,
 * expired idempotency keys, audit rows past theirs, expired sessions, and used, replaced or expired
 * sign-in links. Each purge is one statement of its own module's repository; running it twice (two
 * workers) is harmless. Deliveries go before events: an event is kept while a delivery of it is.
 */
export async function purgeExpiredRows(db: Db, config: Config, now: Date): Promise<PurgeCounts> {
  return {
    deliveries: await purgeOldDeliveries(db, config.webhooks.retentionDays),
    events: await purgeOldEvents(db, config.eventsRetentionDays),
    idempotency_keys: await purgeExpiredKeys(db),
    audit_rows: await purgeOldAuditRows(db, config.auditRetentionDays),
    sessions: await purgeExpiredSessions(db),
    sign_in_links: await purgeEndedSignInLinks(db, now),
  }
}

export interface HousekeepingOptions {
  db: Db
  config: Config
  log: FastifyBaseLogger
  /** The time sign-in links are judged by. Default the system clock; tests inject one. */
  clock?: Clock
  /** Time between rounds; the first runs at start. Default one hour. */
  everyMs?: number
}

export interface Housekeeping {
  /** Stops the schedule and waits for a round in progress. */
  stop(): Promise<void>
}

const EVERY_MS = 3600_000

/**
 * Runs `purgeExpiredRows` at start and then every `everyMs`, logging what it removed. Part of the
 * background role (`rapport worker`, and `rapport start`), beside the webhook, email and import workers.
 */
export function startHousekeeping(opts: HousekeepingOptions): Housekeeping {
  const clock = opts.clock ?? systemClock
  let running: Promise<void> = Promise.resolve()
  const round = async () => {
    try {
      const counts = await purgeExpiredRows(opts.db, opts.config, new Date(clock.nowMs()))
      if (Object.values(counts).some((n) => n > 0)) opts.log.info(counts, 'purged expired rows')
    } catch (err) {
      opts.log.error({ err }, 'housekeeping failed')
    }
  }
  const tick = () => {
    running = running.then(round)
  }
  tick()
  const timer = setInterval(tick, opts.everyMs ?? EVERY_MS)
  timer.unref()
  return {
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
