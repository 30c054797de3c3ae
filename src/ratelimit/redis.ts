import type { Redis } from 'ioredis'
import type { Clock } from '../lib/clock.js'
import { decide, failedOpenResult, type RateLimiter, type RateLimitResult, toResult } from './limiter.js'

/**
 * One atomic script counts a batch of requests, each on the hash of its limited key ({i: window
 * index, p: previous window's count, c: current window's count}): for each, in order, it rolls the
 * windows over, decides, and counts the request only when it is allowed. Two requests of one key
 * in a batch are decided one after the other, exactly as two separate scripts would decide them.
 * The decision is `decide()`'s integer inequality, line for line, so the script and the JavaScript
 * that builds the answer agree exactly.
 *
 * "Now" is the Redis server's clock, so every API process agrees on the windows whatever its own
 * clock says. ARGV holds (window ms, limit, now ms) per key; a now of 0 means the server's clock,
 * anything else replaces it (tests only, to replay one sequence on both stores).
 * Returns {previous, current-before-this-request, now_ms, allowed (1|0)} per key, flattened.
 */
const SLIDING_WINDOW_BATCH = `
local server_now
local out = {}
for k = 1, #KEYS do
  local window = tonumber(ARGV[k * 3 - 2])
  local limit = tonumber(ARGV[k * 3 - 1])
  local now = tonumber(ARGV[k * 3])
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
  local allowed = 0
  if prev * (window - elapsed) + (cur + 1) * window <= limit * window then
    redis.call('HSET', KEYS[k], 'i', index, 'p', prev, 'c', cur + 1)
    redis.call('PEXPIRE', KEYS[k], window * 2 + 1000)
    allowed = 1
  end
  out[#out + 1] = prev
  out[#out + 1] = cur
  out[#out + 1] = now
  out[#out + 1] = allowed
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
  limit: number
  windowMs: number
  /** The injected clock's time when the request arrived; 0 for the Redis server's clock. */
  nowMs: number
  settle: (result: RateLimitResult) => void
}

type BatchScript = (numberOfKeys: number, ...keysThenArgs: (string | number)[]) => Promise<number[]>

/**
 * The Redis store. Requests are not sent one by one: those that arrive within one turn of the
 * event loop (all the sockets read in one poll phase) wait for `setImmediate` and go to Redis as
 * one script call, so a busy API process pays one write, one read and one script run for many
 * requests instead of one each. Every request is still counted exactly and atomically; under light
 * load a batch holds one request and waits for nothing but the end of the current loop turn.
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
    const keysThenArgs: (string | number)[] = new Array(batch.length * 4)
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending
      keysThenArgs[i] = `rl:{${p.key}}`
      keysThenArgs[batch.length + i * 3] = p.windowMs
      keysThenArgs[batch.length + i * 3 + 1] = p.limit
      keysThenArgs[batch.length + i * 3 + 2] = p.nowMs
    }
    let settled = false
    const failOpen = (err: unknown) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      const now = Date.now()
      for (const p of batch) {
        options.onStoreError?.(err)
        p.settle(failedOpenResult(p.limit, p.windowMs, now, err))
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
        const results = batch.map((p, i) => {
          const [previous, current, nowMs, allowed] = reply.slice(i * 4, i * 4 + 4) as [number, number, number, number]
          const d = decide(nowMs, p.windowMs, p.limit, previous, current)
          if (d.allowed !== (allowed === 1)) {
            throw new Error(`rate-limit script and decide() disagree for ${JSON.stringify([previous, current, nowMs])}`)
          }
          return toResult(d, p.limit, nowMs)
        })
        settled = true
        clearTimeout(timer)
        for (const [i, p] of batch.entries()) p.settle(results[i] as RateLimitResult)
      } catch (err) {
        failOpen(err)
      }
    }, failOpen)
  }

  return {
    hit(key, limit, windowMs): Promise<RateLimitResult> {
      return new Promise((settle) => {
        if (queue.length === 0) setImmediate(flush)
        queue.push({ key, limit, windowMs, nowMs: options.clock ? Math.floor(options.clock.nowMs()) : 0, settle })
      })
    },
    async close() {
      redis.disconnect()
    },
  }
}
