/** The source of "now". Injected so that tests can move time without sleeping. */
export interface Clock {
  nowMs(): number
}

export const systemClock: Clock = { nowMs: () => Date.now() }
