export interface RateLimitResult {
  allowed: boolean
  limit: number
  /** Requests still allowed now (0 when rejected). */
  remaining: number
  /**
   * When retrying is worth it (unix ms): while `remaining` > 0, the end of the current window;
   * once it is 0 (this request used the last one, or was rejected), the moment the next request
   * will be allowed, in whole seconds from now, as `retryAfterSec` says for a rejection. A client
   * that waits until then succeeds, unless other requests came first.
   */
  resetAtMs: number
  /** When rejected: seconds until one more request would be allowed (whole seconds, rounded up). */
  retryAfterSec: number
  /** The store's "now" for this decision (unix ms): the injected clock, or the Redis server's time. */
  nowMs: number
  /** True when the store could not be reached and the request was let through. */
  failedOpen?: boolean
  /** When failed open: what the store threw. Log its name, code and message only, never the whole object. */
  storeError?: unknown
}

/** One sliding window of a budget: at most `limit` requests per `windowMs`. */
export interface RateWindow {
  limit: number
  windowMs: number
}

export interface RateLimiter {
  /** Counts one request for `key` in a sliding window; fails open (and reports it) if the store is down. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>
  /**
   * Counts one request for `key` against several windows at once (say a minute and an hour): it is
   * allowed only when every window allows it, and then counted in all of them, atomically; a
   * rejected request is counted in none. One result per window, in the order given; `allowed` is
   * the same in all. Fails open like `hit`.
   */
  hitWindows(key: string, windows: readonly RateWindow[]): Promise<RateLimitResult[]>
  close(): Promise<void>
}

/** Where a window's counters live: `key` for the minute (the name they always had), `key:<ms>` for others. */
export function windowKey(key: string, windowMs: number): string {
  return windowMs === 60_000 ? key : `${key}:${windowMs}`
}

export interface Decision {
  allowed: boolean
  /** The sliding-window count before this request (fractional: the previous window is weighted). */
  estimate: number
  /** Whole requests still allowed after this one (0 when rejected). */
  remaining: number
  /** The end of the current fixed window (unix ms). */
  windowEndMs: number
  /**
   * The first millisecond at which another request is allowed if none other comes: now while
   * `remaining` > 0; later when this request was rejected or used the last one.
   */
  nextAllowedAtMs: number
  /** When rejected: `nextAllowedAtMs - nowMs` in whole seconds, rounded up (at least 1); otherwise 0. */
  retryAfterSec: number
}

/**
 * The sliding-window decision: the previous fixed window's count, weighted by the share of it that
 * still overlaps the sliding window, plus the current window's count, must stay within `limit`.
 *
 * Everything is computed in integer "request·milliseconds" (counts times `windowMs`), never with a
 * fractional weight, so that the Redis script (Lua doubles) and this function agree to the request
 * at every millisecond, window edges included. `previous` and `current` are the fixed-window counts
 * of allowed requests; a rejected request is not counted.
 */
export function decide(nowMs: number, windowMs: number, limit: number, previous: number, current: number): Decision {
  const now = Math.floor(nowMs)
  const windowStart = Math.floor(now / windowMs) * windowMs
  const windowEndMs = windowStart + windowMs
  const capacity = limit * windowMs
  const weighted = previous * (windowMs - (now - windowStart)) + current * windowMs
  const allowed = weighted + windowMs <= capacity
  const used = allowed ? weighted + windowMs : weighted
  const remaining = Math.max(0, Math.floor((capacity - used) / windowMs))
  const counted = allowed ? current + 1 : current
  const nextAllowedAtMs = remaining > 0 ? now : firstAllowedAtMs(windowStart, windowMs, limit, previous, counted)
  return {
    allowed,
    estimate: weighted / windowMs,
    remaining,
    windowEndMs,
    nextAllowedAtMs,
    retryAfterSec: allowed ? 0 : secondsUntil(nextAllowedAtMs, now),
  }
}

/**
 * The first millisecond at which a request is allowed, given the counts of the window starting at
 * `windowStart` and no request in between. The sliding window only empties, so this is the least
 * solution of the inequality in `decide`, in this window or the next.
 */
function firstAllowedAtMs(windowStart: number, windowMs: number, limit: number, previous: number, current: number) {
  if (current + 1 <= limit) {
    if (previous === 0) return windowStart
    // Room appears in this window once enough of the previous one has slid out:
    // the least e with previous * (windowMs - e) <= (limit - current - 1) * windowMs.
    return windowStart + windowMs - Math.min(windowMs, Math.floor(((limit - current - 1) * windowMs) / previous))
  }
  // This window alone is full, so it never admits another request. In the next window it is the
  // previous one (weight `current`), with nothing counted yet: the least e with
  // current * (windowMs - e) + windowMs <= limit * windowMs. At worst (limit 1) that is the start of
  // the window after next, when this window no longer counts at all.
  return windowStart + 2 * windowMs - Math.floor(((limit - 1) * windowMs) / current)
}

/** The counts of one window of a key, as a store read them, at the store's now for that window. */
export interface WindowCounts {
  nowMs: number
  windowMs: number
  limit: number
  previous: number
  current: number
}

/**
 * The decision over several windows of one key: allowed when every window fits the request. When
 * one does not, the windows that would have taken it report it uncounted: `allowed` false, their
 * `remaining` one more than if it had counted, and room now.
 */
export function decideAll(windows: readonly WindowCounts[]): Decision[] {
  const each = windows.map((w) => decide(w.nowMs, w.windowMs, w.limit, w.previous, w.current))
  if (each.every((d) => d.allowed)) return each
  return each.map((d, i) =>
    d.allowed
      ? {
          ...d,
          allowed: false,
          remaining: d.remaining + 1,
          nextAllowedAtMs: Math.floor(windows[i]!.nowMs),
          retryAfterSec: 0,
        }
      : d,
  )
}

function secondsUntil(atMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((atMs - nowMs) / 1000))
}

export function toResult(d: Decision, limit: number, nowMs: number): RateLimitResult {
  const now = Math.floor(nowMs)
  return {
    allowed: d.allowed,
    limit,
    remaining: d.remaining,
    resetAtMs: d.remaining > 0 ? d.windowEndMs : now + secondsUntil(d.nextAllowedAtMs, now) * 1000,
    retryAfterSec: d.retryAfterSec,
    nowMs: now,
  }
}

/** The answer when the store failed: let the request through, say so, and carry the error. */
export function failedOpenResult(limit: number, windowMs: number, nowMs: number, storeError: unknown): RateLimitResult {
  return {
    allowed: true,
    limit,
    remaining: limit,
    resetAtMs: (Math.floor(nowMs / windowMs) + 1) * windowMs,
    retryAfterSec: 0,
    nowMs,
    failedOpen: true,
    storeError,
  }
}
