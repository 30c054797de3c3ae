import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Plan } from '../config.js'
import type { RateLimiter } from '../ratelimit/limiter.js'
import { ApiError } from './errors.js'
import type { Metrics } from './metrics.js'

const WINDOW_MS = 60_000
/** While the store is down every request fails open; one log line per this interval says so. */
const STORE_ERROR_LOG_INTERVAL_MS = 10_000

/**
 * Counts every authenticated request against its key's per-minute limit (set by the plan) and
 * writes the limit headers on every authenticated response, the 429 included. Runs after auth
 * (so that limits are per key) and before the scope check and validation (so that 403s and 422s
 * count and carry the headers too).
 */
export function registerRateLimit(
  app: FastifyInstance,
  limiter: RateLimiter,
  limits: Record<Plan, number>,
  metrics: Metrics,
) {
  const reportStoreError = storeErrorReporter()
  app.addHook('onRequest', async (req, reply) => {
    const principal = req.principal
    if (!principal) return
    const limit = limits[principal.plan]
    const result = await limiter.hit(`key:${principal.keyId}`, limit, WINDOW_MS)
    // Relative to the store's clock (the one the decision used), not this process's.
    const resetInSec = Math.max(0, Math.ceil((result.resetAtMs - result.nowMs) / 1000))
    reply.header('x-ratelimit-limit', String(limit))
    reply.header('x-ratelimit-remaining', String(result.remaining))
    reply.header('x-ratelimit-reset', String(Math.ceil(result.resetAtMs / 1000)))
    reply.header('ratelimit-policy', `"per-key";q=${limit};w=${WINDOW_MS / 1000}`)
    reply.header('ratelimit', `"per-key";r=${result.remaining};t=${resetInSec}`)
    if (result.failedOpen) {
      metrics.rateLimitStoreErrors.inc()
      reportStoreError(req.log, result.storeError)
    }
    if (!result.allowed) {
      metrics.rateLimitRejections.inc({ plan: principal.plan })
      throw new ApiError(
        'rate_limited',
        `Rate limit of ${limit} requests per minute exceeded; retry in ${result.retryAfterSec} s`,
        { retryAfterSec: result.retryAfterSec },
      )
    }
  })
}

/**
 * Logs store failures through the app's logger, at most once per interval with the number left
 * unlogged since (the metric counts every one). Only the error's name, code and message are
 * logged: never the command, whose arguments hold key ids, nor anything of the connection.
 */
function storeErrorReporter() {
  let lastLoggedMs = Number.NEGATIVE_INFINITY
  let unlogged = 0
  return (log: FastifyBaseLogger, err: unknown) => {
    const now = Date.now()
    if (now - lastLoggedMs < STORE_ERROR_LOG_INTERVAL_MS) {
      unlogged += 1
      return
    }
    log.warn(
      { storeError: describeError(err), failuresNotLogged: unlogged },
      'rate-limit store unavailable: request let through without being counted',
    )
    lastLoggedMs = now
    unlogged = 0
  }
}

function describeError(err: unknown): { name?: string; code?: string; message: string } {
  if (!(err instanceof Error)) return { message: String(err) }
  const code = (err as { code?: unknown }).code
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) }
}
