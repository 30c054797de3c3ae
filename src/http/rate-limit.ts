import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DEFAULT_PUBLIC_RATE_LIMITS, type PlanRateLimits, type PublicRateClass } from '../config.js'
import { ApiError } from '../core/errors.js'
import type { Plan } from '../core/tenancy.js'
import { clientAddressKey } from '../lib/client-address.js'
import { type Clock, systemClock } from '../lib/clock.js'
import type { RateLimiter, RateLimitResult } from '../ratelimit/limiter.js'
import type { Metrics } from './metrics.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Public routes only (no `scope`): the per-IP budget this route counts against. Default: `read`
     * for GET, HEAD and OPTIONS, `write` for the other methods. `false`: not limited.
     */
    publicRateLimit?: PublicRateClass | false
  }
}

const WINDOW_MS = 60_000
const HOUR_MS = 3_600_000
/** While the store is down every request fails open; one log line per this interval says so. */
const STORE_ERROR_LOG_INTERVAL_MS = 10_000

/** Keyless routes that are not the public API: operators' endpoints, the API description, the admin API (its own token). */
const UNLIMITED_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json'])
const UNLIMITED_PREFIXES = ['/docs/', '/admin/']

/** Form submissions per minute one publishable key may make (from every address together). */
export const PUBLISHABLE_KEY_LIMIT = 60

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** One window of a budget as the headers and the 429 name it. */
interface Budget {
  limit: number
  windowMs: number
  /** The policy name in `RateLimit-Policy` and `RateLimit`. */
  policy: string
  /** "Rate limit of … exceeded", for the 429's message. */
  over: string
}

/** A plan's windows for one API key, the minute first. */
function keyBudgets(limits: PlanRateLimits): Budget[] {
  const budgets: Budget[] = []
  if (limits.perMinute !== null) {
    const n = limits.perMinute
    budgets.push({
      limit: n,
      windowMs: WINDOW_MS,
      policy: 'per-key',
      over: `Rate limit of ${n} requests per minute exceeded`,
    })
  }
  if (limits.perHour !== null) {
    const n = limits.perHour
    budgets.push({
      limit: n,
      windowMs: HOUR_MS,
      policy: 'per-key-hour',
      over: `Rate limit of ${n} requests per hour exceeded`,
    })
  }
  return budgets
}

/**
 * The window the headers describe: on a rejection, the one that refused longest; otherwise the one
 * closest to its limit (the smallest share left; on a tie the fewest left, then the one that resets later).
 */
function closestWindow(results: RateLimitResult[]): number {
  let best = 0
  for (let i = 1; i < results.length; i++) {
    const r = results[i]!
    const b = results[best]!
    const share = r.remaining / r.limit - b.remaining / b.limit
    const fewer = r.remaining - b.remaining
    const closer = r.allowed
      ? share < 0 || (share === 0 && (fewer < 0 || (fewer === 0 && r.resetAtMs > b.resetAtMs)))
      : r.retryAfterSec > b.retryAfterSec
    if (closer) best = i
  }
  return best
}

/**
 * Counts every authenticated request against its key's limits per minute and per hour (set by the
 * plan; the stricter decides), and every request to a public (keyless) route against its client
 * address's per-minute budget for reads or writes, and writes the limit headers on those
 * responses, the 429 included. Runs after auth (so that limits are per key) and before the scope
 * check and validation (so that 403s and 422s count and carry the headers too).
 */
export function registerRateLimit(
  app: FastifyInstance,
  limiter: RateLimiter,
  limits: Record<Plan, PlanRateLimits>,
  metrics: Metrics,
  publicLimits: Record<PublicRateClass, number> = DEFAULT_PUBLIC_RATE_LIMITS,
) {
  const reportStoreError = storeErrorReporter()
  const planBudgets = Object.fromEntries(Object.entries(limits).map(([plan, l]) => [plan, keyBudgets(l)])) as Record<
    Plan,
    Budget[]
  >
  const countWindows = async (
    req: FastifyRequest,
    reply: FastifyReply,
    c: { key: string; budgets: Budget[]; label: string },
  ) => {
    const results =
      c.budgets.length === 1
        ? [await limiter.hit(c.key, c.budgets[0]!.limit, c.budgets[0]!.windowMs)]
        : await limiter.hitWindows(c.key, c.budgets)
    const shown = closestWindow(results)
    writeHeaders(reply, c.budgets, results, shown)
    const result = results[shown]!
    if (result.failedOpen) {
      metrics.rateLimitStoreErrors.inc()
      reportStoreError(req.log, result.storeError)
    }
    if (!result.allowed) {
      metrics.rateLimitRejections.inc({ plan: c.label })
      throw new ApiError('rate_limited', `${c.budgets[shown]!.over}; retry in ${result.retryAfterSec} s`, {
        retryAfterSec: result.retryAfterSec,
      })
    }
  }
  const count = (
    req: FastifyRequest,
    reply: FastifyReply,
    c: { key: string; limit: number; policy: string; label: string; over: string },
  ) =>
    countWindows(req, reply, {
      key: c.key,
      label: c.label,
      budgets: [{ limit: c.limit, windowMs: WINDOW_MS, policy: c.policy, over: c.over }],
    })
  app.addHook('onRequest', async (req, reply) => {
    const principal = req.principal
    if (principal && req.routeOptions.config?.publishable) {
      // A public form route: the client address's public budget; submissions also count against
      // the publishable key's own (definitions do not: every page view of a busy site reads one).
      const rateClass = publicRateClass(req)
      const client = clientAddressKey(req.ip)
      if (rateClass && client !== undefined) {
        const limit = publicLimits[rateClass]
        await count(req, reply, {
          key: `ip:${rateClass}:${client}`,
          limit,
          policy: `per-ip-${rateClass}`,
          label: `public-${rateClass}`,
          over: `Rate limit of ${limit} requests per minute exceeded (public ${rateClass}s from one address)`,
        })
      }
      if (rateClass !== 'write') return
      return count(req, reply, {
        key: `pk:${principal.keyId}`,
        limit: PUBLISHABLE_KEY_LIMIT,
        policy: 'per-publishable-key',
        label: 'publishable',
        over: `Rate limit of ${PUBLISHABLE_KEY_LIMIT} submissions per minute exceeded for this publishable key`,
      })
    }
    if (principal) {
      return countWindows(req, reply, {
        key: `key:${principal.keyId}`,
        budgets: planBudgets[principal.plan],
        label: principal.plan,
      })
    }
    const rateClass = publicRateClass(req)
    if (!rateClass) return
    const client = clientAddressKey(req.ip)
    if (client === undefined) return
    const limit = publicLimits[rateClass]
    return count(req, reply, {
      key: `ip:${rateClass}:${client}`,
      limit,
      policy: `per-ip-${rateClass}`,
      label: `public-${rateClass}`,
      over: `Rate limit of ${limit} requests per minute exceeded (public ${rateClass}s from one address)`,
    })
  })
}

