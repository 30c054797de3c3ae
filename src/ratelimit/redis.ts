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
} from './limiter.js'

/**
 * One atomic script counts a batch of requests, each on the hash of its limited key. A request has
 * one or more windows (a minute, an hour), all in that one hash: fields i, p, c (window index,
 * previous window's count, current window's count) for the minute, the same names suffixed with
 * `:<window ms>` for any other window. For each request, in order, it rolls every window over and
 * decides each; the request is allowed only if every window fits it, and only then counted in all
 * of them. So a request costs the same three commands (HMGET, HSET, PEXPIRE) whatever its number
 * of windows. Two requests of one key in a batch are decided one after the other, exactly as two
 * separate scripts would decide them. The fit is `decide()`'s integer inequality, line for line,
 * so the script and the JavaScript that builds the answer agree exactly.
 *
 * "Now" is the Redis server's clock, so every API process agrees on the windows whatever its own
 * clock says. ARGV holds, per key: the number of windows n, now ms, then n pairs (window ms,
 * limit). A now of 0 means the server's clock, anything else replaces it (tests only, to replay one
 * sequence on both stores).
 * Returns {previous, current-before-this-request, now_ms, fits (1|0)} per window, flattened.
 */
const SLIDING_WINDOW_BATCH = `
local server_now
local out = {}
local a = 1
for k = 1, #KEYS do
  local n = tonumber(ARGV[a])
  local given_now = tonumber(ARGV[a + 1])
  a = a + 2
  if given_now == 0 then
    if not server_now then
      local t = redis.call('TIME')
      server_now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    end
    given_now = server_now
  end
  local all = 1
  local writes = {}
  local longest = 0
  for j = 1, n do
    local window = tonumber(ARGV[a])
    local limit = tonumber(ARGV[a + 1])
    a = a + 2
    local suffix = ''
    if window ~= 60000 then suffix = ':' .. window end
    local now = given_now
    local index = math.floor(now / window)
    local state = redis.call('HMGET', KEYS[k], 'i' .. suffix, 'p' .. suffix, 'c' .. suffix)
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
    if prev * (window - elapsed) + (cur + 1) * window <= limit * window then fits = 1 else all = 0 end
    writes[#writes + 1] = 'i' .. suffix
    writes[#writes + 1] = index
    writes[#writes + 1] = 'p' .. suffix
    writes[#writes + 1] = prev
    writes[#writes + 1] = 'c' .. suffix
    writes[#writes + 1] = cur + 1
    if window > longest then longest = window end
    out[#out + 1] = prev
    out[#out + 1] = cur
    out[#out + 1] = now
    out[#out + 1] = fits
  end
  if all == 1 then
    redis.call('HSET', KEYS[k], unpack(writes))
    redis.call('PEXPIRE', KEYS[k], longest * 2 + 1000)
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
    const keysThenArgs: (string | number)[] = batch.map((p) => `rl:{${p.key}}`)
    for (const p of batch) {
      keysThenArgs.push(p.windows.length, p.nowMs)
      for (const w of p.windows) keysThenArgs.push(w.windowMs, w.limit)
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
    run(batch.length, ...keysThenArgs).then((reply) => {
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
