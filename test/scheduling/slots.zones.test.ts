import { describe, expect, test } from 'vitest'
import { computeSlots } from '../../src/slot-engine/slots.js'
import { query, schedulingInput, startsOf } from './fixtures.js'

/** A host in `zone` available only on Sundays from `start` to `end`, `minutes`-long meetings. */
function sundayHost(zone: string, start: string, end: string, minutes: number) {
  return schedulingInput({
    hostTimeZone: zone,
    nowMs: Date.parse('2026-01-01T00:00:00Z'),
    availability: { weekly: [{ day: 'sun', start, end }] },
    eventType: { duration_minutes: minutes },
  })
}

describe('America/New_York', () => {
  test('spring forward: 00:00-06:00 on 2026-03-08 lasts five real hours and steps in real time', () => {
    const result = computeSlots(
      sundayHost('America/New_York', '00:00', '06:00', 60),
      query('2026-03-08', '2026-03-08', 'America/New_York'),
    )
    // 00:00 EST, 01:00 EST, then 03:00, 04:00, 05:00 EDT: the skipped hour 02:00-03:00 offers nothing.
    expect(result.slots['2026-03-08']).toEqual([
      { start: '2026-03-08T05:00:00.000Z', end: '2026-03-08T06:00:00.000Z' },
      { start: '2026-03-08T06:00:00.000Z', end: '2026-03-08T07:00:00.000Z' },
      { start: '2026-03-08T07:00:00.000Z', end: '2026-03-08T08:00:00.000Z' },
      { start: '2026-03-08T08:00:00.000Z', end: '2026-03-08T09:00:00.000Z' },
      { start: '2026-03-08T09:00:00.000Z', end: '2026-03-08T10:00:00.000Z' },
    ])
  })

  test('spring forward: a range starting in the gap starts at 03:00 EDT, one wholly inside it is empty', () => {
    const clipped = computeSlots(
      sundayHost('America/New_York', '02:30', '04:00', 60),
      query('2026-03-08', '2026-03-08', 'UTC'),
    )
    expect(startsOf(clipped)).toEqual(['2026-03-08T07:00:00.000Z'])
    const inside = computeSlots(
      sundayHost('America/New_York', '02:05', '02:55', 30),
      query('2026-03-08', '2026-03-08', 'UTC'),
    )
    expect(inside.slots).toEqual({})
  })

  test('the same wall time moves one hour earlier in UTC across the change', () => {
    const input = schedulingInput({ hostTimeZone: 'America/New_York' })
    const result = computeSlots(input, query('2026-03-06', '2026-03-09'))
    expect(result.slots['2026-03-06']![0]!.start).toBe('2026-03-06T14:00:00.000Z')
    expect(result.slots['2026-03-09']![0]!.start).toBe('2026-03-09T13:00:00.000Z')
  })

  test('fall back: 00:00-03:00 on 2026-11-01 lasts four real hours, the repeated 01:00 hour offered twice', () => {
    const result = computeSlots(
      sundayHost('America/New_York', '00:00', '03:00', 60),
      query('2026-11-01', '2026-11-01', 'America/New_York'),
    )
    expect(startsOf(result)).toEqual([
      '2026-11-01T04:00:00.000Z', // 00:00 EDT
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T06:00:00.000Z', // 01:00 EST
      '2026-11-01T07:00:00.000Z', // 02:00 EST
    ])
  })

  test('fall back: an ambiguous start is its first occurrence (01:30 EDT), the end 02:30 happens once (EST)', () => {
    const result = computeSlots(
      sundayHost('America/New_York', '01:30', '02:30', 30),
      query('2026-11-01', '2026-11-01', 'UTC'),
    )
    expect(startsOf(result)).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ])
  })
})

describe('Europe/London', () => {
  test('spring forward on 2026-03-29: 00:00-04:00 holds three hours', () => {
    const result = computeSlots(
      sundayHost('Europe/London', '00:00', '04:00', 60),
      query('2026-03-29', '2026-03-29', 'Europe/London'),
    )
    expect(startsOf(result)).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
    ])
  })

  test('fall back on 2026-10-25: 00:00-03:00 holds four hours, starting the evening before in UTC', () => {
    const result = computeSlots(
      sundayHost('Europe/London', '00:00', '03:00', 60),
      query('2026-10-25', '2026-10-25', 'Europe/London'),
    )
    expect(Object.keys(result.slots)).toEqual(['2026-10-25'])
    expect(startsOf(result)).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
    ])
  })
})

