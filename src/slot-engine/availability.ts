import { DateTime, IANAZone } from 'luxon'
import Type, { type Static } from 'typebox'
import { ApiError, type ErrorDetail } from '../core/errors.js'
import { isStorableDate } from '../core/validation.js'

/**
 * The shapes the slot engine reads, and the checks that JSON Schema cannot express (ranges in
 * order and not overlapping, real calendar dates, IANA zones). Every check returns field-named
 * details such as `weekly[2].end`, so a route can answer 422 with all problems at once.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** The longest span a slot query may cover, in visitor-local days (both ends included). */
export const MAX_SLOT_QUERY_DAYS = 62
/** Ranges one day may have (weekly rules of one weekday, or one override). */
export const MAX_RANGES_PER_DAY = 24

const HH_MM = '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$'
const HH_MM_OR_24 = '^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'

const Start = Type.String({
  pattern: HH_MM,
  description: 'Start of the range, host-local wall time `HH:MM` (24-hour clock)',
  examples: ['09:00'],
})
const End = Type.String({
  pattern: HH_MM_OR_24,
  description: 'End of the range (excluded), host-local `HH:MM`; `24:00` means the end of the day',
  examples: ['17:00'],
})

export const TimeRange = Type.Object({ start: Start, end: End }, { additionalProperties: false })
export type TimeRange = Static<typeof TimeRange>

export const WeeklyRule = Type.Object(
  {
    day: Type.Enum(WEEKDAYS, { description: 'Day of the week in the host time zone', examples: ['mon'] }),
    start: Start,
    end: End,
  },
  { additionalProperties: false, description: 'One working range on one weekday' },
)
export type WeeklyRule = Static<typeof WeeklyRule>

export const DateOverride = Type.Object(
  {
    date: Type.String({ pattern: DATE, description: 'Host-local calendar date', examples: ['2027-03-10'] }),
    ranges: Type.Array(TimeRange, {
      maxItems: MAX_RANGES_PER_DAY,
      description: "The ranges that replace this date's weekly rules; empty means unavailable all day",
      examples: [[], [{ start: '10:00', end: '12:00' }]],
    }),
  },
  { additionalProperties: false },
)
export type DateOverride = Static<typeof DateOverride>

export const Availability = Type.Object(
  {
    weekly: Type.Array(WeeklyRule, {
      maxItems: 7 * MAX_RANGES_PER_DAY,
      description: 'Weekly working ranges, several per day allowed, in the host time zone',
      examples: [[{ day: 'mon', start: '09:00', end: '17:00' }]],
    }),
    overrides: Type.Optional(
      Type.Array(DateOverride, {
        maxItems: 500,
        description: 'Dates whose ranges replace the weekly rules for that date',
        examples: [[{ date: '2027-03-10', ranges: [] }]],
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "A host's bookable hours",
    examples: [
      {
        weekly: [
          { day: 'mon', start: '09:00', end: '12:00' },
          { day: 'mon', start: '13:00', end: '17:00' },
        ],
        overrides: [{ date: '2027-03-10', ranges: [] }],
      },
    ],
  },
)
export type Availability = Static<typeof Availability>

/** The event type settings the engine reads (names as the API and the columns spell them). */
export interface EventTypeSettings {
  duration_minutes: number
  buffer_before_minutes?: number
  buffer_after_minutes?: number
  minimum_notice_minutes?: number
  /** Default: `duration_minutes`. */
  slot_step_minutes?: number | null
  /** Bookings per host-local day, existing ones included; null: no limit. */
  max_per_day?: number | null
  /** How far ahead of now a slot may start, in days; null: no limit. */
  booking_window_days?: number | null
}

/** A visitor's slot query, as the query string carries it. */
export interface SlotQuery {
  /** First visitor-local date, `YYYY-MM-DD`. */
  start: string
  /** Last visitor-local date, included. */
  end: string
  /** The visitor's IANA time zone. */
  timezone: string
}

/** True for an IANA zone name luxon (hence Intl) knows, such as `Europe/Paris` or `UTC`. */
export function isValidTimeZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length > 0 && zone.length <= 64 && IANAZone.isValidZone(zone)
}

/** True for a real calendar date written `YYYY-MM-DD`, years 0001 to 9999 (the API's one date rule). */
export function isValidDate(date: unknown): date is string {
  return typeof date === 'string' && isStorableDate(date)
}

/** Minutes past midnight of `HH:MM`; `24:00` gives 1440 only when `allowEndOfDay`. Undefined when malformed. */
export function minuteOfDay(value: unknown, allowEndOfDay: boolean): number | undefined {
  if (typeof value !== 'string' || !new RegExp(allowEndOfDay ? HH_MM_OR_24 : HH_MM).test(value)) return undefined
  return Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5))
}

