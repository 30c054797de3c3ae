import { sql } from 'kysely'
import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { Principal, TenantScope } from '../../core/tenancy.js'
import type { Db, Executor, Tx } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import type { Clock } from '../../lib/clock.js'
import { randomBase62, safeEqual, sha256Hex } from '../../lib/crypto.js'
import { newId } from '../../lib/ids.js'
import { emit } from '../../outbox/emit.js'
import {
  assertNoErrors,
  bookingLoadSpan,
  computeSlots,
  type EventTypeSettings,
  isSlotOffered,
  type SlotsResult,
  validateSlotQuery,
  validateTimeZone,
} from '../../slot-engine/index.js'
import { logActivity } from '../activities/log-activity.js'
import { contactUpdated } from '../contacts/contacts.events.js'
import { upsertContactByEmail } from '../contacts/upsert-by-email.js'
import type { BookingEmails } from '../email/booking-emails.js'
import { loadAvailability } from './availability.service.js'
import { bookingCancelled, bookingCreated, bookingRescheduled } from './bookings.events.js'
import { type BookingRow, findBooking, findBookingById, hostBookingsIn, listBookings } from './bookings.repo.js'
import type {
  Booking,
  BookingConfirmation,
  BookingCreate,
  BookingListQuery,
  BookingPage,
  PublicBooking,
  SlotsQuery,
} from './bookings.schemas.js'
import { EVENT_TYPE_COLUMNS, type EventTypeRow } from './event-types.service.js'
import { bookingIcs } from './ics.js'

interface Host {
  id: string
  org_id: string
  name: string
  email: string
  username: string
  timezone: string
}

/** Bookings made on public pages are live-mode objects of the host's organization. */
const liveScope = (orgId: string): TenantScope => ({ orgId, livemode: true })

const pageNotFound = () => new ApiError('not_found', 'No such booking page')
const bookingNotFound = (id: string) => new ApiError('not_found', `Booking ${id} not found`)
const slotUnavailable = () =>
  new ApiError('slot_unavailable', 'This time is not offered (any more): fetch the slots again and pick another')

