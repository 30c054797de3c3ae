import type { Clock } from '../lib/clock.js'
import { decide, type RateLimiter, toResult } from './limiter.js'

interface WindowCounts {
  /** The fixed window `current` counts: floor(ms / windowMs). */
  index: number
  previous: number
  current: number
}

/**
 * Counters in this process: exact for one API process, zero setup. The same state machine as the
 * Redis script (redis.ts), so that both stores answer a sequence of requests alike.
 */
export function memoryLimiter(clock: Clock): RateLimiter {
  const windows = new Map<string, WindowCounts>()
  let lastSweepMs = 0
  return {
    async hit(key, limit, windowMs) {
      let now = Math.floor(clock.nowMs())
      let index = Math.floor(now / windowMs)
      let w = windows.get(key)
      if (!w) {
        w = { index, previous: 0, current: 0 }
        windows.set(key, w)
      } else if (w.index > index) {
        // The clock stepped back: stay in the stored window, at its start (the strictest moment),
        // rather than forget its counts.
        index = w.index
        now = index * windowMs
      } else if (w.index !== index) {
        w.previous = w.index === index - 1 ? w.current : 0
        w.current = 0
        w.index = index
      }
      const d = decide(now, windowMs, limit, w.previous, w.current)
      if (d.allowed) w.current += 1
      if (now - lastSweepMs > windowMs) {
        lastSweepMs = now
        for (const [k, v] of windows) if (v.index < index - 1) windows.delete(k)
      }
      return toResult(d, limit, now)
    },
    async close() {},
  }
}