export function validateTimeZone(zone: unknown, field = 'timezone'): ErrorDetail[] {
  return isValidTimeZone(zone) ? [] : [{ field, message: 'Must be an IANA time zone name, such as Europe/Paris' }]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): ErrorDetail[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({ field: path ? `${path}.${key}` : key, message: 'Unknown field' }))
}

interface ParsedRange {
  startMin: number
  endMin: number
  path: string
}

/** Checks one `{start, end}` pair; returns it parsed when valid. */
function checkRange(range: Record<string, unknown>, path: string, errors: ErrorDetail[]): ParsedRange | undefined {
  const startMin = minuteOfDay(range.start, false)
  const endMin = minuteOfDay(range.end, true)
  if (startMin === undefined)
    errors.push({ field: `${path}.start`, message: 'Must be a time written HH:MM (00:00-23:59)' })
  if (endMin === undefined) errors.push({ field: `${path}.end`, message: 'Must be a time written HH:MM (00:01-24:00)' })
  if (startMin === undefined || endMin === undefined) return undefined
  if (endMin <= startMin) {
    errors.push({ field: `${path}.end`, message: `Must be later than start (${String(range.start)})` })
    return undefined
  }
  return { startMin, endMin, path }
}

/** Reports each range that overlaps an earlier one of the same day (touching ranges are fine). */
function checkNoOverlap(ranges: ParsedRange[], errors: ErrorDetail[]) {
  const sorted = [...ranges].sort((a, b) => a.startMin - b.startMin || a.endMin - b.endMin)
  let latest: ParsedRange | undefined
  for (const range of sorted) {
    if (latest && range.startMin < latest.endMin)
      errors.push({ field: `${range.path}.start`, message: `Overlaps the range at ${latest.path} on the same day` })
    if (!latest || range.endMin > latest.endMin) latest = range
  }
}

function checkRangeList(value: unknown, path: string, errors: ErrorDetail[]) {
  if (!Array.isArray(value)) {
    errors.push({ field: path, message: 'Must be an array of {start, end} ranges' })
    return
  }
  if (value.length > MAX_RANGES_PER_DAY)
    errors.push({ field: path, message: `At most ${MAX_RANGES_PER_DAY} ranges per day` })
  const parsed: ParsedRange[] = []
  value.forEach((range, i) => {
    const at = `${path}[${i}]`
    if (!isRecord(range)) {
      errors.push({ field: at, message: 'Must be an object with start and end' })
      return
    }
    errors.push(...unknownKeys(range, ['start', 'end'], at))
    const ok = checkRange(range, at, errors)
    if (ok) parsed.push(ok)
  })
  checkNoOverlap(parsed, errors)
}

/**
 * Every problem in an availability document, each naming its field (`weekly[2].end`,
 * `overrides[0].ranges[1].start`, `overrides[3].date`). Empty when the document is valid.
 */
