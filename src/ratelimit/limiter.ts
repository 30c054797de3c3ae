export interface RateLimitResult {
  allowed: boolean
  limit: number
  /** Requests still allowed now (0 when rejected). */
  remaining: number
  /** When the current window ends (unix ms). */
  resetAtMs: number
  /** When rejected: seconds until one more request would be allowed. */
  retryAfterSec: number
  /** True when the store could not be reached and the request was let through. */
  failedOpen?: boolean
}

export interface RateLimiter {
  /** Counts one request for `key` in a sliding window; fails open (and reports it) if the store is down. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>
  close(): Promise<void>
}

/**
 * The sliding-window estimate: the previous fixed window's count, weighted by how much of it still
 * overlaps the sliding window, plus the current window's count. Shared by both stores so that they
 * agree to the request.
 */
export function decide(
  nowMs: number,
  windowMs: number,
  limit: number,
  previous: number,
  current: number,
): { allowed: boolean; estimate: number; resetAtMs: number; retryAfterSec: number } {
  const windowStart = Math.floor(nowMs / windowMs) * windowMs
  const elapsed = (nowMs - windowStart) / windowMs
  const estimate = previous * (1 - elapsed) + current
  const allowed = estimate + 1 <= limit
  const resetAtMs = windowStart + windowMs
  let retryAtMs = nowMs
  if (!allowed) {
    if (current + 1 <= limit && previous > 0) {
      // Room appears in this window once enough of the previous window has slid out.
      retryAtMs = windowStart + (1 - (limit - current - 1) / previous) * windowMs
    } else {
      // This window alone is full: wait until the next one has slid far enough past it.
      retryAtMs = resetAtMs + Math.max(0, 1 - (limit - 1) / Math.max(current, 1)) * windowMs
    }
  }
  return { allowed, estimate, resetAtMs, retryAfterSec: Math.max(1, Math.ceil((retryAtMs - nowMs) / 1000)) }
}

export function toResult(d: ReturnType<typeof decide>, limit: number): RateLimitResult {
  const used = d.allowed ? d.estimate + 1 : d.estimate
  return {
    allowed: d.allowed,
    limit,
    remaining: Math.max(0, Math.floor(limit - used)),
    resetAtMs: d.resetAtMs,
    retryAfterSec: d.retryAfterSec,
  }
}
