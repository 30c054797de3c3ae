import type { Redis } from 'ioredis'
import type { Clock } from '../lib/clock.js'
import {
  decide,
  decideAll,
  failedOpenResult,
  type RateLimiter,
  type RateLimitResult,
  type RateWindow,
  toResult,
  windowKey,
} from './limiter.js'

/**
 * One atomic script counts a batch of requests. Each request has one or more windows (a minute, an
 * hour), each on the hash of its limited key ({i: window index, p: previous window's count, c:
 * current window's count}). For each request, in order, it rolls every window over and decides
 * each; the request is allowed only if every window fits it, and only then counted in all of them.
 * Two requests of one key in a batch are decided one after the other, exactly as two separate
 * scripts would decide them. The fit is `decide()`'s integer inequality, line for line, so the
 * script and the JavaScript that builds the answer agree exactly.
 *
 * "Now" is the Redis server's clock, so every API process agrees on the windows whatever its own
 * clock says. ARGV holds (window ms, limit, now ms, last) per key: `last` is 1 on a request's last
 * window. A now of 0 means the server's clock, anything else replaces it (tests only, to replay one
 * sequence on both stores).
 * Returns {previous, current-before-this-request, now_ms, fits (1|0)} per key, flattened.
 */
const SLIDING_WINDOW_BATCH = `
local server_now
local out = {}
local first = 1
local group = {}
for k = 1, #KEYS do
  local window = tonumber(ARGV[k * 4 - 3])
  local limit = tonumber(ARGV[k * 4 - 2])
  local now = tonumber(ARGV[k * 4 - 1])
  if now == 0 then
    if not server_now then
      local t = redis.call('TIME')
      server_now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    end
    now = server_now
  end
  local index = math.floor(now / window)
  local state = redis.call('HMGET', KEYS[k], 'i', 'p', 'c')
  local stored = tonumber(state[1])
  local prev, cur = 0, 0
  if stored then
    if stored > index then
      index = stored
      now = stored * window
    end
    if stored == index then
      prev = tonumber(state[2])
      cur = tonumber(state[3])
    elseif stored == index - 1 then
      prev = tonumber(state[3])
    end
  end
  local elapsed = now - index * window
  local fits = 0
  if prev * (window - elapsed) + (cur + 1) * window <= limit * window then fits = 1 end
  group[#group + 1] = {k, index, prev, cur, window, fits}
  out[#out + 1] = prev
  out[#out + 1] = cur
  out[#out + 1] = now
  out[#out + 1] = fits
  if ARGV[k * 4] == '1' then
    local all = 1
    for _, g in ipairs(group) do if g[6] == 0 then all = 0 end end
    if all == 1 then
      for _, g in ipairs(group) do
        redis.call('HSET', KEYS[g[1]], 'i', g[2], 'p', g[3], 'c', g[4] + 1)
        redis.call('PEXPIRE', KEYS[g[1]], g[5] * 2 + 1000)
      end
    end
    group = {}
  end
end
return out
`

export interface RedisLimiterOptions {
  /** Called, once per request let through, when Redis fails and the request is let through. */
  onStoreError?: (err: unknown) => void
  /** Give up on Redis after this long and fail open. Default 250 ms. */
  timeoutMs?: number
  /**
   * Tests only: decide at this clock's time instead of the Redis server's. Production leaves it
   * unset, because API processes' clocks differ and the windows must be the same for all of them.
   */
  clock?: Clock
  /** At most this many requests per script call (a larger batch is split). Default 256. */
  maxBatch?: number
}

interface Pending {
  key: string
  windows: readonly RateWindow[]
  /** The injected clock's time when the request arrived; 0 for the Redis server's clock. */
  nowMs: number
  settle: (results: RateLimitResult[]) => void
}

type BatchScript = (numberOfKeys: number, ...keysThenArgs: (string | number)[]) => Promise<number[]>

