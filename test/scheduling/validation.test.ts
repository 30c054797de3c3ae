import { describe, expect, test } from 'vitest'
import { ApiError } from '../../src/core/errors.js'
import {
  assertNoErrors,
  isValidTimeZone,
  validateAvailability,
  validateEventTypeSettings,
  validateSlotQuery,
} from '../../src/slot-engine/availability.js'

const fields = (details: { field: string }[]) => details.map((d) => d.field)

describe('validateAvailability', () => {
  test('accepts several ranges a day, touching ranges, a 24:00 end and empty overrides', () => {
    expect(
      validateAvailability({
        weekly: [
          { day: 'mon', start: '09:00', end: '12:00' },
          { day: 'mon', start: '12:00', end: '17:00' },
          { day: 'fri', start: '20:00', end: '24:00' },
        ],
        overrides: [
          { date: '2027-03-10', ranges: [] },
          { date: '2027-03-11', ranges: [{ start: '10:00', end: '11:00' }] },
        ],
      }),
    ).toEqual([])
  })

  test('names the end of a weekly rule that is not after its start', () => {
    const details = validateAvailability({
      weekly: [
        { day: 'mon', start: '09:00', end: '17:00' },
        { day: 'tue', start: '09:00', end: '17:00' },
        { day: 'wed', start: '17:00', end: '09:00' },
      ],
    })
    expect(details).toEqual([{ field: 'weekly[2].end', message: 'Must be later than start (17:00)' }])
  })

  test('rejects malformed times, 24:00 as a start and an unknown weekday, by field', () => {
    const details = validateAvailability({
      weekly: [
        { day: 'mon', start: '9:00', end: '17:00' },
        { day: 'tue', start: '24:00', end: '24:00' },
        { day: 'thu', start: '08:00', end: '25:00' },
        { day: 'funday', start: '08:00', end: '09:00' },
      ],
    })
    expect(fields(details)).toEqual(['weekly[0].start', 'weekly[1].start', 'weekly[2].end', 'weekly[3].day'])
  })

  test('rejects overlapping ranges on one weekday, naming the later one', () => {
    const details = validateAvailability({
      weekly: [
        { day: 'mon', start: '09:00', end: '12:00' },
        { day: 'tue', start: '11:00', end: '13:00' },
        { day: 'mon', start: '11:30', end: '14:00' },
      ],
    })
    expect(details).toEqual([{ field: 'weekly[2].start', message: 'Overlaps the range at weekly[0] on the same day' }])
  })

  test('checks override dates (real, not repeated) and their ranges', () => {
    const details = validateAvailability({
      weekly: [],
      overrides: [
        { date: '2027-02-30', ranges: [] },
        { date: '2027-03-10', ranges: [{ start: '10:00', end: '09:00' }] },
        { date: '2027-03-10', ranges: [] },
        {
          date: '2027-03-12',
          ranges: [
            { start: '10:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        },
        { date: '2027-03-13' },
      ],
    })
    expect(fields(details)).toEqual([
      'overrides[0].date',
      'overrides[1].ranges[0].end',
      'overrides[2].date',
      'overrides[3].ranges[1].start',
      'overrides[4].ranges',
    ])
  })

  test('rejects unknown fields and wrong shapes', () => {
    expect(
      fields(validateAvailability({ weekly: [{ day: 'mon', start: '09:00', end: '10:00', tz: 'x' }], extra: 1 })),
    ).toEqual(['extra', 'weekly[0].tz'])
    expect(fields(validateAvailability({ weekly: {} }))).toEqual(['weekly'])
    expect(fields(validateAvailability(null))).toEqual(['(root)'])
  })

  test('prefixes field names with the given path', () => {
    expect(
      fields(validateAvailability({ weekly: [{ day: 'mon', start: '10:00', end: '09:00' }] }, 'availability')),
    ).toEqual(['availability.weekly[0].end'])
  })
})

describe('time zones', () => {
  test('accepts IANA names luxon knows and rejects the rest', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true)
    expect(isValidTimeZone('Australia/Lord_Howe')).toBe(true)
    expect(isValidTimeZone('UTC')).toBe(true)
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(isValidTimeZone('+05:30')).toBe(false)
    expect(isValidTimeZone('')).toBe(false)
    expect(isValidTimeZone(42)).toBe(false)
  })
})

describe('validateEventTypeSettings', () => {
  test('accepts a complete, sensible event type', () => {
    expect(
      validateEventTypeSettings({
        duration_minutes: 30,
        buffer_before_minutes: 5,
        buffer_after_minutes: 10,
        minimum_notice_minutes: 120,
        slot_step_minutes: null,
        max_per_day: 4,
        booking_window_days: 60,
      }),
    ).toEqual([])
  })

  test('names each out-of-range or fractional setting', () => {
    const details = validateEventTypeSettings({
      duration_minutes: 0,
      buffer_before_minutes: -5,
      buffer_after_minutes: 2.5,
      slot_step_minutes: 0,
      max_per_day: 0,
      booking_window_days: '30',
    })
    expect(fields(details)).toEqual([
      'duration_minutes',
      'buffer_before_minutes',
      'buffer_after_minutes',
      'slot_step_minutes',
      'max_per_day',
      'booking_window_days',
    ])
  })

  test('requires the duration', () => {
    expect(validateEventTypeSettings({})).toEqual([{ field: 'duration_minutes', message: 'This field is required' }])
  })
})

describe('validateSlotQuery', () => {
  test('accepts a month in a real zone', () => {
    expect(validateSlotQuery({ start: '2026-03-01', end: '2026-03-31', timezone: 'Europe/Paris' })).toEqual([])
  })

  test('rejects bad dates, an end before the start, a too-long span and an unknown zone', () => {
    expect(fields(validateSlotQuery({ start: '2026-02-30', end: 'soon', timezone: 'Europe/Paris' }))).toEqual([
      'start',
      'end',
    ])
    expect(validateSlotQuery({ start: '2026-03-02', end: '2026-03-01', timezone: 'UTC' })).toEqual([
      { field: 'end', message: 'Must be on or after start' },
    ])
    expect(fields(validateSlotQuery({ start: '2026-01-01', end: '2026-03-31', timezone: 'UTC' }))).toEqual(['end'])
    expect(fields(validateSlotQuery({ start: '2026-03-01', end: '2026-03-01', timezone: 'Paris' }))).toEqual([
      'timezone',
    ])
  })
})

describe('assertNoErrors', () => {
  test('throws a 422 validation_failed carrying every detail', () => {
    const details = validateAvailability({ weekly: [{ day: 'mon', start: '10:00', end: '09:00' }], overrides: 3 })
    let thrown: unknown
    try {
      assertNoErrors(details)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(ApiError)
    const error = thrown as ApiError
    expect(error.statusCode).toBe(422)
    expect(error.code).toBe('validation_failed')
    expect(error.message).toBe('weekly[0].end: Must be later than start (10:00) (and 1 more)')
    expect(fields(error.extra.details ?? [])).toEqual(['weekly[0].end', 'overrides'])
  })

  test('does nothing when there are no errors', () => {
    expect(() => assertNoErrors([])).not.toThrow()
  })
})
