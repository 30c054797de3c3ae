import { type ExpressionBuilder, type Selectable, type SelectQueryBuilder, sql } from 'kysely'
import { type PageParams, paginate, type SortSpec } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Database, Executor, Tx } from '../../db/schema.js'
import type { BookingsTable } from '../../db/schema-scheduling.js'
import { type NoSelection, scoped } from '../../db/scoped.js'
import type { Host } from '../users/users.repo.js'
import type { BookingListQuery } from './bookings.schemas.js'
import type { EventTypeRow } from './event-types.repo.js'

export type BookingRow = Omit<Selectable<BookingsTable>, 'org_id' | 'livemode'> & {
  org_id: string
  livemode: boolean
  host_name: string
  host_email: string
  /** Public booking answers carry it: the manage page fetches the event type's slots by it. */
  host_username: string
}

const COLUMNS = [
  'id',
  'org_id',
  'livemode',
  'event_type_id',
  'event_type_slug',
  'event_type_title',
  'location',
  'user_id',
  'contact_id',
  'start_time',
  'end_time',
  'status',
  'guest_name',
  'guest_email',
  'guest_timezone',
  'notes',
  'cancel_token_hash',
  'cancelled_at',
  'cancelled_by',
  'cancel_reason',
  'rescheduled_at',
  'sequence',
  'created_at',
  'updated_at',
] as const

/** A booking's host's name, email and username (read through the host's row), beside its own columns. */
const hostColumns = (eb: ExpressionBuilder<Database, 'bookings'>) =>
  (['name', 'email', 'username'] as const).map((column) =>
    eb.selectFrom('users').select(`users.${column}`).whereRef('users.id', '=', 'bookings.user_id').as(`host_${column}`),
  )

/** The booking's own columns plus its host's, from the bookings `from` starts with. */
function selectBooking(from: SelectQueryBuilder<Database, 'bookings', NoSelection>) {
  return from.select(COLUMNS.map((c) => `bookings.${c}` as const)).select(hostColumns)
}

