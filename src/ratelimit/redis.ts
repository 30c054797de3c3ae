import type { Redis } from 'ioredis'
import { decide, type RateLimiter, type RateLimitResult, toResult } from './limiter.js'

/**
 * One atomic script per request: reads both windows and increments the current one only when the
 * request is allowed, using the Redis server's clock so every API process agrees on the windows.
 * Returns {previous, current-before-increment, now_ms}.
 */
const SLIDING_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local index = math.floor(now / window)
local cur_key = KEYS[1] .. ':' .. index
local prev_key = KEYS[1] .. ':' .. (index - 1)
local prev = tonumber(redis.call('GET', prev_key) or '0')
local cur = tonumber(redis.call('GET', cur_key) or '0')
local elapsed = (now - index * window) / window
if prev * (1 - elapsed) + cur + 1 <= limit then
  redis.call('INCR', cur_key)
  redis.call('PEXPIRE', cur_key, window * 2 + 1000)
end
return {prev, cur, now}
`

export interface RedisLimiterOptions {
  /** Called when Redis fails and the request is let through. */
  onStoreError?: (err: unknown) => void
  /** Give up on Redis after this long and fail open. Default 250 ms. */
  timeoutMs?: number
}

export function redisLimiter(redis: Redis, options: RedisLimiterOptions = {}): RateLimiter {
  const timeoutMs = options.timeoutMs ?? 250
  redis.defineCommand('rapportSlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW })
  const run = (
    redis as unknown as { rapportSlidingWindow(key: string, windowMs: number, limit: number): Promise<number[]> }
  ).rapportSlidingWindow.bind(redis)
  return {
    async hit(key, limit, windowMs): Promise<RateLimitResult> {
      try {
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`rate-limit store timed out after ${timeoutMs} ms`)), timeoutMs)
        })
        const [previous, current, nowMs] = await Promise.race([run(`rl:{${key}}`, windowMs, limit), timeout]).finally(
          () => clearTimeout(timer),
        )
        return toResult(decide(nowMs!, windowMs, limit, previous!, current!), limit)
      } catch (err) {
        options.onStoreError?.(err)
        const now = Date.now()
        return {
          allowed: true,
          limit,
          remaining: limit,
          resetAtMs: (Math.floor(now / windowMs) + 1) * windowMs,
          retryAfterSec: 0,
          failedOpen: true,
        }
      }
    },
    async close() {
      redis.disconnect()
    },
  }
}
