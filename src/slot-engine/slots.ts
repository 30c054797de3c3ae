import { DateTime } from 'luxon'
import { type Availability, type EventTypeSettings, minuteOfDay, type SlotQuery, WEEKDAYS } from './availability.js'
import { type LocalDay, localDateOf, localDays, minutesToMs } from './local-time.js'

/**
 * The slot engine: which meeting starts a host offers. Pure: no clock, no database; the caller
 * passes `nowMs` and the host's existing bookings. Inputs are assumed valid (see availability.ts).
 * The algorithm and the DST decisions are described in docs/scheduling-engine.md.
 */

/** Time the host is already committed to. */
export interface ExistingBooking {
  start: Date | string | number
  end: Date | string | number
  /** Whether it counts toward `max_per_day`; default true (a busy time from elsewhere would pass false). */
  counts_toward_limit?: boolean
}

export interface SchedulingInput {
  /** The host's IANA time zone: the one the availability is written in. */
  hostTimeZone: string
  availability: Availability
  eventType: EventTypeSettings
  bookings: readonly ExistingBooking[]
  nowMs: number
}

export interface Slot {
  /** UTC, ISO 8601 with milliseconds: `2026-03-02T08:00:00.000Z`. */
  start: string
  end: string
}

export interface SlotsResult {
  timezone: string
  /** Visitor-local date → slots starting on it, in order; dates without slots are left out. */
  slots: Record<string, Slot[]>
}

interface Interval {
  startMs: number
  endMs: number
}

interface HostDay {
  startMs: number
  endMs: number
  ranges: Interval[]
}

/** Epoch milliseconds of an instant; NaN for a string that is not a real ISO 8601 instant (luxon is strict where Date.parse rolls 02-31 over). */
function instantMs(value: Date | string | number): number {
  if (typeof value === 'number') return value
  if (value instanceof Date) return value.getTime()
  return DateTime.fromISO(value, { setZone: true }).toMillis()
}

function settingsOf(eventType: EventTypeSettings) {
  return {
    durationMs: minutesToMs(eventType.duration_minutes),
    stepMs: minutesToMs(eventType.slot_step_minutes ?? eventType.duration_minutes),
    beforeMs: minutesToMs(eventType.buffer_before_minutes ?? 0),
    afterMs: minutesToMs(eventType.buffer_after_minutes ?? 0),
    noticeMs: minutesToMs(eventType.minimum_notice_minutes ?? 0),
    maxPerDay: eventType.max_per_day ?? null,
    windowDays: eventType.booking_window_days ?? null,
  }
}

/** `[start, end)` minute pairs of one host date: its override if any, else its weekday's rules; merged. */
function rangesOfDate(availability: Availability, overrides: Map<string, number>, day: LocalDay) {
  const overrideIndex = overrides.get(day.date)
  const weekday = WEEKDAYS[day.weekday - 1]
  const raw =
    overrideIndex !== undefined
      ? (availability.overrides?.[overrideIndex]?.ranges ?? [])
      : availability.weekly.filter((rule) => rule.day === weekday)
  const minutes = raw
    .map((r) => [minuteOfDay(r.start, false), minuteOfDay(r.end, true)] as const)
    .filter((r): r is readonly [number, number] => r[0] !== undefined && r[1] !== undefined && r[0] < r[1])
    .sort((a, b) => a[0] - b[0])
  // Touching ranges (09:00-12:00, 12:00-17:00) form one free range: slots step across the seam.
  const merged: [number, number][] = []
  for (const [start, end] of minutes) {
    const last = merged[merged.length - 1]
    if (last && start <= last[1]) last[1] = Math.max(last[1], end)
    else merged.push([start, end])
  }
  return merged
}

