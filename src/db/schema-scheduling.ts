import type { ColumnType } from 'kysely'
import type { Json, Timestamp } from './columns.js'

/** Where a meeting happens: a video link, a phone number, an address or free text. */
export interface EventLocation {
  type: 'video' | 'phone' | 'address' | 'text'
  value: string
}

export type BookingStatus = 'confirmed' | 'cancelled'

/** An integer column with a default: optional on insert. */
type IntWithDefault = ColumnType<number, number | undefined, number>

export interface EventTypesTable {
  id: string
  org_id: string
  user_id: string
  slug: string
  title: string
  description: string | null
  duration_minutes: number
  location: ColumnType<EventLocation | null, string | null, string | null>
  buffer_before_minutes: IntWithDefault
  buffer_after_minutes: IntWithDefault
  minimum_notice_minutes: IntWithDefault
  slot_step_minutes: number | null
  max_per_day: number | null
  booking_window_days: number | null
  active: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AvailabilitiesTable {
  user_id: string
  org_id: string
  weekly: Json<{ day: string; start: string; end: string }[]>
  overrides: Json<{ date: string; ranges: { start: string; end: string }[] }[]>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface BookingsTable {
  id: string
  org_id: string
  livemode: boolean
  event_type_id: string | null
  event_type_slug: string
  event_type_title: string
  location: ColumnType<EventLocation | null, string | null, string | null>
  user_id: string
  contact_id: string | null
  start_time: Timestamp
  end_time: Timestamp
  status: ColumnType<BookingStatus, BookingStatus | undefined, BookingStatus>
  guest_name: string
  guest_email: string
  guest_timezone: string
  notes: string | null
  cancel_token_hash: string
  cancelled_at: Timestamp | null
  cancelled_by: 'guest' | 'host' | null
  cancel_reason: string | null
  rescheduled_at: Timestamp | null
  sequence: ColumnType<number, number | undefined, number>
  created_at: Timestamp
  updated_at: Timestamp
}

/** Tables of event types, availability and bookings (migration 0007). */
export interface SchedulingTables {
  event_types: EventTypesTable
  availabilities: AvailabilitiesTable
  bookings: BookingsTable
}
