import type { Clock } from '../lib/clock.js'
import { decideAll, type RateLimiter, type RateLimitResult, toResult, windowKey } from './limiter.js'

interface StoredWindow {
  windowMs: number
  /** The fixed window `current` counts: floor(ms / windowMs). */
  index: number
  previous: number
  current: number
}

/** How often stale windows are dropped from memory. */
const SWEEP_INTERVAL_MS = 60_000

/**
 * Counters in this process: exact for one API process, zero setup. The same state machine as the
 * Redis script (redis.ts), so that both stores answer a sequence of requests alike.
 */
export function memoryLimiter(clock: Clock): RateLimiter {
  const windows = new Map<string, StoredWindow>()
  let lastSweepMs = 0
  const limiter: RateLimiter = {
    async hit(key, limit, windowMs) {
      return (await limiter.hitWindows(key, [{ limit, windowMs }]))[0] as RateLimitResult
    },
    async hitWindows(key, budget) {
      const clockNow = Math.floor(clock.nowMs())
      const read = budget.map(({ limit, windowMs }) => {
        let now = clockNow
        let index = Math.floor(now / windowMs)
        const name = windowKey(key, windowMs)
        let w = windows.get(name)
        if (!w) {
          w = { windowMs, index, previous: 0, current: 0 }
          windows.set(name, w)
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
        return { w, counts: { nowMs: now, windowMs, limit, previous: w.previous, current: w.current } }
      })
      const decisions = decideAll(read.map((r) => r.counts))
      if (decisions.every((d) => d.allowed)) for (const r of read) r.w.current += 1
      if (clockNow - lastSweepMs > SWEEP_INTERVAL_MS) {
        lastSweepMs = clockNow
        for (const [k, v] of windows) if (v.index < Math.floor(clockNow / v.windowMs) - 1) windows.delete(k)
      }
      return decisions.map((d, i) => toResult(d, read[i]!.counts.limit, read[i]!.counts.nowMs))
    },
    async close() {},
  }
  return limiter
}
