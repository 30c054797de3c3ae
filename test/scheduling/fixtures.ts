import type { Availability, EventTypeSettings, SlotQuery } from '../../src/slot-engine/availability.js'
import type { ExistingBooking, SchedulingInput, SlotsResult } from '../../src/slot-engine/slots.js'

export const MON_TO_FRI_9_TO_5: Availability = {
  weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '09:00', end: '17:00' })),
}

/** A host in UTC working 09:00-17:00 on weekdays, 30-minute meetings, asked on Sunday 2026-03-01 at 00:00Z. */
export function schedulingInput(
  overrides: Partial<Omit<SchedulingInput, 'eventType'>> & { eventType?: Partial<EventTypeSettings> } = {},
): SchedulingInput {
  return {
    hostTimeZone: overrides.hostTimeZone ?? 'UTC',
    availability: overrides.availability ?? MON_TO_FRI_9_TO_5,
    eventType: { duration_minutes: 30, ...overrides.eventType },
    bookings: overrides.bookings ?? [],
    nowMs: overrides.nowMs ?? Date.parse('2026-03-01T00:00:00.000Z'),
  }
}

export function query(start: string, end = start, timezone = 'UTC'): SlotQuery {
  return { start, end, timezone }
}

export function booking(start: string, end: string, extra: Partial<ExistingBooking> = {}): ExistingBooking {
  return { start, end, ...extra }
}

/** Every slot start, in order, across dates. */
export function startsOf(result: SlotsResult): string[] {
  return Object.values(result.slots).flatMap((slots) => slots.map((s) => s.start))
}

/** `HH:MM` (UTC) of every slot start on one visitor date. */
export function timesOn(result: SlotsResult, date: string): string[] {
  return (result.slots[date] ?? []).map((s) => s.start.slice(11, 16))
}
