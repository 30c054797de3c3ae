import { describe, expect, test } from 'vitest'
import { bookingLoadSpan, computeSlots, isSlotOffered } from '../../src/slot-engine/slots.js'
import { booking, query, schedulingInput, startsOf, timesOn } from './fixtures.js'

// 2026-03-02 is a Monday. The default host works 09:00-17:00 UTC on weekdays; meetings last 30 minutes.

describe('computeSlots: working hours', () => {
  test('answers the contract shape: visitor zone, slots by visitor date, exact UTC instants with milliseconds', () => {
    const input = schedulingInput({ hostTimeZone: 'Europe/Paris' })
    const result = computeSlots(input, query('2026-03-01', '2026-03-02', 'Europe/Paris'))
    expect(result.timezone).toBe('Europe/Paris')
    expect(Object.keys(result.slots)).toEqual(['2026-03-02']) // Sunday has no slots and no key
    expect(result.slots['2026-03-02']![0]).toEqual({
      start: '2026-03-02T08:00:00.000Z',
      end: '2026-03-02T08:30:00.000Z',
    })
    expect(result.slots['2026-03-02']).toHaveLength(16)
  })

  test('steps by the duration across each weekday range and keeps every slot inside it', () => {
    const result = computeSlots(schedulingInput(), query('2026-03-02'))
    expect(timesOn(result, '2026-03-02')).toEqual([
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '12:00',
      '12:30',
      '13:00',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
      '16:30',
    ])
  })

  test('offers several ranges a day, each stepped from its own start', () => {
    const input = schedulingInput({
      availability: {
        weekly: [
          { day: 'mon', start: '09:00', end: '10:00' },
          { day: 'mon', start: '14:10', end: '15:10' },
        ],
      },
    })
    expect(timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02')).toEqual([
      '09:00',
      '09:30',
      '14:10',
      '14:40',
    ])
  })

  test('a slot must end inside the range: no 30-minute slot at 10:30 in a range ending 10:45', () => {
    const input = schedulingInput({ availability: { weekly: [{ day: 'mon', start: '09:00', end: '10:45' }] } })
    expect(timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02')).toEqual(['09:00', '09:30', '10:00'])
  })

  test('touching ranges form one free range, so a slot may straddle the seam', () => {
    const input = schedulingInput({
      availability: {
        weekly: [
          { day: 'mon', start: '09:00', end: '10:15' },
          { day: 'mon', start: '10:15', end: '11:00' },
        ],
      },
    })
    expect(timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02')).toEqual([
      '09:00',
      '09:30',
      '10:00',
      '10:30',
    ])
  })

  test('24:00 ends the day, and no slot spans two host days', () => {
    const input = schedulingInput({
      availability: {
        weekly: [
          { day: 'fri', start: '23:00', end: '24:00' },
          { day: 'sat', start: '00:00', end: '01:00' },
        ],
      },
      eventType: { duration_minutes: 45 },
    })
    expect(startsOf(computeSlots(input, query('2026-03-06', '2026-03-07')))).toEqual([
      '2026-03-06T23:00:00.000Z',
      '2026-03-07T00:00:00.000Z',
    ])
  })

  test('the slot step defaults to the duration and can be set apart from it', () => {
    const availability = { weekly: [{ day: 'mon' as const, start: '09:00', end: '11:00' }] }
    const byDuration = schedulingInput({ availability, eventType: { duration_minutes: 45 } })
    expect(timesOn(computeSlots(byDuration, query('2026-03-02')), '2026-03-02')).toEqual(['09:00', '09:45'])
    const byStep = schedulingInput({ availability, eventType: { duration_minutes: 60, slot_step_minutes: 15 } })
    expect(timesOn(computeSlots(byStep, query('2026-03-02')), '2026-03-02')).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '09:45',
      '10:00',
    ])
  })

  test('query dates are inclusive at both ends', () => {
    const result = computeSlots(schedulingInput(), query('2026-03-02', '2026-03-04'))
    expect(Object.keys(result.slots)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04'])
    expect(startsOf(result).at(-1)).toBe('2026-03-04T16:30:00.000Z')
  })
})

describe('computeSlots: date overrides', () => {
  test("an override replaces that date's weekly rules", () => {
    const input = schedulingInput({
      availability: {
        weekly: [{ day: 'wed', start: '09:00', end: '17:00' }],
        overrides: [{ date: '2026-03-04', ranges: [{ start: '10:00', end: '11:00' }] }],
      },
    })
    expect(timesOn(computeSlots(input, query('2026-03-04')), '2026-03-04')).toEqual(['10:00', '10:30'])
  })

  test('an override with no ranges makes the date unavailable and leaves other dates alone', () => {
    const input = schedulingInput({
      availability: {
        weekly: [{ day: 'wed', start: '09:00', end: '10:00' }],
        overrides: [{ date: '2026-03-04', ranges: [] }],
      },
    })
    const result = computeSlots(input, query('2026-03-01', '2026-03-14'))
    expect(Object.keys(result.slots)).toEqual(['2026-03-11'])
  })

  test('an override can open a day with no weekly rules', () => {
    const input = schedulingInput({
      availability: { weekly: [], overrides: [{ date: '2026-03-08', ranges: [{ start: '12:00', end: '13:00' }] }] },
    })
    expect(startsOf(computeSlots(input, query('2026-03-01', '2026-03-31')))).toEqual([
      '2026-03-08T12:00:00.000Z',
      '2026-03-08T12:30:00.000Z',
    ])
  })
})

