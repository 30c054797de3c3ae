import { Redis } from 'ioredis'
import { type Config, databaseTargetOf } from './config.js'
import { usePlanScopes } from './core/tenancy.js'
import { type DatabaseHandle, openDatabase } from './db/database.js'
import { createMetrics, type Metrics } from './http/metrics.js'
import { type Clock, systemClock } from './lib/clock.js'
import type { DnsResolver } from './lib/dns-resolver.js'
import { PublicUrl } from './lib/public-url.js'
import { loadMasterKey, type SecretBox, secretBox } from './lib/secret-box.js'
import { dkimKeyLookup } from './modules/deliverability/domains/dkim-signing.js'
import { sendingDomainsService } from './modules/deliverability/domains/index.js'
import { withReturnPaths } from './modules/deliverability/inbound/return-path.js'
import { verpSignerFor } from './modules/deliverability/inbound/verp.js'
import { mailboxTransport } from './modules/email/mailbox.transport.js'
import { smtpTransport } from './modules/email/smtp.transport.js'
import type { MailTransport } from './modules/email/transport.js'
import type { ModuleDeps } from './modules/module-deps.js'
import type { RateLimiter } from './ratelimit/limiter.js'
import { memoryLimiter } from './ratelimit/memory.js'
import { redisLimiter } from './ratelimit/redis.js'

/** Everything the app needs from outside, wired in one place. */
export interface Deps extends ModuleDeps {
  dbEngine: DatabaseHandle['engine']
  listen: DatabaseHandle['listen']
  limiter: RateLimiter
  metrics: Metrics
  /** Called when the rate-limit store fails (the request is let through). */
  onLimiterError: (err: unknown) => void
  close(): Promise<void>
}

export async function createDeps(
  config: Config,
  overrides: {
    database?: DatabaseHandle
    clock?: Clock
    onLimiterError?: (err: unknown) => void
    secretBox?: SecretBox
    mailer?: MailTransport
    dnsResolver?: DnsResolver
  } = {},
): Promise<Deps> {
  usePlanScopes(config.planScopes)
  const database = overrides.database ?? (await openDatabase(databaseTargetOf(config)))
  const clock = overrides.clock ?? systemClock
  const metrics = createMetrics()
  const secrets = overrides.secretBox ?? masterKeySecretBox(config)
  // Messages sent through SMTP are DKIM-signed with their from-domain's key (docs/deliverability.md).
  const domains = sendingDomainsService({ config, db: database.db, clock, secretBox: secrets })
  const dkimKeyFor = dkimKeyLookup({ db: database.db, clock, secretBox: secrets, domains })
  const deps: Deps = {
    config,
    db: database.db,
    dbEngine: database.engine,
    listen: database.listen,
    clock,
    metrics,
    secretBox: secrets,
    dnsResolver: overrides.dnsResolver,
    publicUrl: new PublicUrl(config.publicUrl, { host: config.host, port: config.port }),
    onLimiterError: overrides.onLimiterError ?? (() => {}),
    limiter: memoryLimiter(clock),
    // With the inbound listener on (RAPPORT_SMTP_INBOUND), each message's envelope sender is its signed return path.
    mailer:
      overrides.mailer ??
      (config.email.smtpUrl
        ? withReturnPaths(smtpTransport(config.email.smtpUrl, { dkimKeyFor }), verpSignerFor(config))
        : mailboxTransport(database.db)),
    async close() {
      await deps.limiter.close()
      await deps.mailer.close()
      if (!overrides.database) await database.close()
    },
  }
  if (config.redisUrl) {
    // Fail fast while Redis is down (no offline queue, no per-command retries): requests must not wait on it.
    const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false })
    // Not logged here: every request that fails open is counted in /metrics, logged (throttled) by the
    // rate-limit hook through the app logger, and passed to onLimiterError.
    redis.on('error', () => {})
    // Count from the first request when Redis is up; when it refuses or drops the connection, start
    // at once (failing open) instead of stalling startup: ioredis keeps reconnecting in the background.
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        redis.off('ready', done).off('error', done).off('end', done)
        resolve()
      }
      const timer = setTimeout(done, 2000)
      redis.once('ready', done).once('error', done).once('end', done)
    })
    deps.limiter = redisLimiter(redis, {
      onStoreError: (err) => deps.onLimiterError(err),
      // An injected clock (tests only) decides the windows on Redis too, as it does in memory.
      ...(overrides.clock ? { clock: overrides.clock } : {}),
    })
  }
  return deps
}

/**
 * A configured RAPPORT_MASTER_KEY is checked at start. Without one, the generated key file is read
 * (or created) on first use, so a process that never touches a webhook secret (OpenAPI generation,
 * most tests) writes nothing into the data dir.
 */
function masterKeySecretBox(config: Config): SecretBox {
  if (config.masterKey) return secretBox(loadMasterKey(config.masterKey, config.dataDir))
  let box: SecretBox | undefined
  const load = () => {
    box ??= secretBox(loadMasterKey(undefined, config.dataDir))
    return box
  }
  return { seal: (plaintext) => load().seal(plaintext), open: (sealed) => load().open(sealed) }
}
