import type { Redis } from 'ioredis'
import type { Clock } from '../lib/clock.js'
import { decide, failedOpenResult, type RateLimiter, type RateLimitResult, toResult } from './limiter.js'

/**
 * One atomic script per request, on one hash per limited key ({i: window index, p: previous
 * window's count, c: current window's count}): it rolls the windows over, decides, and counts the
 * request only when it is allowed. The decision is `decide()`'s integer inequality, line for line,
 * so the script and the JavaScript that builds the answer agree exactly.
 *
 * "Now" is the Redis server's clock, so every API process agrees on the windows whatever its own
 * clock says. ARGV[3], when present, replaces it: tests only, to replay one sequence on both stores.
 * Returns {previous, current-before-this-request, now_ms, allowed (1|0)}.
 */
const SLIDING_WINDOW = `
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local now
if ARGV[3] then
  now = tonumber(ARGV[3])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local index = math.floor(now / window)
local state = redis.call('HMGET', KEYS[1], 'i', 'p', 'c')
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
if prev * (window - elapsed) + (cur + 1) * window <= limit * window then
  redis.call('HSET', KEYS[1], 'i', index, 'p', prev, 'c', cur + 1)
  redis.call('PEXPIRE', KEYS[1], window * 2 + 1000)
  return {prev, cur, now, 1}
end
return {prev, cur, now, 0}
`

export interface RedisLimiterOptions {
  /** Called when Redis fails and the request is let through. */
  onStoreError?: (err: unknown) => void
  /** Give up on Redis after this long and fail open. Default 250 ms. */
  timeoutMs?: number
  /**
   * Tests only: decide at this clock's time instead of the Redis server's. Production leaves it
   * unset, because API processes' clocks differ and the windows must be the same for all of them.
   */
  clock?: Clock
}

type ScriptReply = [previous: number, current: number, nowMs: number, allowed: 0 | 1]

export function redisLimiter(redis: Redis, options: RedisLimiterOptions = {}): RateLimiter {
  const timeoutMs = options.timeoutMs ?? 250
  redis.defineCommand('rapportSlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW })
  const run = (
    redis as unknown as { rapportSlidingWindow(key: string, ...args: number[]): Promise<ScriptReply> }
  ).rapportSlidingWindow.bind(redis)
  return {
    async hit(key, limit, windowMs): Promise<RateLimitResult> {
      let timer: NodeJS.Timeout | undefined
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            // After a busy stretch the event loop runs due timers before it reads sockets: give a
            // reply that is already waiting one poll phase to settle the race before timing out.
            setImmediate(() => reject(new Error(`rate-limit store timed out after ${timeoutMs} ms`)))
          }, timeoutMs)
        })
        const args = options.clock ? [windowMs, limit, Math.floor(options.clock.nowMs())] : [windowMs, limit]
        const [previous, current, nowMs, allowed] = await Promise.race([run(`rl:{${key}}`, ...args), timeout])
        const d = decide(nowMs, windowMs, limit, previous, current)
        if (d.allowed !== (allowed === 1)) {
          throw new Error(`rate-limit script and decide() disagree for ${JSON.stringify([previous, current, nowMs])}`)
        }
        return toResult(d, limit, nowMs)
      } catch (err) {
        options.onStoreError?.(err)
        return failedOpenResult(limit, windowMs, Date.now(), err)
      } finally {
        clearTimeout(timer)
      }
    },
    async close() {
      redis.disconnect()
    },
  }
}