describe('computeSlots: existing bookings and buffers', () => {
  test('a booking removes every slot that overlaps it, even partly', () => {
    const input = schedulingInput({
      bookings: [
        booking('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z'),
        booking('2026-03-02T12:15:00Z', '2026-03-02T12:45:00Z'),
      ],
    })
    const times = timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02')
    expect(times).not.toContain('10:00')
    expect(times).not.toContain('10:30')
    expect(times).not.toContain('12:00')
    expect(times).not.toContain('12:30')
    expect(times).toContain('09:30')
    expect(times).toContain('11:00')
    expect(times).toContain('13:00')
    expect(times).toHaveLength(12)
  })

  test('a new slot needs buffer_before free before it and buffer_after free after it', () => {
    // Booking 12:00-13:00; before 15, after 10: a slot s needs [s-15, s+30+10) clear of it.
    const input = schedulingInput({
      availability: { weekly: [{ day: 'mon', start: '10:00', end: '15:00' }] },
      eventType: { buffer_before_minutes: 15, buffer_after_minutes: 10, slot_step_minutes: 5 },
      bookings: [booking('2026-03-02T12:00:00.000Z', '2026-03-02T13:00:00.000Z')],
    })
    const times = timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02')
    expect(times.filter((t) => t >= '11:00' && t < '14:00')).toEqual([
      '11:00',
      '11:05',
      '11:10',
      '11:15',
      '11:20',
      '13:15',
      '13:20',
      '13:25',
      '13:30',
      '13:35',
      '13:40',
      '13:45',
      '13:50',
      '13:55',
    ])
  })

  test('buffers need to be free of bookings, not inside working hours', () => {
    const input = schedulingInput({ eventType: { buffer_before_minutes: 30, buffer_after_minutes: 30 } })
    const times = timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02')
    expect(times[0]).toBe('09:00')
    expect(times.at(-1)).toBe('16:30')
  })

  test('after a booking the grid resumes on its own points, not at the booking end', () => {
    const input = schedulingInput({ bookings: [booking('2026-03-02T09:00:00Z', '2026-03-02T09:40:00Z')] })
    expect(timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02').slice(0, 2)).toEqual(['10:00', '10:30'])
  })

  test('bookings may come unsorted, overlapping, as Date or epoch milliseconds', () => {
    const input = schedulingInput({
      bookings: [
        { start: Date.parse('2026-03-02T15:00:00Z'), end: Date.parse('2026-03-02T16:00:00Z') },
        { start: new Date('2026-03-02T09:00:00Z'), end: new Date('2026-03-02T10:30:00Z') },
        booking('2026-03-02T10:00:00+01:00', '2026-03-02T11:00:00Z'),
      ],
    })
    expect(timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02')).toEqual([
      '11:00',
      '11:30',
      '12:00',
      '12:30',
      '13:00',
      '13:30',
      '14:00',
      '14:30',
      '16:00',
      '16:30',
    ])
  })
})

test('a booking with an unreadable instant is refused rather than ignored', () => {
  const input = schedulingInput({ bookings: [booking('2026-03-02T10:00:00Z', 'later')] })
  expect(() => computeSlots(input, query('2026-03-02'))).toThrow(/invalid instant/)
})