/**
 * The Redis store. Requests are not sent one by one: those that arrive within one turn of the
 * event loop (all the sockets read in one poll phase) wait for `setImmediate` and go to Redis as
 * one script call, so a busy API process pays one write, one read and one script run for many
 * requests instead of one each. Every request is still counted exactly and atomically, in all of
 * its windows or none; under light load a batch holds one request and waits for nothing but the
 * end of the current loop turn.
 */
export function redisLimiter(redis: Redis, options: RedisLimiterOptions = {}): RateLimiter {
  const timeoutMs = options.timeoutMs ?? 250
  const maxBatch = options.maxBatch ?? 256
  // No numberOfKeys: the key count is the first argument of each call.
  redis.defineCommand('rapportSlidingWindowBatch', { lua: SLIDING_WINDOW_BATCH })
  const run = (redis as unknown as { rapportSlidingWindowBatch: BatchScript }).rapportSlidingWindowBatch.bind(redis)
  let queue: Pending[] = []

  function flush() {
    const all = queue
    queue = []
    for (let start = 0; start < all.length; start += maxBatch) send(all.slice(start, start + maxBatch))
  }

  function send(batch: Pending[]) {
    let keyCount = 0
    for (const p of batch) keyCount += p.windows.length
    const keysThenArgs: (string | number)[] = new Array(keyCount * 5)
    let k = 0
    for (const p of batch) {
      for (const [j, w] of p.windows.entries()) {
        keysThenArgs[k] = `rl:{${windowKey(p.key, w.windowMs)}}`
        keysThenArgs[keyCount + k * 4] = w.windowMs
        keysThenArgs[keyCount + k * 4 + 1] = w.limit
        keysThenArgs[keyCount + k * 4 + 2] = p.nowMs
        keysThenArgs[keyCount + k * 4 + 3] = j === p.windows.length - 1 ? 1 : 0
        k++
      }
    }
    let settled = false
    const failOpen = (err: unknown) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      const now = Date.now()
      for (const p of batch) {
        options.onStoreError?.(err)
        p.settle(p.windows.map((w) => failedOpenResult(w.limit, w.windowMs, now, err)))
      }
    }
    const timer = setTimeout(() => {
      // After a busy stretch the event loop runs due timers before it reads sockets: give a reply
      // that is already waiting one poll phase to settle the race before timing out.
      setImmediate(() => failOpen(new Error(`rate-limit store timed out after ${timeoutMs} ms`)))
    }, timeoutMs)
    run(keyCount, ...keysThenArgs).then((reply) => {
      if (settled) return
      try {
        let at = 0
        const results = batch.map((p) => {
          const counts = p.windows.map((w) => {
            const [previous, current, nowMs, fits] = reply.slice(at * 4, at * 4 + 4) as [number, number, number, number]
            at++
            return { nowMs, windowMs: w.windowMs, limit: w.limit, previous, current, fits: fits === 1 }
          })
          const decisions = decideAll(counts)
          for (const c of counts) {
            const fits = decide(c.nowMs, c.windowMs, c.limit, c.previous, c.current).allowed
            if (fits !== c.fits) {
              throw new Error(
                `rate-limit script and decide() disagree for ${JSON.stringify([c.previous, c.current, c.nowMs])}`,
              )
            }
          }
          return decisions.map((d, i) => toResult(d, counts[i]!.limit, counts[i]!.nowMs))
        })
        settled = true
        clearTimeout(timer)
        for (const [i, p] of batch.entries()) p.settle(results[i] as RateLimitResult[])
      } catch (err) {
        failOpen(err)
      }
    }, failOpen)
  }

  const limiter: RateLimiter = {
    async hit(key, limit, windowMs): Promise<RateLimitResult> {
      return (await limiter.hitWindows(key, [{ limit, windowMs }]))[0] as RateLimitResult
    },
    hitWindows(key, windows): Promise<RateLimitResult[]> {
      return new Promise((settle) => {
        if (queue.length === 0) setImmediate(flush)
        queue.push({ key, windows, nowMs: options.clock ? Math.floor(options.clock.nowMs()) : 0, settle })
      })
    },
    async close() {
      redis.disconnect()
    },
  }
  return limiter
}