function settingsOf(et: EventTypeRow): EventTypeSettings {
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

export function toBooking(row: BookingRow): Booking {
  return {
    ...commonOf(row),
    event_type_id: row.event_type_id,
    user_id: row.user_id,
    contact_id: row.contact_id,
    updated_at: row.updated_at.toISOString(),
  }
}

export function toPublicBooking(row: BookingRow, token: string): PublicBooking {
  return { ...commonOf(row), host_username: row.host_username, ics_url: icsUrl(row.id, token) }
}

/**
 * Booking pages, slots and bookings. The no-double-booking rule: every write that takes or moves
 * a host's time first locks the host's `users` row (`select … for update`), then loads the host's
 * bookings around the start and checks the slot with the engine, then writes. Two such
 * transactions for one host run one after the other, so the second sees the first's booking.
 */
export class BookingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** Queues the confirmation, cancellation and reschedule emails in the change's transaction. */
    private readonly emails?: BookingEmails,
  ) {}

  /** The host (by username, case-insensitively) and the active event type (by slug), or 404. */
  private async findPage(executor: Executor, username: string, slug: string, lockHost = false) {
    let hostQuery = executor
      .selectFrom('users')
      .select(['id', 'org_id', 'name', 'email', 'username', 'timezone'])
      .where(sql<boolean>`lower(username) = lower(${username})`)
    if (lockHost) hostQuery = hostQuery.forUpdate()
    const host = (await hostQuery.executeTakeFirst()) as Host | undefined
    if (!host) throw pageNotFound()
    const eventType = await executor
      .selectFrom('event_types')
      .select(EVENT_TYPE_COLUMNS)
      .where('user_id', '=', host.id)
      .where(sql<boolean>`lower(slug) = lower(${slug})`)
      .where('active', '=', true)
      .executeTakeFirst()
    if (!eventType) throw pageNotFound()
    return { host, eventType }
  }

  /** Whether `start` is offered for `eventType` now, given the host's other bookings (not `exceptId`). */
  private async isOffered(tx: Tx, host: Host, eventType: EventTypeRow, start: Date, exceptId?: string) {
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

  async page(username: string, slug: string): Promise<BookingPage> {
    const { host, eventType } = await this.findPage(this.db, username, slug)
    return {
      host_name: host.name,
      host_username: host.username,
      host_timezone: host.timezone,
      slug: eventType.slug,
      title: eventType.title,
      description: eventType.description,
      duration_minutes: eventType.duration_minutes,
      location_type: eventType.location?.type ?? null,
    }
  }

  async slots(username: string, slug: string, query: SlotsQuery): Promise<SlotsResult> {
    assertNoErrors(validateSlotQuery(query))
    const { host, eventType } = await this.findPage(this.db, username, slug)
    const settings = settingsOf(eventType)
    const span = bookingLoadSpan(host.timezone, settings, query)
    const [availability, bookings] = await Promise.all([
      loadAvailability(this.db, host.id),
      hostBookingsIn(this.db, host.id, span),
    ])
    return computeSlots(
      { hostTimeZone: host.timezone, availability, eventType: settings, bookings, nowMs: this.clock.nowMs() },
      query,
    )
  }

  /**
   * Books an offered slot: the guest's contact (created or found by email), the booking, a
   * `meeting` activity on the contact's timeline and the events, in one transaction.
   */
  async book(username: string, slug: string, input: BookingCreate): Promise<BookingConfirmation> {
    assertNoErrors(validateTimeZone(input.guest.timezone, 'guest.timezone'))
    const start = new Date(input.start)
    const token = randomBase62(192)
    const id = await inTransaction(this.db, async (tx) => {
      const { host, eventType } = await this.findPage(tx, username, slug, true)
      if (!(await this.isOffered(tx, host, eventType, start))) throw slotUnavailable()
      const scope = liveScope(host.org_id)
      const { contact } = await upsertContactByEmail(
        tx,
        scope,
        { name: input.guest.name, email: input.guest.email },
        { source: 'booking', updateEvent: contactUpdated },
      )
      const end = new Date(start.getTime() + eventType.duration_minutes * 60_000)
      const now = new Date()
      const bookingId = newId('booking')
      await tx
        .insertInto('bookings')
        .values({
          id: bookingId,
          org_id: host.org_id,
          livemode: true,
          event_type_id: eventType.id,
          event_type_slug: eventType.slug,
          event_type_title: eventType.title,
          location: eventType.location ? JSON.stringify(eventType.location) : null,
          user_id: host.id,
          contact_id: contact.id,
          start_time: start,
          end_time: end,
          status: 'confirmed',
          guest_name: input.guest.name,
          guest_email: input.guest.email,
          guest_timezone: input.guest.timezone,
          notes: input.notes ?? null,
          cancel_token_hash: sha256Hex(token),
          created_at: now,
          updated_at: now,
        })
        .execute()
      await logActivity(tx, scope, {
        id: newId('activity'),
        type: 'meeting',
        summary: `${eventType.title} with ${host.name} (booked by ${input.guest.name})`,
        body: input.notes ?? null,
        occurred_at: start,
        duration_minutes: eventType.duration_minutes,
        contact_id: contact.id,
        deal_id: null,
        created_at: now,
        updated_at: now,
      })
      await emit(tx, scope, bookingCreated, {
        id: bookingId,
        event_type: eventType.slug,
        guest_email: input.guest.email,
        start_time: start.toISOString(),
        end_time: end.toISOString(),
        host_name: host.name,
      })
      await this.emails?.notify(tx, bookingId, 'confirmed', token)
      return bookingId
    })
    return { ...(await this.publicView(id, token)), cancel_token: token }
  }

  /** The booking as its guest sees it, read after the change that the caller committed. */
  private async publicView(id: string, token: string): Promise<PublicBooking> {
    const row = (await findBookingById(this.db, id))!
    return toPublicBooking(row, token)
  }

  /** The guest's read of the booking (the manage page's): a wrong token is the same 404 as an unknown id. */
  async getAsGuest(id: string, token: string): Promise<PublicBooking> {
    return toPublicBooking(await this.byToken(this.db, id, token), token)
  }

  /** The booking the token belongs to, locked when asked; a wrong token is the same 404 as an unknown id. */
  private async byToken(executor: Executor, id: string, token: string, forUpdate = false) {
    const row = await findBookingById(executor, id, { forUpdate })
    if (!row || !safeEqual(sha256Hex(token), row.cancel_token_hash)) throw bookingNotFound(id)
    return row
  }

  private assertGuestMayChange(row: BookingRow) {
    if (row.start_time.getTime() <= this.clock.nowMs())
      throw new ApiError('conflict', 'This booking has already started: ask the host to change it')
  }

  private async cancel(tx: Tx, row: BookingRow, by: 'guest' | 'host', reason: string | undefined) {
    if (row.status === 'cancelled') throw new ApiError('conflict', `Booking ${row.id} is already cancelled`)
    await tx
      .updateTable('bookings')
      .set({
        status: 'cancelled',
        cancelled_at: sql`now()`,
        cancelled_by: by,
        cancel_reason: reason ?? null,
        sequence: sql`sequence + 1`,
        updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
      })
      .where('id', '=', row.id)
      .execute()
    await emit(tx, { orgId: row.org_id, livemode: row.livemode }, bookingCancelled, {
      id: row.id,
      cancelled_by: by,
      reason: reason ?? null,
    })
    await this.emails?.notify(tx, row.id, 'cancelled')
  }

  /**
   * Moves a confirmed booking to another offered slot of its event type, under the host lock. The
   * booking's own current time does not block it (a move by one step within it is allowed).
   */
  private async move(tx: Tx, id: string, start: Date, by: 'guest' | 'host', lockedRead: () => Promise<BookingRow>) {
    const before = await lockedRead()
    const host = (await tx
      .selectFrom('users')
      .select(['id', 'org_id', 'name', 'email', 'username', 'timezone'])
      .where('id', '=', before.user_id)
      .forUpdate()
      .executeTakeFirstOrThrow()) as Host
    const row = await lockedRead() // read again under the host lock: a concurrent change has committed
    if (row.status !== 'confirmed') throw new ApiError('conflict', `Booking ${id} is cancelled`)
    if (!row.event_type_id) throw new ApiError('conflict', 'The event type of this booking was deleted')
    const eventType = await tx
      .selectFrom('event_types')
      .select(EVENT_TYPE_COLUMNS)
      .where('id', '=', row.event_type_id)
      .executeTakeFirstOrThrow()
    if (!(await this.isOffered(tx, host, eventType, start, row.id))) throw slotUnavailable()
    const end = new Date(start.getTime() + eventType.duration_minutes * 60_000)
    await tx
      .updateTable('bookings')
      .set({
        start_time: start,
        end_time: end,
        rescheduled_at: sql`now()`,
        sequence: sql`sequence + 1`,
        updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
      })
      .where('id', '=', row.id)
      .execute()
    await emit(tx, { orgId: row.org_id, livemode: row.livemode }, bookingRescheduled, {
      id: row.id,
      previous_start_time: row.start_time.toISOString(),
      start_time: start.toISOString(),
      end_time: end.toISOString(),
      rescheduled_by: by,
    })
    await this.emails?.notify(tx, row.id, 'rescheduled')
  }

  async cancelAsGuest(id: string, token: string, reason: string | undefined): Promise<PublicBooking> {
    await inTransaction(this.db, async (tx) => {
      const row = await this.byToken(tx, id, token, true)
      this.assertGuestMayChange(row)
      await this.cancel(tx, row, 'guest', reason)
    })
    return this.publicView(id, token)
  }

  async rescheduleAsGuest(id: string, token: string, start: string): Promise<PublicBooking> {
    await inTransaction(this.db, async (tx) => {
      const lockedRead = async () => {
        const row = await this.byToken(tx, id, token, true)
        this.assertGuestMayChange(row)
        return row
      }
      await this.move(tx, id, new Date(start), 'guest', lockedRead)
    })
    return this.publicView(id, token)
  }

  /** The booking as an iCalendar file, with the id of the stored booking (the file's name). */
  async ics(id: string, token: string): Promise<{ bookingId: string; calendar: string }> {
    const row = await this.byToken(this.db, id, token)
    const calendar = bookingIcs({
      id: row.id,
      sequence: row.sequence,
      status: row.status,
      start: row.start_time,
      end: row.end_time,
      stamp: row.updated_at,
      summary: `${row.event_type_title} with ${row.host_name}`,
      description: row.notes,
      location: row.location?.value ?? null,
      organizer: { name: row.host_name, email: row.host_email },
      attendee: { name: row.guest_name, email: row.guest_email },
    })
    return { bookingId: row.id, calendar }
  }

  async get(principal: Principal, id: string): Promise<Booking> {
    const row = await findBooking(this.db, principal, id)
    if (!row) throw bookingNotFound(id)
    return toBooking(row)
  }

  async list(principal: Principal, query: BookingListQuery & PageParams) {
    const page = await listBookings(this.db, principal, query)
    return { ...page, data: page.data.map(toBooking) }
  }

  async cancelAsHost(principal: Principal, id: string, reason: string | undefined): Promise<Booking> {
    await inTransaction(this.db, async (tx) => {
      const row = await findBooking(tx, principal, id, { forUpdate: true })
      if (!row) throw bookingNotFound(id)
      await this.cancel(tx, row, 'host', reason)
    })
    return this.get(principal, id)
  }

  async rescheduleAsHost(principal: Principal, id: string, start: string): Promise<Booking> {
    await inTransaction(this.db, async (tx) => {
      const lockedRead = async () => {
        const row = await findBooking(tx, principal, id, { forUpdate: true })
        if (!row) throw bookingNotFound(id)
        return row
      }
      await this.move(tx, id, new Date(start), 'host', lockedRead)
    })
    return this.get(principal, id)
  }
}