export interface AuthFailureGuard {
  /** Throws 429 while the request's address is over its budget of failed authentications. */
  check(req: FastifyRequest): void
  /** Counts a failed authentication of the request's address; throws 429 once over budget. */
  failed(req: FastifyRequest): Promise<void>
}

/** Most addresses this process remembers as blocked; expired ones are dropped when it fills up. */
const MAX_BLOCKED = 10_000

/**
 * Failed authentications (an unknown, revoked or publishable key on a secret route, an ended
 * session) count against their client address: past `limit` a minute, the address gets 429 with
 * `Retry-After`, and until then this process refuses its requests before looking any key up, so a
 * flood of guesses costs no database reads. Counted in the shared store (Redis when configured);
 * loopback is not limited, as for the public routes. Blocks end by `clock` (the limiter's, injected in tests).
 */
export function authFailureGuard(
  limiter: RateLimiter,
  limit: number,
  metrics: Metrics,
  clock: Clock = systemClock,
): AuthFailureGuard {
  const blockedUntil = new Map<string, number>()
  const refuse = (retryAfterSec: number) => {
    metrics.rateLimitRejections.inc({ plan: 'auth-failures' })
    return new ApiError(
      'rate_limited',
      `Too many failed authentications from this address (${limit} a minute); retry in ${retryAfterSec} s`,
      { retryAfterSec },
    )
  }
  return {
    check(req) {
      if (blockedUntil.size === 0) return
      const client = clientAddressKey(req.ip)
      const until = client === undefined ? undefined : blockedUntil.get(client)
      if (until === undefined) return
      const waitMs = until - clock.nowMs()
      if (waitMs <= 0) {
        blockedUntil.delete(client!)
        return
      }
      throw refuse(Math.ceil(waitMs / 1000))
    },
    async failed(req) {
      const client = clientAddressKey(req.ip)
      if (client === undefined) return
      const result = await limiter.hit(`authfail:${client}`, limit, WINDOW_MS)
      if (result.allowed) return
      if (blockedUntil.size >= MAX_BLOCKED) {
        const now = clock.nowMs()
        for (const [k, until] of blockedUntil) if (until <= now) blockedUntil.delete(k)
      }
      if (blockedUntil.size < MAX_BLOCKED) blockedUntil.set(client, clock.nowMs() + result.retryAfterSec * 1000)
      throw refuse(result.retryAfterSec)
    },
  }
}

/**
 * `X-RateLimit-*` describe the window `shown` (the closest to its limit); `RateLimit-Policy` lists
 * every window, and `RateLimit` the state of each, the shown one first, so that it names it.
 */
function writeHeaders(reply: FastifyReply, budgets: Budget[], results: RateLimitResult[], shown: number) {
  const result = results[shown]!
  reply.header('x-ratelimit-limit', String(result.limit))
  reply.header('x-ratelimit-remaining', String(result.remaining))
  reply.header('x-ratelimit-reset', String(Math.ceil(result.resetAtMs / 1000)))
  reply.header('ratelimit-policy', budgets.map((b) => `"${b.policy}";q=${b.limit};w=${b.windowMs / 1000}`).join(', '))
  const order = [shown, ...budgets.keys()].filter((i, at, all) => all.indexOf(i) === at)
  const state = order.map((i) => {
    const r = results[i]!
    // Relative to the store's clock (the one the decision used), not this process's.
    const resetInSec = Math.max(0, Math.ceil((r.resetAtMs - r.nowMs) / 1000))
    return `"${budgets[i]!.policy}";r=${r.remaining};t=${resetInSec}`
  })
  reply.header('ratelimit', state.join(', '))
}

/**
 * The budget a request to a public route counts against, or undefined when it is not limited by
 * address: routes with a `scope` (limited per key once authenticated), unknown paths (404 at no
 * cost), operators' endpoints, and routes that opt out with `publicRateLimit: false`.
 */
function publicRateClass(req: FastifyRequest): PublicRateClass | undefined {
  const config = req.routeOptions.config
  const url = req.routeOptions.url
  if (config?.scope || url === undefined) return undefined
  if (UNLIMITED_PATHS.has(url) || url === '/docs' || UNLIMITED_PREFIXES.some((p) => url.startsWith(p))) return undefined
  const override = config?.publicRateLimit
  if (override === false) return undefined
  return override ?? (READ_METHODS.has(req.method) ? 'read' : 'write')
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
