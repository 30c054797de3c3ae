import type { BookingRow } from './bookings.repo.js'
import type { Booking, PublicBooking } from './bookings.schemas.js'

/** Where the guest downloads the booking's calendar file (the token proves the right to it). */
export function icsUrl(id: string, token: string): string {
  return `/api/public/bookings/${id}/ics?token=${encodeURIComponent(token)}`
}

function commonOf(row: BookingRow) {
  return {
    id: row.id,
    object: 'booking' as const,
    event_type: row.event_type_slug,
    event_type_title: row.event_type_title,
    host_name: row.host_name,
    start_time: row.start_time.toISOString(),
    end_time: row.end_time.toISOString(),
    status: row.status,
    guest_name: row.guest_name,
    guest_email: row.guest_email,
    guest_timezone: row.guest_timezone,
    notes: row.notes,
    location: row.location,
    cancelled_at: row.cancelled_at ? row.cancelled_at.toISOString() : null,
    cancelled_by: row.cancelled_by,
    cancel_reason: row.cancel_reason,
    rescheduled_at: row.rescheduled_at ? row.rescheduled_at.toISOString() : null,
    created_at: row.created_at.toISOString(),
  }
}

/** The booking as the host's API shows it. */
export function toBooking(row: BookingRow): Booking {
  return {
    ...commonOf(row),
    event_type_id: row.event_type_id,
    user_id: row.user_id,
    contact_id: row.contact_id,
    updated_at: row.updated_at.toISOString(),
  }
}

/** The booking as its guest sees it: no internal ids, the host's username and the calendar link. */
export function toPublicBooking(row: BookingRow, token: string): PublicBooking {
  return { ...commonOf(row), host_username: row.host_username, ics_url: icsUrl(row.id, token) }
}