/** The host-local dates whose ranges can hold a slot starting in `[fromMs, toMs)`, expanded. */
function expandHostDays(input: SchedulingInput, fromMs: number, toMs: number): HostDay[] {
  const zone = input.hostTimeZone
  const overrides = new Map<string, number>()
  for (const [i, o] of (input.availability.overrides ?? []).entries()) overrides.set(o.date, i)
  return localDays(localDateOf(fromMs, zone), localDateOf(toMs - 1, zone), zone).map((day) => {
    const ranges = rangesOfDate(input.availability, overrides, day)
      .map(([s, e]) => ({ startMs: day.instantOf(s), endMs: day.instantOf(e) }))
      .filter((r) => r.endMs > r.startMs) // a range wholly inside a skipped hour is empty
    return { startMs: day.startMs, endMs: day.endMs, ranges }
  })
}

/**
 * Bookings as the spans they forbid a new slot's own time `[start, end)` to touch, sorted and
 * merged. A slot needs `buffer_before` free before it and `buffer_after` free after it, so a
 * booking `[s, e)` forbids `[s - buffer_after, e + buffer_before)`.
 */
function blockedSpans(bookings: readonly Interval[], beforeMs: number, afterMs: number): Interval[] {
  const spans: Interval[] = []
  for (const b of bookings) {
    const startMs = b.startMs - afterMs
    const endMs = b.endMs + beforeMs
    const last = spans[spans.length - 1]
    if (last && startMs <= last.endMs) last.endMs = Math.max(last.endMs, endMs)
    else spans.push({ startMs, endMs })
  }
  return spans
}

/** How many limit-counting bookings start on each host day (same order as `days`). */
function countPerDay(days: HostDay[], bookings: readonly (Interval & { counts: boolean })[]): number[] {
  const counts = days.map(() => 0)
  let d = 0
  for (const b of bookings) {
    if (!b.counts) continue
    while (d < days.length && days[d]!.endMs <= b.startMs) d++
    if (d === days.length) break
    if (b.startMs >= days[d]!.startMs) counts[d]!++
  }
  return counts
}

/**
 * Offered slot starts in `[fromMs, toMs)`, ascending. One pass: host days in order, their free
 * ranges in order, grid points in order, and one pointer over the blocked spans, so the cost is
 * O(days + slots + bookings) after sorting the bookings once. A grid point that hits a blocked
 * span jumps straight past it instead of being tested step by step.
 */
export function offeredStartsMs(input: SchedulingInput, fromMs: number, toMs: number): number[] {
  const s = settingsOf(input.eventType)
  const earliestMs = Math.max(fromMs, input.nowMs + s.noticeMs)
  let latestMs = toMs - 1 // inclusive bound on a slot's start
  if (s.windowDays !== null)
    latestMs = Math.min(
      latestMs,
      DateTime.fromMillis(input.nowMs, { zone: input.hostTimeZone }).plus({ days: s.windowDays }).toMillis(),
    )
  if (earliestMs > latestMs || s.durationMs <= 0 || s.stepMs <= 0) return []

  const days = expandHostDays(input, earliestMs, latestMs + 1)
  const { startMs: firstMs, endMs: lastMs } = paddedSpan(days[0]!.startMs, days[days.length - 1]!.endMs, s)
  const bookings = input.bookings
    .map((b) => ({ startMs: instantMs(b.start), endMs: instantMs(b.end), counts: b.counts_toward_limit !== false }))
    .map((b) => {
      // Skipping an unreadable booking would offer its time twice over: refuse instead.
      if (!Number.isFinite(b.startMs) || !Number.isFinite(b.endMs)) throw new Error('A booking has an invalid instant')
      return b
    })
    .filter((b) => b.endMs > b.startMs && b.endMs > firstMs && b.startMs < lastMs)
    .sort((a, b) => a.startMs - b.startMs)
  const blocked = blockedSpans(bookings, s.beforeMs, s.afterMs)
  const perDay = countPerDay(days, bookings)

  const starts: number[] = []
  let b = 0
  days.forEach((day, d) => {
    if (s.maxPerDay !== null && perDay[d]! >= s.maxPerDay) return
    for (const range of day.ranges) {
      const lastStartMs = Math.min(range.endMs - s.durationMs, latestMs)
      // The grid is anchored at the range's start; skip to the first point not before `earliestMs`.
      let t = range.startMs + Math.max(0, Math.ceil((earliestMs - range.startMs) / s.stepMs)) * s.stepMs
      while (t <= lastStartMs) {
        while (b < blocked.length && blocked[b]!.endMs <= t) b++
        const span = blocked[b]
        if (span && span.startMs < t + s.durationMs) {
          t = range.startMs + Math.ceil((span.endMs - range.startMs) / s.stepMs) * s.stepMs
          continue
        }
        starts.push(t)
        t += s.stepMs
      }
    }
  })
  return starts
}

