import { describe, expect, test } from 'vitest'
import { decide, type RateLimiter } from '../../src/ratelimit/limiter.js'
import { memoryLimiter } from '../../src/ratelimit/memory.js'
import { fakeClock, seededRandom, T0, WINDOW_MS as W } from './fake-time.js'

describe('decide(): the sliding-window math', () => {
  test('an empty window allows the request and leaves limit - 1', () => {
    expect(decide(T0 + 12_345, W, 10, 0, 0)).toMatchObject({ allowed: true, remaining: 9, retryAfterSec: 0 })
  })

  test('weights the previous window by the share of it still inside the sliding window', () => {
    // Half-way through the window, a previous count of 10 weighs 5.
    expect(decide(T0 + 30_000, W, 10, 10, 4)).toMatchObject({ allowed: true, estimate: 9, remaining: 0 })
    expect(decide(T0 + 30_000, W, 10, 10, 5)).toMatchObject({ allowed: false, estimate: 10 })
    // A quarter of the way through, it weighs 7.5: 7.5 + 1 + 1 fits in 10, 7.5 + 2 + 1 does not.
    expect(decide(T0 + 15_000, W, 10, 10, 1)).toMatchObject({ allowed: true, estimate: 8.5, remaining: 0 })
    expect(decide(T0 + 15_000, W, 10, 10, 2).allowed).toBe(false)
  })

  test('at a window start the previous window counts in full; Retry-After waits until a tenth has slid out', () => {
    const d = decide(T0, W, 10, 10, 0)
    expect(d).toMatchObject({ allowed: false, remaining: 0, nextAllowedAtMs: T0 + 6_000, retryAfterSec: 6 })
    expect(decide(T0 + 5_999, W, 10, 10, 0).allowed).toBe(false)
    expect(decide(T0 + 6_000, W, 10, 10, 0).allowed).toBe(true)
  })

  test('a full current window sends Retry-After into the next window, where it is the weighted previous one', () => {
    const d = decide(T0 + 59_000, W, 10, 0, 10)
    // Next window: 10 × (1 − e) + 1 ≤ 10 from e = 0.1, i.e. 6 s after the window ends: 1 s + 6 s from now.
    expect(d).toMatchObject({ allowed: false, windowEndMs: T0 + W, nextAllowedAtMs: T0 + W + 6_000, retryAfterSec: 7 })
    expect(decide(T0 + W + 6_000, W, 10, 10, 0).allowed).toBe(true)
  })

  test('with a limit of 1, a used window blocks until the window after next', () => {
    expect(decide(T0, W, 1, 0, 1)).toMatchObject({ allowed: false, nextAllowedAtMs: T0 + 2 * W, retryAfterSec: 120 })
  })

  test('once the quota is used up, the decision names the first millisecond another request is allowed; Retry-After is that rounded up to a second', () => {
    const elapsedValues = [0, 1, 999, 1_000, 6_000, 29_999, 30_000, 45_500, 59_000, 59_999]
    let rejections = 0
    for (const limit of [1, 2, 3, 7, 10, 200]) {
      const counts = [...new Set([0, 1, 2, limit - 1, limit, limit + 1, limit + 5])].filter((n) => n >= 0)
      for (const previous of counts) {
        for (const current of counts) {
          for (const elapsed of elapsedValues) {
            const now = T0 + elapsed
            const d = decide(now, W, limit, previous, current)
            const label = `limit ${limit}, previous ${previous}, current ${current}, at +${elapsed} ms`
            if (d.remaining > 0) {
              expect(d.nextAllowedAtMs, label).toBe(now)
              continue
            }
            // Used up, by this request or before it: the counts the next request will see.
            const counted = d.allowed ? current + 1 : current
            const at = (ms: number) => decideRolled(ms, limit, T0, previous, counted)
            expect(at(d.nextAllowedAtMs), label).toBe(true)
            expect(at(d.nextAllowedAtMs - 1), label).toBe(false)
            expect(d.nextAllowedAtMs, label).toBeLessThanOrEqual(T0 + 2 * W) // never beyond the window after next
            if (d.allowed) continue
            rejections += 1
            expect(d.retryAfterSec, label).toBe(Math.max(1, Math.ceil((d.nextAllowedAtMs - now) / 1000)))
          }
        }
      }
    }
    expect(rejections).toBeGreaterThan(500)
  })
})

/** Whether a request at `ms` is allowed, given the counts of the window starting at `windowStart` and no request since. */
function decideRolled(ms: number, limit: number, windowStart: number, previous: number, current: number): boolean {
  const windowsLater = Math.floor((ms - windowStart) / W)
  if (windowsLater === 0) return decide(ms, W, limit, previous, current).allowed
  if (windowsLater === 1) return decide(ms, W, limit, current, 0).allowed
  return decide(ms, W, limit, 0, 0).allowed
}

