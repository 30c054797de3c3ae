import { ApiError } from '../../core/errors.js'
import type { TenantScope } from '../../core/tenancy.js'
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
  type SlotsResult,
  validateSlotQuery,
  validateTimeZone,
} from '../../slot-engine/index.js'
import { logActivity } from '../activities/log-activity.js'
import { contactUpdated } from '../contacts/contacts.events.js'
import { upsertContactByEmail } from '../contacts/upsert-by-email.js'
import type { BookingEmails } from '../email/booking-emails.js'
import { findHostByUsername } from '../users/users.repo.js'
import { loadAvailability } from './availability.repo.js'
import { BookingChanges, settingsOf, slotUnavailable } from './booking-changes.js'
import { bookingCreated } from './bookings.events.js'
import { type BookingRow, findBookingById, hostBookingsIn, insertBooking } from './bookings.repo.js'
import type { BookingConfirmation, BookingCreate, BookingPage, PublicBooking, SlotsQuery } from './bookings.schemas.js'
import { toPublicBooking } from './bookings.view.js'
import { findActiveEventTypeBySlug } from './event-types.repo.js'
import { bookingIcs } from './ics.js'

/** Bookings made on public pages are live-mode objects of the host's organization. */
const liveScope = (orgId: string): TenantScope => ({ orgId, livemode: true })

const pageNotFound = () => new ApiError('not_found', 'No such booking page')
const bookingNotFound = (id: string) => new ApiError('not_found', `Booking ${id} not found`)

/**
 * The guest's flow, with no key: booking pages and their slots, booking a slot, and then reading,
 * cancelling, moving or downloading the booking with its token (the `cancel_token` shown once).
 */
export class GuestBookingsService {
  private readonly changes: BookingChanges

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** Queues the confirmation, cancellation and reschedule emails in the change's transaction. */
    emails?: BookingEmails,
  ) {
    this.changes = new BookingChanges(clock, emails)
  }

  /** The host (by username, case-insensitively) and the active event type (by slug), or 404. */
  private async findPage(executor: Executor, username: string, slug: string, lockHost = false) {
    const host = await findHostByUsername(executor, username, { forUpdate: lockHost })
    if (!host) throw pageNotFound()
    const eventType = await findActiveEventTypeBySlug(executor, host.id, slug)
    if (!eventType) throw pageNotFound()
    return { host, eventType }
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
      if (!(await this.changes.isOffered(tx, host, eventType, start))) throw slotUnavailable()
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
      await insertBooking(tx, scope, {
        id: bookingId,
        host,
        eventType,
        contactId: contact.id,
        start,
        end,
        guest: input.guest,
        notes: input.notes ?? null,
        cancelTokenHash: sha256Hex(token),
        now,
      })
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
      await this.changes.notify(tx, bookingId, 'confirmed', token)
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

  private async lockedByToken(tx: Tx, id: string, token: string) {
    const row = await this.byToken(tx, id, token, true)
    this.assertGuestMayChange(row)
    return row
  }

  async cancelAsGuest(id: string, token: string, reason: string | undefined): Promise<PublicBooking> {
    await inTransaction(this.db, async (tx) => {
      await this.changes.cancel(tx, await this.lockedByToken(tx, id, token), 'guest', reason)
    })
    return this.publicView(id, token)
  }

  async rescheduleAsGuest(id: string, token: string, start: string): Promise<PublicBooking> {
    await inTransaction(this.db, async (tx) => {
      await this.changes.move(tx, id, new Date(start), 'guest', () => this.lockedByToken(tx, id, token))
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
}