export function validateAvailability(value: unknown, path = ''): ErrorDetail[] {
  const at = (field: string) => (path ? `${path}.${field}` : field)
  const errors: ErrorDetail[] = []
  if (!isRecord(value)) return [{ field: path || '(root)', message: 'Must be an object with weekly and overrides' }]
  errors.push(...unknownKeys(value, ['weekly', 'overrides'], path))

  if (!Array.isArray(value.weekly)) {
    errors.push({ field: at('weekly'), message: 'Must be an array of {day, start, end} rules' })
  } else {
    const byDay = new Map<Weekday, ParsedRange[]>()
    value.weekly.forEach((rule, i) => {
      const rulePath = at(`weekly[${i}]`)
      if (!isRecord(rule)) {
        errors.push({ field: rulePath, message: 'Must be an object with day, start and end' })
        return
      }
      errors.push(...unknownKeys(rule, ['day', 'start', 'end'], rulePath))
      const day = WEEKDAYS.find((d) => d === rule.day)
      if (!day) errors.push({ field: `${rulePath}.day`, message: `Must be one of ${WEEKDAYS.join(', ')}` })
      const range = checkRange(rule, rulePath, errors)
      if (day && range) byDay.set(day, [...(byDay.get(day) ?? []), range])
    })
    for (const [day, ranges] of byDay) {
      if (ranges.length > MAX_RANGES_PER_DAY)
        errors.push({ field: at('weekly'), message: `At most ${MAX_RANGES_PER_DAY} ranges on ${day}` })
      checkNoOverlap(ranges, errors)
    }
  }

  if (value.overrides !== undefined) {
    if (!Array.isArray(value.overrides)) {
      errors.push({ field: at('overrides'), message: 'Must be an array of {date, ranges} overrides' })
    } else {
      const seen = new Map<string, number>()
      value.overrides.forEach((override, i) => {
        const overridePath = at(`overrides[${i}]`)
        if (!isRecord(override)) {
          errors.push({ field: overridePath, message: 'Must be an object with date and ranges' })
          return
        }
        errors.push(...unknownKeys(override, ['date', 'ranges'], overridePath))
        if (!isValidDate(override.date)) {
          errors.push({ field: `${overridePath}.date`, message: 'Must be a real calendar date written YYYY-MM-DD' })
        } else {
          const first = seen.get(override.date)
          if (first !== undefined)
            errors.push({ field: `${overridePath}.date`, message: `Repeats the date of overrides[${first}]` })
          else seen.set(override.date, i)
        }
        checkRangeList(override.ranges, `${overridePath}.ranges`, errors)
      })
    }
  }
  return errors
}

function checkInteger(
  settings: Record<string, unknown>,
  field: keyof EventTypeSettings,
  min: number,
  max: number,
  nullable: boolean,
  errors: ErrorDetail[],
) {
  const value = settings[field]
  if (value === undefined || (nullable && value === null)) return
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    errors.push({ field, message: `Must be a whole number from ${min} to ${max}${nullable ? ', or null' : ''}` })
}

/** Every problem in the scheduling settings of an event type, each naming its field. */
export function validateEventTypeSettings(value: unknown): ErrorDetail[] {
  if (!isRecord(value)) return [{ field: '(root)', message: 'Must be an object' }]
  const errors: ErrorDetail[] = []
  if (value.duration_minutes === undefined)
    errors.push({ field: 'duration_minutes', message: 'This field is required' })
  checkInteger(value, 'duration_minutes', 5, 24 * 60, false, errors)
  checkInteger(value, 'buffer_before_minutes', 0, 24 * 60, false, errors)
  checkInteger(value, 'buffer_after_minutes', 0, 24 * 60, false, errors)
  checkInteger(value, 'minimum_notice_minutes', 0, 365 * 24 * 60, false, errors)
  checkInteger(value, 'slot_step_minutes', 5, 24 * 60, true, errors)
  checkInteger(value, 'max_per_day', 1, 1000, true, errors)
  checkInteger(value, 'booking_window_days', 1, 730, true, errors)
  return errors
}

/** Problems in a visitor's slot query: dates, their order, the span, the zone. */
export function validateSlotQuery(query: Partial<Record<keyof SlotQuery, unknown>>): ErrorDetail[] {
  const errors: ErrorDetail[] = []
  const startOk = isValidDate(query.start)
  const endOk = isValidDate(query.end)
  if (!startOk) errors.push({ field: 'start', message: 'Must be a real calendar date written YYYY-MM-DD' })
  if (!endOk) errors.push({ field: 'end', message: 'Must be a real calendar date written YYYY-MM-DD' })
  if (startOk && endOk) {
    const days = DateTime.fromISO(query.end as string, { zone: 'utc' })
      .diff(DateTime.fromISO(query.start as string, { zone: 'utc' }), 'days')
      .as('days')
    if (days < 0) errors.push({ field: 'end', message: 'Must be on or after start' })
    else if (days + 1 > MAX_SLOT_QUERY_DAYS)
      errors.push({ field: 'end', message: `The range may cover at most ${MAX_SLOT_QUERY_DAYS} days` })
  }
  errors.push(...validateTimeZone(query.timezone))
  return errors
}

/** A 422 `validation_failed` carrying every detail, worded like the request validator's. */
export function validationError(details: ErrorDetail[]): ApiError {
  const first = details[0]
  const message = first ? `${first.field}: ${first.message}` : 'The request is invalid'
  return new ApiError(
    'validation_failed',
    details.length > 1 ? `${message} (and ${details.length - 1} more)` : message,
    { details },
  )
}

/** Throws a 422 naming every field when `details` is not empty. */
export function assertNoErrors(details: ErrorDetail[]): void {
  if (details.length > 0) throw validationError(details)
}
