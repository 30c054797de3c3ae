import { DateTime } from 'luxon'
import type { Tx } from '../../db/schema.js'
import type { PublicUrl } from '../../lib/public-url.js'
import { findBookingById } from '../scheduling/bookings.repo.js'
import { bookingIcs } from '../scheduling/ics.js'
import { renderTemplate } from './liquid.js'
import { findUserTimezone } from './people.repo.js'
import { findSettings } from './settings.repo.js'
import { queueSystemEmail, type SystemFrom } from './system.js'

export type BookingChange = 'confirmed' | 'cancelled' | 'rescheduled'

const SUBJECT: Record<BookingChange, string> = {
  confirmed: 'Confirmed: {{ title }} with {{ other }} on {{ when }}',
  cancelled: 'Cancelled: {{ title }} with {{ other }} on {{ when }}',
  rescheduled: 'New time: {{ title }} with {{ other }} on {{ when }}',
}

/** The body of every booking message; values are HTML-escaped by the engine. */
const HTML = `<p>Hello {{ name }},</p>
{% if change == 'confirmed' and for_host %}<p>{{ other }} booked:</p>
{% elsif change == 'confirmed' %}<p>Your booking is confirmed:</p>
{% elsif change == 'cancelled' %}<p>This booking was cancelled{% if cancelled_by %} by the {{ cancelled_by }}{% endif %}:</p>
{% else %}<p>This booking has a new time:</p>
{% endif %}<p><strong>{{ title }}</strong><br>{{ when }}{% if location %}<br>{{ location }}{% endif %}</p>
{% if reason %}<p>Reason: {{ reason }}</p>
{% endif %}{% if manage_url %}<p><a href="{{ manage_url }}">Reschedule or cancel</a></p>
{% endif %}<p>The attached calendar file updates your calendar.</p>`

/**
 * Booking confirmations, cancellations and reschedules to the guest and the host, each with the
 * booking's .ics attached, queued in the transaction of the change (turned off per organization by
 * `booking_emails`). Times are shown in each reader's time zone.
 */
export class BookingEmails {
  constructor(
    private readonly publicUrl: PublicUrl,
    private readonly fallbackFrom: SystemFrom,
  ) {}

  /** `manageToken`: the guest's token, known only when the booking is made (the link goes in the fragment). */
  async notify(tx: Tx, bookingId: string, change: BookingChange, manageToken?: string): Promise<void> {
    const b = await findBookingById(tx, bookingId)
    if (!b || !(await findSettings(tx, b.org_id)).booking_emails) return
    const hostZone = await findUserTimezone(tx, b.user_id)
    const scope = { orgId: b.org_id, livemode: b.livemode }
    const ics = bookingIcs({
      id: b.id,
      sequence: b.sequence,
      status: b.status,
      start: b.start_time,
      end: b.end_time,
      stamp: b.updated_at,
      summary: `${b.event_type_title} with ${b.host_name}`,
      description: b.notes,
      location: b.location?.value ?? null,
      organizer: { name: b.host_name, email: b.host_email },
      attendee: { name: b.guest_name, email: b.guest_email },
    })
    const attachment = {
      filename: `${b.id}.ics`,
      content_type: `text/calendar; charset=utf-8; method=${b.status === 'cancelled' ? 'CANCEL' : 'PUBLISH'}`,
      content: Buffer.from(ics, 'utf8').toString('base64'),
    }
    const readers = [
      {
        forHost: false,
        to: { email: b.guest_email, name: b.guest_name, contactId: b.contact_id },
        zone: b.guest_timezone,
        other: b.host_name,
      },
      {
        forHost: true,
        to: { email: b.host_email, name: b.host_name, contactId: null },
        zone: hostZone ?? 'UTC',
        other: b.guest_name,
      },
    ]
    for (const reader of readers) {
      const when = DateTime.fromJSDate(b.start_time, { zone: reader.zone }).toFormat('cccc d LLLL yyyy, HH:mm ZZZZ')
      const variables = {
        change,
        for_host: reader.forHost,
        name: reader.to.name,
        other: reader.other,
        title: b.event_type_title,
        when,
        location: b.location?.value ?? null,
        cancelled_by: change === 'cancelled' ? b.cancelled_by : null,
        reason: change === 'cancelled' ? b.cancel_reason : null,
        manage_url: !reader.forHost && manageToken ? this.publicUrl.link(`/book/manage/${b.id}`, manageToken) : null,
      }
      await queueSystemEmail(tx, scope, 'booking_emails', this.fallbackFrom, {
        to: reader.to,
        subject: await renderTemplate(SUBJECT[change], 'text', variables),
        html: await renderTemplate(HTML, 'html', variables),
        text: null,
        category: `booking.${change}`,
        attachments: [attachment],
      })
    }
  }
}
