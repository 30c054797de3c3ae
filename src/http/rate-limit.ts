import type { FastifyInstance } from 'fastify'
import type { Plan } from '../config.js'
import type { RateLimiter } from '../ratelimit/limiter.js'
import { ApiError } from './errors.js'
import type { Metrics } from './metrics.js'

const WINDOW_MS = 60_000

/**
 * Counts every authenticated request against its key's per-minute limit (set by the plan) and
 * writes the limit headers on every authenticated response, the 429 included.
 */
export function registerRateLimit(
  app: FastifyInstance,
  limiter: RateLimiter,
  limits: Record<Plan, number>,
  metrics: Metrics,
) {
  app.addHook('onRequest', async (req, reply) => {
    const principal = req.principal
    if (!principal) return
    const limit = limits[principal.plan]
    const result = await limiter.hit(`key:${principal.keyId}`, limit, WINDOW_MS)
    const resetInSec = Math.max(0, Math.ceil((result.resetAtMs - Date.now()) / 1000))
    reply.header('x-ratelimit-limit', String(limit))
    reply.header('x-ratelimit-remaining', String(result.remaining))
    reply.header('x-ratelimit-reset', String(Math.ceil(result.resetAtMs / 1000)))
    reply.header('ratelimit-policy', `"per-key";q=${limit};w=${WINDOW_MS / 1000}`)
    reply.header('ratelimit', `"per-key";r=${result.remaining};t=${resetInSec}`)
    if (result.failedOpen) metrics.rateLimitStoreErrors.inc()
    if (!result.allowed) {
      metrics.rateLimitRejections.inc({ plan: principal.plan })
      throw new ApiError(
        'rate_limited',
        `Rate limit of ${limit} requests per minute exceeded; retry in ${result.retryAfterSec} s`,
        {
          retryAfterSec: result.retryAfterSec,
        },
      )
    }
  })
}
