/** The source of "now". Injected so that tests can move time without sleeping. */
export interface Clock {
  nowMs(): number
}

export const systemClock: Clock = { nowMs: () => Date.now() }

/** A time as the API writes it (ISO 8601, UTC, milliseconds), or null when there is none. */
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null)
