import { ApiError } from '../../core/errors.js'
import type { Tx } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import { emit } from '../../outbox/emit.js'
import { bookingLoadSpan, type EventTypeSettings, isSlotOffered } from '../../slot-engine/index.js'
import type { BookingChange, BookingEmails } from '../email/booking-emails.js'
import { type Host, lockHost } from '../users/users.repo.js'
import { loadAvailability } from './availability.repo.js'
import { bookingCancelled, bookingRescheduled } from './bookings.events.js'
import { type BookingRow, hostBookingsIn, markBookingCancelled, moveBookingTime } from './bookings.repo.js'
import { type EventTypeRow, getEventTypeById } from './event-types.repo.js'

export const slotUnavailable = () =>
  new ApiError('slot_unavailable', 'This time is not offered (any more): fetch the slots again and pick another')

export function settingsOf(et: EventTypeRow): EventTypeSettings {
  return {
    duration_minutes: et.duration_minutes,
    buffer_before_minutes: et.buffer_before_minutes,
    buffer_after_minutes: et.buffer_after_minutes,
    minimum_notice_minutes: et.minimum_notice_minutes,
    slot_step_minutes: et.slot_step_minutes,
    max_per_day: et.max_per_day,
    booking_window_days: et.booking_window_days,
  }
}

/**
 * The changes both flows make to a booking (the guest with the booking's token, the host with a
 * key): whether a start is offered, cancel and move. The no-double-booking rule: every write that
 * takes or moves a host's time first locks the host's `users` row, then loads the host's bookings
 * around the start and checks the slot with the engine, then writes. Two such transactions for one
 * host run one after the other, so the second sees the first's booking.
 */
export class BookingChanges {
  constructor(
    private readonly clock: Clock,
    /** Queues the confirmation, cancellation and reschedule emails in the change's transaction. */
    private readonly emails?: BookingEmails,
  ) {}

  /** Whether `start` is offered for `eventType` now, given the host's other bookings (not `exceptId`). */
  async isOffered(tx: Tx, host: Host, eventType: EventTypeRow, start: Date, exceptId?: string) {
    const settings = settingsOf(eventType)
    const span = bookingLoadSpan(host.timezone, settings, start)
    const [availability, bookings] = await Promise.all([
      loadAvailability(tx, host.id),
      hostBookingsIn(tx, host.id, span, exceptId),
    ])
    return isSlotOffered(
      { hostTimeZone: host.timezone, availability, eventType: settings, bookings, nowMs: this.clock.nowMs() },
      start,
    )
  }

  /** Queues the email of a change (a confirmation, cancellation or reschedule) in its transaction. */
  async notify(tx: Tx, bookingId: string, what: BookingChange, token?: string) {
    await this.emails?.notify(tx, bookingId, what, token)
  }

  async cancel(tx: Tx, row: BookingRow, by: 'guest' | 'host', reason: string | undefined) {
    if (row.status === 'cancelled') throw new ApiError('conflict', `Booking ${row.id} is already cancelled`)
    await markBookingCancelled(tx, row.id, by, reason ?? null)
    await emit(tx, { orgId: row.org_id, livemode: row.livemode }, bookingCancelled, {
      id: row.id,
      cancelled_by: by,
      reason: reason ?? null,
    })
    await this.notify(tx, row.id, 'cancelled')
  }

  /**
   * Moves a confirmed booking to another offered slot of its event type, under the host lock. The
   * booking's own current time does not block it (a move by one step within it is allowed).
   */
  async move(tx: Tx, id: string, start: Date, by: 'guest' | 'host', lockedRead: () => Promise<BookingRow>) {
    const before = await lockedRead()
    const host = await lockHost(tx, before.user_id)
    const row = await lockedRead() // read again under the host lock: a concurrent change has committed
    if (row.status !== 'confirmed') throw new ApiError('conflict', `Booking ${id} is cancelled`)
    if (!row.event_type_id) throw new ApiError('conflict', 'The event type of this booking was deleted')
    const eventType = await getEventTypeById(tx, row.event_type_id)
    if (!(await this.isOffered(tx, host, eventType, start, row.id))) throw slotUnavailable()
    const end = new Date(start.getTime() + eventType.duration_minutes * 60_000)
    await moveBookingTime(tx, row.id, start, end)
    await emit(tx, { orgId: row.org_id, livemode: row.livemode }, bookingRescheduled, {
      id: row.id,
      previous_start_time: row.start_time.toISOString(),
      start_time: start.toISOString(),
      end_time: end.toISOString(),
      rescheduled_by: by,
    })
    await this.notify(tx, row.id, 'rescheduled')
  }
}
