import type { Clock } from '../../src/lib/clock.js'

/** The rate limiter's window: one minute. */
export const WINDOW_MS = 60_000
/** A window start (a multiple of WINDOW_MS) in 2023, so that tests read as offsets from it. */
export const T0 = 28_333_334 * WINDOW_MS

export interface FakeClock extends Clock {
  set(ms: number): void
  advance(ms: number): void
}

/** A clock that moves only when told to. */
export function fakeClock(startMs = T0): FakeClock {
  let now = startMs
  return {
    nowMs: () => now,
    set: (ms) => {
      now = ms
    },
    advance: (ms) => {
      now += ms
    },
  }
}

/** A deterministic PRNG (mulberry32) in [0, 1), so that a failing random sequence can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
