/** Longest wait we honour from a receiver's Retry-After. */
const MAX_RETRY_AFTER_SEC = 24 * 3600

/**
 * When to try again after failed attempt number `attempt` (1 = the first try), or null when the
 * schedule is spent and the delivery has failed. `schedule` holds the waits in seconds (default
 * 1 min, 5 min, 30 min, 2 h, 24 h); each is spread by ±10% so that a burst of failures does not
 * come back as a burst. A later `Retry-After` (429/503) wins, capped at 24 h.
 */
export function nextAttemptDelayMs(
  attempt: number,
  schedule: readonly number[],
  retryAfterSec: number | undefined,
  random: () => number = Math.random,
): number | null {
  const base = schedule[attempt - 1]
  if (base === undefined) return null
  const jittered = base * 1000 * (0.9 + 0.2 * random())
  if (retryAfterSec === undefined) return Math.round(jittered)
  return Math.round(Math.max(jittered, Math.min(retryAfterSec, MAX_RETRY_AFTER_SEC) * 1000))
}

/** Reads Retry-After as seconds (delta form or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000))
}