describe('Australia/Lord_Howe (30-minute DST)', () => {
  test('on 2026-10-04 clocks jump 02:00 to 02:30: 01:00-04:00 holds two and a half hours', () => {
    const result = computeSlots(
      sundayHost('Australia/Lord_Howe', '01:00', '04:00', 30),
      query('2026-10-04', '2026-10-04', 'Australia/Lord_Howe'),
    )
    expect(startsOf(result)).toEqual([
      '2026-10-03T14:30:00.000Z', // 01:00 +10:30
      '2026-10-03T15:00:00.000Z', // 01:30 +10:30
      '2026-10-03T15:30:00.000Z', // 02:30 +11:00
      '2026-10-03T16:00:00.000Z',
      '2026-10-03T16:30:00.000Z', // 03:30 +11:00, ends at 04:00
    ])
  })

  test('on 2026-04-05 clocks go back 02:00 to 01:30: 01:00-03:00 holds two and a half hours', () => {
    const result = computeSlots(
      sundayHost('Australia/Lord_Howe', '01:00', '03:00', 30),
      query('2026-04-05', '2026-04-05', 'Australia/Lord_Howe'),
    )
    expect(startsOf(result)).toEqual([
      '2026-04-04T14:00:00.000Z', // 01:00 +11:00
      '2026-04-04T14:30:00.000Z', // 01:30 +11:00
      '2026-04-04T15:00:00.000Z', // 01:30 +10:30
      '2026-04-04T15:30:00.000Z',
      '2026-04-04T16:00:00.000Z', // 02:30 +10:30, ends at 03:00
    ])
  })
})

describe('Asia/Kolkata (+05:30, no DST)', () => {
  test('09:00 is 03:30Z in winter and in summer, seen from Paris on the same dates', () => {
    const input = schedulingInput({ hostTimeZone: 'Asia/Kolkata', nowMs: Date.parse('2026-01-01T00:00:00Z') })
    const winter = computeSlots(input, query('2026-01-05', '2026-01-05', 'Europe/Paris'))
    const summer = computeSlots(input, query('2026-07-06', '2026-07-06', 'Europe/Paris'))
    expect(winter.slots['2026-01-05']![0]!.start).toBe('2026-01-05T03:30:00.000Z')
    expect(summer.slots['2026-07-06']![0]!.start).toBe('2026-07-06T03:30:00.000Z')
    expect(winter.slots['2026-01-05']).toHaveLength(16)
  })
})

describe('visitor zones', () => {
  test("slots are grouped by the visitor's date even when the host's date differs", () => {
    // Kolkata Tuesday 09:00 is 2026-03-03T03:30Z, still Monday 19:30 in Los Angeles.
    const input = schedulingInput({ hostTimeZone: 'Asia/Kolkata' })
    const result = computeSlots(input, query('2026-03-02', '2026-03-02', 'America/Los_Angeles'))
    expect(Object.keys(result.slots)).toEqual(['2026-03-02'])
    const starts = startsOf(result)
    // Monday's host slots from LA midnight (08:00Z) to the end of the host day, then Tuesday's host slots to LA midnight.
    expect(starts[0]).toBe('2026-03-02T08:00:00.000Z')
    expect(starts).toContain('2026-03-02T11:00:00.000Z')
    expect(starts).not.toContain('2026-03-02T11:30:00.000Z')
    expect(starts).toContain('2026-03-03T03:30:00.000Z')
    expect(starts.at(-1)).toBe('2026-03-03T07:30:00.000Z')
    expect(starts).toHaveLength(7 + 9)
  })

  test('a slot lands on the next visitor date when the visitor is ahead of the host', () => {
    // New York Monday 16:30 is 2026-03-02T21:30Z, already Tuesday 08:30 in Sydney.
    const input = schedulingInput({ hostTimeZone: 'America/New_York' })
    const result = computeSlots(input, query('2026-03-03', '2026-03-03', 'Australia/Sydney'))
    expect(result.slots['2026-03-03']![0]!.start).toBe('2026-03-02T14:00:00.000Z')
    expect(startsOf(result)).toContain('2026-03-02T21:30:00.000Z')
  })

  test("the visitor's dates follow the visitor's own DST: 23 and 25 hours on New York change days", () => {
    const alwaysOpen = schedulingInput({
      availability: { weekly: (['sat', 'sun', 'mon'] as const).map((day) => ({ day, start: '00:00', end: '24:00' })) },
      eventType: { duration_minutes: 60 },
    })
    const spring = computeSlots(alwaysOpen, query('2026-03-08', '2026-03-08', 'America/New_York'))
    expect(spring.slots['2026-03-08']).toHaveLength(23)
    expect(spring.slots['2026-03-08']![0]!.start).toBe('2026-03-08T05:00:00.000Z')
    const autumn = computeSlots(alwaysOpen, query('2026-11-01', '2026-11-01', 'America/New_York'))
    expect(autumn.slots['2026-11-01']).toHaveLength(25)
  })

  test('a half-hour visitor zone sees every slot once, under its own date', () => {
    const input = schedulingInput({ hostTimeZone: 'Europe/London', nowMs: Date.parse('2026-01-01T00:00:00Z') })
    const byVisitor = computeSlots(input, query('2026-03-01', '2026-03-31', 'Asia/Kolkata'))
    const byHost = computeSlots(input, query('2026-03-01', '2026-03-31', 'Europe/London'))
    expect(startsOf(byVisitor)).toEqual(
      startsOf(byHost).filter((s) => s >= '2026-02-28T18:30' && s < '2026-03-31T18:30'),
    )
    expect(startsOf(byVisitor)).toHaveLength(22 * 16)
  })
})