/**
 * The slots a visitor sees for `query` (dates in the visitor's zone, both included), grouped by
 * the visitor-local date of each slot's start.
 */
export function computeSlots(input: SchedulingInput, query: SlotQuery): SlotsResult {
  const zone = query.timezone
  const days = localDays(query.start, query.end, zone)

  const durationMs = minutesToMs(input.eventType.duration_minutes)
  const slots: Record<string, Slot[]> = {}
  let i = 0
  for (const startMs of offeredStartsMs(input, days[0]!.startMs, days[days.length - 1]!.endMs)) {
    while (days[i]!.endMs <= startMs) i++
    const date = days[i]!.date
    const slot = { start: new Date(startMs).toISOString(), end: new Date(startMs + durationMs).toISOString() }
    const list = slots[date]
    if (list) list.push(slot)
    else slots[date] = [slot]
  }
  return { timezone: zone, slots }
}

/**
 * Whether `start` (an instant) is a slot offered right now, for the booking endpoint to require.
 * Uses the same pass as `computeSlots`, over the one host day that contains `start`.
 */
export function isSlotOffered(input: SchedulingInput, start: Date | string | number): boolean {
  const startMs = instantMs(start)
  if (!Number.isFinite(startMs)) return false
  return offeredStartsMs(input, startMs, startMs + 1).includes(startMs)
}

/** `[fromMs, toMs)` widened by everything that lets a booking outside it still matter. */
function paddedSpan(fromMs: number, toMs: number, s: ReturnType<typeof settingsOf>): Interval {
  const padMs = s.beforeMs + s.afterMs + s.durationMs
  return { startMs: fromMs - padMs, endMs: toMs + padMs }
}

/** From the first instant of the host-local date of `fromMs` to the end of the host-local date of `toMs - 1`. */
function hostDaysSpan(zone: string, fromMs: number, toMs: number): Interval {
  const days = localDays(localDateOf(fromMs, zone), localDateOf(toMs - 1, zone), zone)
  return { startMs: days[0]!.startMs, endMs: days[days.length - 1]!.endMs }
}

/** The instants a visitor query covers: from the first date's midnight to the day after the last date's, visitor-local. */
export function queryBoundsMs(query: SlotQuery): Interval {
  const days = localDays(query.start, query.end, query.timezone)
  return { startMs: days[0]!.startMs, endMs: days[days.length - 1]!.endMs }
}

/**
 * The span of bookings to load before computing slots for `query` (or, given an instant, before
 * `isSlotOffered`): every booking that can block one of its slots or count toward a per-day limit
 * of one of its host days overlaps this span. Load each booking with `start < endMs and end > startMs`.
 */
export function bookingLoadSpan(hostTimeZone: string, eventType: EventTypeSettings, query: SlotQuery | Date): Interval {
  const bounds = query instanceof Date ? { startMs: query.getTime(), endMs: query.getTime() + 1 } : queryBoundsMs(query)
  const days = hostDaysSpan(hostTimeZone, bounds.startMs, bounds.endMs)
  return paddedSpan(days.startMs, days.endMs, settingsOf(eventType))
}