export async function findBooking(
  executor: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<BookingRow | undefined> {
  let q = selectBooking(scoped(executor, 'bookings', scope, { qualified: true })).where('bookings.id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return (await q.executeTakeFirst()) as BookingRow | undefined
}

/** A booking by id alone, for the public token routes (the token, not a key, proves the right to it). */
export async function findBookingById(
  executor: Executor,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<BookingRow | undefined> {
  let q = selectBooking(executor.selectFrom('bookings')).where('bookings.id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return (await q.executeTakeFirst()) as BookingRow | undefined
}

/**
 * How many confirmed bookings of an event type, or of a host, are still to come at `nowMs`, in both
 * modes: what stands in the way of deleting either.
 */
export async function countUpcomingBookings(
  executor: Executor,
  of: { eventTypeId: string } | { userId: string },
  nowMs: number,
): Promise<number> {
  const [column, id] =
    'eventTypeId' in of ? (['event_type_id', of.eventTypeId] as const) : (['user_id', of.userId] as const)
  const row = await executor
    .selectFrom('bookings')
    .select(sql<number>`count(*)::int`.as('n'))
    .where(column, '=', id)
    .where('status', '=', 'confirmed')
    .where('end_time', '>', new Date(nowMs))
    .executeTakeFirstOrThrow()
  return row.n
}

/**
 * The host's confirmed bookings overlapping `[startMs, endMs)`, in every mode and event type: a
 * host has one calendar. `exceptId` leaves out the booking being moved.
 */
export async function hostBookingsIn(
  executor: Executor,
  userId: string,
  span: { startMs: number; endMs: number },
  exceptId?: string,
): Promise<{ start: Date; end: Date }[]> {
  let q = executor
    .selectFrom('bookings')
    .select(['start_time as start', 'end_time as end'])
    .where('user_id', '=', userId)
    .where('status', '=', 'confirmed')
    .where('start_time', '<', new Date(span.endMs))
    .where('end_time', '>', new Date(span.startMs))
  if (exceptId) q = q.where('id', '<>', exceptId)
  return q.execute()
}

const SORTS: Record<string, Omit<SortSpec, 'descending' | 'name'>> = {
  start_time: { expression: sql`start_time`, castTo: 'timestamptz' },
  created_at: { expression: sql`created_at`, castTo: 'timestamptz' },
}

export async function listBookings(executor: Executor, scope: TenantScope, query: BookingListQuery & PageParams) {
  let q = scoped(executor, 'bookings', scope, { qualified: true })
  if (query.user_id !== undefined) q = q.where('bookings.user_id', '=', query.user_id)
  if (query.event_type_id !== undefined) q = q.where('bookings.event_type_id', '=', query.event_type_id)
  if (query.contact_id !== undefined) q = q.where('bookings.contact_id', '=', query.contact_id)
  if (query.status !== undefined) q = q.where('bookings.status', '=', query.status)
  if (query.starts_after !== undefined) q = q.where('bookings.start_time', '>=', new Date(query.starts_after))
  if (query.starts_before !== undefined) q = q.where('bookings.start_time', '<', new Date(query.starts_before))
  const sortKey = query.sort ?? 'start_time'
  const name = sortKey.replace(/^-/, '')
  const sort: SortSpec = { ...SORTS[name]!, name, descending: sortKey.startsWith('-') }
  const page = await paginate(
    q,
    (qb) => qb.select(COLUMNS.map((c) => `bookings.${c}` as const)).select(hostColumns),
    sql<string>`bookings.id`,
    sort,
    query,
  )
  return { ...page, data: page.data as unknown as BookingRow[] }
}

/** Writes a confirmed booking of `eventType` with `host`, the slug, title and location copied from the event type. */
export async function insertBooking(
  tx: Tx,
  scope: TenantScope,
  booking: {
    id: string
    host: Host
    eventType: EventTypeRow
    contactId: string
    start: Date
    end: Date
    guest: { name: string; email: string; timezone: string }
    notes: string | null
    cancelTokenHash: string
    now: Date
  },
): Promise<void> {
  const { eventType, guest } = booking
  await tx
    .insertInto('bookings')
    .values({
      id: booking.id,
      org_id: scope.orgId,
      livemode: scope.livemode,
      event_type_id: eventType.id,
      event_type_slug: eventType.slug,
      event_type_title: eventType.title,
      location: eventType.location ? JSON.stringify(eventType.location) : null,
      user_id: booking.host.id,
      contact_id: booking.contactId,
      start_time: booking.start,
      end_time: booking.end,
      status: 'confirmed',
      guest_name: guest.name,
      guest_email: guest.email,
      guest_timezone: guest.timezone,
      notes: booking.notes,
      cancel_token_hash: booking.cancelTokenHash,
      created_at: booking.now,
      updated_at: booking.now,
    })
    .execute()
}

/** Cancels a booking (its sequence moves on, so calendars replace the event). */
export async function markBookingCancelled(
  tx: Tx,
  id: string,
  by: 'guest' | 'host',
  reason: string | null,
): Promise<void> {
  await tx
    .updateTable('bookings')
    .set({
      status: 'cancelled',
      cancelled_at: sql`now()`,
      cancelled_by: by,
      cancel_reason: reason,
      sequence: sql`sequence + 1`,
      updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
    })
    .where('id', '=', id)
    .execute()
}

/** Moves a booking to `[start, end)` and marks it rescheduled (its sequence moves on). */
export async function moveBookingTime(tx: Tx, id: string, start: Date, end: Date): Promise<void> {
  await tx
    .updateTable('bookings')
    .set({
      start_time: start,
      end_time: end,
      rescheduled_at: sql`now()`,
      sequence: sql`sequence + 1`,
      updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
    })
    .where('id', '=', id)
    .execute()
}
