import { DateTime, IANAZone } from 'luxon'

/**
 * Host-local wall times to instants, with one rule for every day of the year:
 *
 *   `HH:MM` on a date is the FIRST instant at which the zone's clock reads `HH:MM` or later that day.
 *
 * - An ordinary time has one instant: that one.
 * - An ambiguous time (fall back: 01:30 happens twice in New York) is its earlier occurrence.
 * - A skipped time (spring forward: 02:30 never happens in New York) is the instant the clock
 *   jumps past it (03:00 EDT), so a range starting or ending inside the gap is clipped to it and a
 *   range lying wholly inside the gap is empty.
 * - `24:00` is the first instant of the next date (even where midnight itself is skipped).
 *
 * All conversions go through luxon; there is no offset arithmetic here.
 */

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

/** A date with no zone, for calendar arithmetic (UTC has no gaps, so every wall time exists). */
export function calendarDate(isoDate: string): DateTime {
  return DateTime.fromISO(isoDate, { zone: 'utc' })
}

function wallFields(date: DateTime, minute: number) {
  const at = date.plus({ minutes: minute })
  return { year: at.year, month: at.month, day: at.day, hour: at.hour, minute: at.minute }
}

function readsExactly(dt: DateTime, wall: ReturnType<typeof wallFields>): boolean {
  return dt.day === wall.day && dt.hour === wall.hour && dt.minute === wall.minute
}

/** The earliest instant whose clock in `zone` reads exactly `wall`, or undefined if the clock skips it. */
function earliestInstantOf(wall: ReturnType<typeof wallFields>, zone: string): number | undefined {
  const dt = DateTime.fromObject(wall, { zone })
  if (!readsExactly(dt, wall)) return undefined
  // Luxon resolves an ambiguous time to the later offset; take the earlier occurrence instead.
  return Math.min(...dt.getPossibleOffsets().map((candidate) => candidate.toMillis()))
}

/**
 * The instant of `minute` minutes past midnight (0 to 1440) on the calendar date `date`
 * (from `calendarDate`) in `zone`, by the rule above.
 */
export function wallTimeToMs(date: DateTime, minute: number, zone: string): number {
  const exact = earliestInstantOf(wallFields(date, minute), zone)
  if (exact !== undefined) return exact
  // Skipped: the first wall minute after it that the clock shows is the end of the gap, and its
  // instant is the transition. Luxon moves a skipped time forward by the gap's length, so the
  // wall time it lands on is a bound for the search.
  const landed = DateTime.fromObject(wallFields(date, minute), { zone })
  const landedWall = DateTime.fromObject(
    { year: landed.year, month: landed.month, day: landed.day, hour: landed.hour, minute: landed.minute },
    { zone: 'utc' },
  )
  let skipped = minute // the clock never reads date+skipped
  let shown = Math.round(landedWall.diff(date, 'minutes').minutes) // the clock reads date+shown
  while (shown - skipped > 1) {
    const mid = Math.floor((skipped + shown) / 2)
    if (earliestInstantOf(wallFields(date, mid), zone) === undefined) skipped = mid
    else shown = mid
  }
  return earliestInstantOf(wallFields(date, shown), zone) ?? landed.toMillis()
}

/** One calendar date in one zone, with its wall times resolved by the rule above. */
export interface LocalDay {
  /** `YYYY-MM-DD` */
  date: string
  /** 1 (Monday) to 7 (Sunday). */
  weekday: number
  /** The day's first instant. */
  startMs: number
  /** The next day's first instant. */
  endMs: number
  /** The instant of `minute` minutes past midnight (0 to 1440). */
  instantOf(minute: number): number
}

/**
 * The dates `firstDate` to `lastDate` (`YYYY-MM-DD`, both included) in `zone`, resolved once.
 * Fast path: on a day whose UTC offset, as luxon reports it, is the same just before its first
 * instant, at it and 24 hours later, the clock runs with real time, so `HH:MM` is the day's start
 * plus HH:MM and the day lasts 24 hours. Any other day (a DST change, a zone redefinition) takes
 * `wallTimeToMs` for every wall time. A month then costs about one luxon offset lookup per day
 * instead of several conversions per range (measured in bench/slots.ts: a 31-day query went
 * from ~12 ms to ~2-3 ms median on the shared 2-core dev machine).
 * It assumes no day holds two offset changes that cancel out; the tz database has none.
 */
export function localDays(firstDate: string, lastDate: string, zone: string): LocalDay[] {
  const offsets = IANAZone.create(zone)
  const days: LocalDay[] = []
  // Calendar dates step in UTC, where every day has 24 hours; no zone is involved.
  const firstMs = Date.parse(`${firstDate}T00:00:00Z`)
  const lastMs = Date.parse(`${lastDate}T00:00:00Z`)
  let startMs = wallTimeToMs(calendarDate(firstDate), 0, zone)
  let offsetBefore = offsets.offset(startMs - 1)
  for (let dayMs = firstMs; dayMs <= lastMs; dayMs += DAY_MS) {
    const date = new Date(dayMs).toISOString().slice(0, 10)
    const dayStartMs = startMs
    const offsetAtStart = offsets.offset(dayStartMs)
    const offsetLater = offsets.offset(dayStartMs + DAY_MS)
    // Compared with the instant before the start too: a day that starts on a change (midnight
    // skipped, as in São Paulo on 2018-11-04) is shorter than 24 hours.
    const steady = offsetBefore === offsetAtStart && offsetAtStart === offsetLater
    const endMs = steady ? dayStartMs + DAY_MS : wallTimeToMs(calendarDate(date), 24 * 60, zone)
    days.push({
      date,
      weekday: ((new Date(dayMs).getUTCDay() + 6) % 7) + 1,
      startMs: dayStartMs,
      endMs,
      instantOf: steady
        ? (minute) => dayStartMs + minute * MINUTE_MS
        : (minute) => wallTimeToMs(calendarDate(date), minute, zone),
    })
    offsetBefore = steady ? offsetLater : offsets.offset(endMs - 1)
    startMs = endMs
  }
  return days
}

/** The host-local (or visitor-local) calendar date of an instant, `YYYY-MM-DD`. */
export function localDateOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate() ?? ''
}

/** Whole minutes to milliseconds. */
export function minutesToMs(minutes: number): number {
  return minutes * MINUTE_MS
}