describe('computeSlots: notice, booking window, per-day limit', () => {
  test('minimum notice hides slots starting too soon; the grid stays anchored at the range start', () => {
    const input = schedulingInput({
      nowMs: Date.parse('2026-03-02T10:07:00Z'),
      eventType: { minimum_notice_minutes: 60 },
    })
    expect(timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02')[0]).toBe('11:30')
  })

  test('without notice a slot starting exactly now is offered and earlier ones are not', () => {
    const input = schedulingInput({ nowMs: Date.parse('2026-03-02T10:00:00Z') })
    expect(timesOn(computeSlots(input, query('2026-03-02')), '2026-03-02')[0]).toBe('10:00')
  })

  test('the booking window keeps slots starting up to booking_window_days after now', () => {
    const input = schedulingInput({ nowMs: Date.parse('2026-03-02T12:00:00Z'), eventType: { booking_window_days: 2 } })
    const result = computeSlots(input, query('2026-03-01', '2026-03-31'))
    expect(Object.keys(result.slots)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04'])
    expect(timesOn(result, '2026-03-04').at(-1)).toBe('12:00')
  })

  test('max_per_day closes a host day that already has that many bookings', () => {
    const input = schedulingInput({
      eventType: { max_per_day: 2 },
      bookings: [
        booking('2026-03-03T09:00:00Z', '2026-03-03T09:30:00Z'),
        booking('2026-03-03T15:00:00Z', '2026-03-03T15:30:00Z'),
        booking('2026-03-04T09:00:00Z', '2026-03-04T09:30:00Z'),
      ],
    })
    const result = computeSlots(input, query('2026-03-02', '2026-03-04'))
    expect(Object.keys(result.slots)).toEqual(['2026-03-02', '2026-03-04'])
    expect(timesOn(result, '2026-03-04')).toHaveLength(15)
  })

  test('bookings marked counts_toward_limit: false block time but do not count toward max_per_day', () => {
    const input = schedulingInput({
      eventType: { max_per_day: 1 },
      bookings: [booking('2026-03-03T09:00:00Z', '2026-03-03T09:30:00Z', { counts_toward_limit: false })],
    })
    expect(timesOn(computeSlots(input, query('2026-03-03')), '2026-03-03')).toHaveLength(15)
  })

  test('max_per_day counts by the host-local day of the booking start', () => {
    // 2026-03-03T03:00Z is Monday 22:00 in New York: it fills Monday, not Tuesday.
    const input = schedulingInput({
      hostTimeZone: 'America/New_York',
      eventType: { max_per_day: 1 },
      bookings: [booking('2026-03-03T03:00:00Z', '2026-03-03T03:30:00Z')],
    })
    const result = computeSlots(input, query('2026-03-02', '2026-03-03', 'America/New_York'))
    expect(Object.keys(result.slots)).toEqual(['2026-03-03'])
  })
})

describe('isSlotOffered', () => {
  const input = schedulingInput({
    nowMs: Date.parse('2026-03-02T10:00:00Z'),
    bookings: [booking('2026-03-02T13:00:00Z', '2026-03-02T14:00:00Z')],
  })

  test('is true for an offered start, given as an ISO string or a Date', () => {
    expect(isSlotOffered(input, '2026-03-02T10:30:00.000Z')).toBe(true)
    expect(isSlotOffered(input, new Date('2026-03-03T09:00:00Z'))).toBe(true)
    expect(isSlotOffered(input, '2026-03-02T11:30:00+01:00')).toBe(true)
  })

  test('is false off the grid, when booked, in the past, outside hours, or for a malformed instant', () => {
    expect(isSlotOffered(input, '2026-03-02T10:10:00.000Z')).toBe(false)
    expect(isSlotOffered(input, '2026-03-02T13:30:00.000Z')).toBe(false)
    expect(isSlotOffered(input, '2026-03-02T09:30:00.000Z')).toBe(false)
    expect(isSlotOffered(input, '2026-03-02T17:00:00.000Z')).toBe(false)
    expect(isSlotOffered(input, 'tomorrow')).toBe(false)
    expect(isSlotOffered(input, '2026-02-31T09:00:00.000Z')).toBe(false) // not rolled over to 03-03
  })

  test('agrees with computeSlots on every minute of a week with notice, buffers and a DST change', () => {
    const dst = schedulingInput({
      hostTimeZone: 'America/New_York',
      nowMs: Date.parse('2026-03-04T15:07:00Z'),
      availability: {
        weekly: [
          { day: 'wed', start: '09:00', end: '17:00' },
          { day: 'sun', start: '00:00', end: '06:00' },
          { day: 'mon', start: '08:20', end: '12:00' },
        ],
      },
      eventType: { duration_minutes: 40, slot_step_minutes: 25, minimum_notice_minutes: 90, buffer_after_minutes: 10 },
      bookings: [booking('2026-03-09T13:30:00Z', '2026-03-09T14:00:00Z')],
    })
    const offered = new Set(startsOf(computeSlots(dst, query('2026-03-04', '2026-03-10', 'America/New_York'))))
    expect(offered.size).toBeGreaterThan(20)
    const from = Date.parse('2026-03-04T05:00:00Z')
    for (let ms = from; ms < from + 7 * 86_400_000; ms += 5 * 60_000) {
      const iso = new Date(ms).toISOString()
      expect(isSlotOffered(dst, iso), iso).toBe(offered.has(iso))
    }
  })
})

describe('bookingLoadSpan', () => {
  test('covers the host days of the query widened by the buffers and the duration', () => {
    const span = bookingLoadSpan(
      'America/New_York',
      { duration_minutes: 30, buffer_before_minutes: 10, buffer_after_minutes: 20 },
      query('2026-03-02', '2026-03-02', 'Asia/Kolkata'),
    )
    // Kolkata 2026-03-02 is 2026-03-01T18:30Z..2026-03-02T18:30Z: New York Sunday 1st and Monday 2nd.
    expect(new Date(span.startMs).toISOString()).toBe('2026-03-01T04:00:00.000Z')
    expect(new Date(span.endMs).toISOString()).toBe('2026-03-03T06:00:00.000Z')
  })
})
