import { Redis } from 'ioredis'
import type { Config } from './config.js'
import { type DatabaseHandle, openDatabase } from './db/database.js'
import type { Db } from './db/schema.js'
import { createMetrics, type Metrics } from './http/metrics.js'
import { type Clock, systemClock } from './lib/clock.js'
import type { RateLimiter } from './ratelimit/limiter.js'
import { memoryLimiter } from './ratelimit/memory.js'
import { redisLimiter } from './ratelimit/redis.js'

/** Everything the app needs from outside, wired in one place. */
export interface Deps {
  config: Config
  db: Db
  dbEngine: DatabaseHandle['engine']
  clock: Clock
  limiter: RateLimiter
  metrics: Metrics
  /** Called when the rate-limit store fails (the request is let through). */
  onLimiterError: (err: unknown) => void
  close(): Promise<void>
}

export async function createDeps(
  config: Config,
  overrides: { database?: DatabaseHandle; clock?: Clock; onLimiterError?: (err: unknown) => void } = {},
): Promise<Deps> {
  const database =
    overrides.database ??
    (await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir }))
  const clock = overrides.clock ?? systemClock
  const metrics = createMetrics()
  const deps: Deps = {
    config,
    db: database.db,
    dbEngine: database.engine,
    clock,
    metrics,
    onLimiterError: overrides.onLimiterError ?? (() => {}),
    limiter: memoryLimiter(clock),
    async close() {
      await deps.limiter.close()
      if (!overrides.database) await database.close()
    },
  }
  if (config.redisUrl) {
    // Fail fast while Redis is down (no offline queue, no per-command retries): requests must not wait on it.
    const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false })
    redis.on('error', () => {})
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000)
      redis.once('ready', () => {
        clearTimeout(timer)
        resolve()
      })
    })
    deps.limiter = redisLimiter(redis, { onStoreError: (err) => deps.onLimiterError(err) })
  }
  return deps
}
