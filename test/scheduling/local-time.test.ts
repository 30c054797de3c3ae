import { describe, expect, test } from 'vitest'
import { calendarDate, localDateOf, localDays, wallTimeToMs } from '../../src/slot-engine/local-time.js'

const at = (date: string, hhmm: string, zone: string) => {
  const [h, m] = hhmm.split(':').map(Number)
  return new Date(wallTimeToMs(calendarDate(date), h! * 60 + m!, zone)).toISOString()
}

describe('wallTimeToMs: the first instant the host clock reads HH:MM or later that day', () => {
  test('an ordinary time maps to its one instant, with the offset of the season', () => {
    expect(at('2026-03-06', '09:00', 'America/New_York')).toBe('2026-03-06T14:00:00.000Z')
    expect(at('2026-03-09', '09:00', 'America/New_York')).toBe('2026-03-09T13:00:00.000Z')
  })

  test('a time skipped by spring forward (New York 02:30) maps to the transition, 03:00 EDT', () => {
    expect(at('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z')
    expect(at('2026-03-08', '02:00', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z')
    expect(at('2026-03-08', '03:00', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z')
  })

  test('a time repeated by fall back (New York 01:30) maps to its earlier occurrence, in EDT', () => {
    expect(at('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z')
    expect(at('2026-11-01', '01:00', 'America/New_York')).toBe('2026-11-01T05:00:00.000Z')
    expect(at('2026-11-01', '02:00', 'America/New_York')).toBe('2026-11-01T07:00:00.000Z')
  })

  test('Europe/London: 01:30 on the spring day is skipped, 01:30 on the autumn day is taken in BST', () => {
    expect(at('2026-03-29', '01:30', 'Europe/London')).toBe('2026-03-29T01:00:00.000Z')
    expect(at('2026-10-25', '01:30', 'Europe/London')).toBe('2026-10-25T00:30:00.000Z')
  })

  test('Australia/Lord_Howe shifts by 30 minutes: 02:15 is skipped in October, 01:45 repeats in April', () => {
    // October: 02:00 (+10:30) becomes 02:30 (+11:00) at 15:30Z.
    expect(at('2026-10-04', '02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z')
    expect(at('2026-10-04', '02:30', 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z')
    // April: 02:00 (+11:00) becomes 01:30 (+10:30) at 15:00Z; 01:45 happens at 14:45Z and 15:15Z.
    expect(at('2026-04-05', '01:45', 'Australia/Lord_Howe')).toBe('2026-04-04T14:45:00.000Z')
  })

  test('Asia/Kolkata is +05:30 all year', () => {
    expect(at('2026-01-15', '09:00', 'Asia/Kolkata')).toBe('2026-01-15T03:30:00.000Z')
    expect(at('2026-07-15', '09:00', 'Asia/Kolkata')).toBe('2026-07-15T03:30:00.000Z')
  })

  test('24:00 is the first instant of the next date', () => {
    expect(at('2026-03-07', '24:00', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z')
    expect(at('2026-11-01', '24:00', 'America/New_York')).toBe('2026-11-02T05:00:00.000Z')
  })

  test('where midnight itself is skipped (São Paulo, 2018-11-04), the day starts at 01:00', () => {
    expect(at('2018-11-04', '00:00', 'America/Sao_Paulo')).toBe('2018-11-04T03:00:00.000Z')
    expect(at('2018-11-03', '24:00', 'America/Sao_Paulo')).toBe('2018-11-04T03:00:00.000Z')
  })
})

describe('localDateOf', () => {
  test('gives the calendar date of an instant in the given zone', () => {
    const ms = Date.parse('2026-03-03T03:30:00.000Z')
    expect(localDateOf(ms, 'Asia/Kolkata')).toBe('2026-03-03')
    expect(localDateOf(ms, 'America/Los_Angeles')).toBe('2026-03-02')
  })
})

describe('localDays', () => {
  test.each([
    ['America/New_York', '2026'],
    ['Europe/London', '2026'],
    ['Australia/Lord_Howe', '2026'],
    ['Asia/Kolkata', '2026'],
    ['Pacific/Chatham', '2026'],
    ['America/Sao_Paulo', '2018'],
  ])('resolves the wall times of every day in %s (%s) exactly as wallTimeToMs does', (zone, year) => {
    const first = calendarDate(`${year}-01-01`)
    const days = localDays(`${year}-01-01`, `${year}-12-31`, zone)
    expect(days).toHaveLength(365)
    days.forEach((day, i) => {
      const date = first.plus({ days: i })
      expect(day.date).toBe(date.toISODate())
      expect(day.weekday).toBe(date.weekday)
      expect(day.startMs).toBe(wallTimeToMs(date, 0, zone))
      expect(day.endMs).toBe(wallTimeToMs(date, 1440, zone))
      // Around every 2026 change of these zones (00:00 São Paulo, 01:00-03:00 elsewhere, 02:45 Chatham).
      for (const minute of [30, 90, 135, 150, 165, 540])
        expect(day.instantOf(minute), `${day.date} +${minute}min`).toBe(wallTimeToMs(date, minute, zone))
    })
  })

  test('gives a 23-hour spring day and a 25-hour autumn day in New York', () => {
    const [spring] = localDays('2026-03-08', '2026-03-08', 'America/New_York')
    const [autumn] = localDays('2026-11-01', '2026-11-01', 'America/New_York')
    expect((spring!.endMs - spring!.startMs) / 3_600_000).toBe(23)
    expect((autumn!.endMs - autumn!.startMs) / 3_600_000).toBe(25)
  })
})