async function hitTimes(limiter: RateLimiter, key: string, limit: number, n: number) {
  const results = []
  for (let i = 0; i < n; i++) results.push(await limiter.hit(key, limit, W))
  return results
}

describe('memory store on an injected clock', () => {
  test('admits exactly the limit in a fresh window, counting remaining down to 0, then rejects', async () => {
    const clock = fakeClock(T0 + 1_000)
    const results = await hitTimes(memoryLimiter(clock), 'k', 10, 12)
    expect(results.map((r) => r.allowed)).toEqual([...Array(10).fill(true), false, false])
    expect(results.map((r) => r.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0])
    // With requests left, the reset is the window's end; once none are, it is when the next is
    // allowed (6 s into the next window), as Retry-After says, so a client waiting for either succeeds.
    expect(results[0]).toMatchObject({ resetAtMs: T0 + W, nowMs: T0 + 1_000, retryAfterSec: 0 })
    expect(results[9]).toMatchObject({ allowed: true, remaining: 0, resetAtMs: T0 + W + 6_000, retryAfterSec: 0 })
    expect(results[10]).toMatchObject({ retryAfterSec: 65, resetAtMs: T0 + W + 6_000 })
  })

  test('rolls the window over: a full previous window blocks the next one at first, then admits as it slides out', async () => {
    const clock = fakeClock(T0 + 50_000)
    const limiter = memoryLimiter(clock)
    await hitTimes(limiter, 'k', 10, 10)
    clock.set(T0 + W)
    expect(await limiter.hit('k', 10, W)).toMatchObject({ allowed: false, retryAfterSec: 6 })
    clock.set(T0 + W + 30_000) // the previous 10 now weigh 5
    const results = await hitTimes(limiter, 'k', 10, 6)
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false])
  })

  test('a window skipped entirely no longer counts', async () => {
    const clock = fakeClock(T0)
    const limiter = memoryLimiter(clock)
    await hitTimes(limiter, 'k', 10, 10)
    clock.set(T0 + 2 * W)
    const results = await hitTimes(limiter, 'k', 10, 11)
    expect(results.filter((r) => r.allowed)).toHaveLength(10)
    expect(results[0]!.remaining).toBe(9)
  })

  test('counts each key on its own', async () => {
    const limiter = memoryLimiter(fakeClock(T0))
    await hitTimes(limiter, 'a', 3, 3)
    expect((await limiter.hit('a', 3, W)).allowed).toBe(false)
    expect((await limiter.hit('b', 3, W)).allowed).toBe(true)
  })

  test('a clock stepping back does not forget the counts', async () => {
    const clock = fakeClock(T0 + W + 1_000)
    const limiter = memoryLimiter(clock)
    await hitTimes(limiter, 'k', 5, 5)
    clock.set(T0 + 30_000)
    expect((await limiter.hit('k', 5, W)).allowed).toBe(false)
  })

  test('after waiting Retry-After seconds (or until the reset) a request is allowed, and one second less is not enough (random traffic)', async () => {
    const random = seededRandom(42)
    let checked = 0
    for (const limit of [1, 2, 5, 10, 37]) {
      const clock = fakeClock(T0 + Math.floor(random() * W))
      const limiter = memoryLimiter(clock)
      for (let step = 0; step < 150; step++) {
        const r = random()
        clock.advance(r < 0.05 ? Math.floor(random() * 2 * W) : Math.floor(random() * (W / limit) * 2))
        const burst = 1 + Math.floor(random() * 3)
        for (let i = 0; i < burst; i++) {
          const result = await limiter.hit('k', limit, W)
          if (result.allowed && result.remaining === 0 && random() < 0.5) {
            // The last one: the reset moment is when the next request is allowed.
            clock.set(result.resetAtMs)
            expect((await limiter.hit('k', limit, W)).allowed).toBe(true)
            checked += 1
            break
          }
          if (result.allowed) continue
          checked += 1
          if (result.retryAfterSec > 1) {
            clock.advance((result.retryAfterSec - 1) * 1000)
            expect((await limiter.hit('k', limit, W)).allowed).toBe(false)
            clock.advance(1000)
          } else {
            clock.advance(result.retryAfterSec * 1000)
          }
          expect((await limiter.hit('k', limit, W)).allowed).toBe(true)
          break
        }
      }
    }
    expect(checked).toBeGreaterThan(100)
  })
})
