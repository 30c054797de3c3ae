import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { Principal } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import type { Clock } from '../../lib/clock.js'
import type { BookingEmails } from '../email/booking-emails.js'
import { BookingChanges } from './booking-changes.js'
import { findBooking, listBookings } from './bookings.repo.js'
import type { Booking, BookingListQuery } from './bookings.schemas.js'
import { toBooking } from './bookings.view.js'

const bookingNotFound = (id: string) => new ApiError('not_found', `Booking ${id} not found`)

/**
 * The host's flow, through the API (a key or a session of the organization): list and read
 * bookings, cancel or move one on the host's behalf. Bookings are live-mode objects: a test key
 * sees none.
 */
export class HostBookingsService {
  private readonly changes: BookingChanges

  constructor(
    private readonly db: Db,
    clock: Clock,
    /** Queues the cancellation and reschedule emails in the change's transaction. */
    emails?: BookingEmails,
  ) {
    this.changes = new BookingChanges(clock, emails)
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
      await this.changes.cancel(tx, row, 'host', reason)
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
      await this.changes.move(tx, id, new Date(start), 'host', lockedRead)
    })
    return this.get(principal, id)
  }
}
