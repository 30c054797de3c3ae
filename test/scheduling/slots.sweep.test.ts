import { describe, expect, test } from 'vitest'
import { computeSlots, type ExistingBooking } from '../../src/slot-engine/slots.js'
import { query, schedulingInput, startsOf } from './fixtures.js'

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

describe('the booking sweep', () => {
  test.each([1, 2, 3])('matches a brute-force overlap check over 500 random bookings (seed %i)', (seed) => {
    const next = random(seed)
    const from = Date.parse('2026-03-01T00:00:00Z')
    const bookings: ExistingBooking[] = Array.from({ length: 500 }, () => {
      const startMs = from + Math.floor(next() * 31 * 96) * 15 * 60_000 + Math.floor(next() * 15) * 60_000
      return { start: startMs, end: startMs + (5 + Math.floor(next() * 120)) * 60_000 }
    })
    const eventType = {
      duration_minutes: 40,
      slot_step_minutes: 15,
      buffer_before_minutes: 10,
      buffer_after_minutes: 25,
    }
    const base = {
      hostTimeZone: 'America/New_York',
      availability: {
        weekly: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const).flatMap((day) => [
          { day, start: '08:00', end: '12:00' },
          { day, start: '13:30', end: '19:45' },
        ]),
      },
      eventType,
    }
    const march = query('2026-03-01', '2026-03-31', 'Europe/Paris')
    const free = startsOf(computeSlots(schedulingInput({ ...base, bookings: [] }), march))
    const expected = free.filter((start) => {
      const needFrom = Date.parse(start) - 10 * 60_000
      const needTo = Date.parse(start) + (40 + 25) * 60_000
      return bookings.every((b) => !((b.start as number) < needTo && (b.end as number) > needFrom))
    })
    const actual = startsOf(computeSlots(schedulingInput({ ...base, bookings }), march))
    expect(expected.length).toBeGreaterThan(50)
    expect(expected.length).toBeLessThan(free.length)
    expect(actual).toEqual(expected)
  })
})
