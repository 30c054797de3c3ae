import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import {
  BookingConfirmation,
  BookingCreate,
  BookingIdParams,
  BookingPage,
  GuestCancel,
  GuestReschedule,
  PublicBooking,
  PublicPageParams,
  SlotsQuery,
  SlotsResponse,
  TokenQuery,
} from './bookings.schemas.js'
import type { GuestBookingsService } from './guest-bookings.service.js'

const PUBLIC = ' Public: no API key.'
const TOKEN = ' The `token` is the `cancel_token` of the booking; a wrong token is a 404, like an unknown id.'

/** The unauthenticated routes of booking pages (no `scope`: the auth hook lets them through). */
export function bookingPagesRoutes(bookings: GuestBookingsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['booking pages']

    app.get(
      '/api/public/booking/:username/:slug',
      {
        schema: {
          operationId: 'getBookingPage',
          summary: 'Get a booking page',
          description: `What a booking page shows: host name and time zone, title, description, duration, kind of location. Unknown host or slug, or an inactive event type: 404.${PUBLIC}`,
          tags,
          params: PublicPageParams,
          response: { 200: BookingPage },
        },
      },
      async (req) => bookings.page(req.params.username, req.params.slug),
    )

    app.get(
      '/api/public/booking/:username/:slug/slots',
      {
        schema: {
          operationId: 'listSlots',
          summary: 'List offered slots',
          description: `The starts offered between two dates (both included, at most 62 days) in the visitor's time zone, grouped by visitor-local date. A bad date or zone: 422 naming \`start\`, \`end\` or \`timezone\`.${PUBLIC}`,
          tags,
          params: PublicPageParams,
          querystring: SlotsQuery,
          response: { 200: SlotsResponse },
        },
      },
      async (req) => bookings.slots(req.params.username, req.params.slug, req.query),
    )

    app.post(
      '/api/public/booking/:username/:slug/bookings',
      {
        schema: {
          operationId: 'createBooking',
          summary: 'Book a slot',
          description: `Books an offered start. Creates the guest's contact (source \`booking\`) or finds it by email, logs a \`meeting\` activity on it, and emits \`booking.created\` (and \`contact.created\` for a new contact). A start that is not offered, or was just taken: 409 \`slot_unavailable\`. Two requests for one slot never both succeed. The answer's \`cancel_token\` is shown only once.${PUBLIC}`,
          tags,
          params: PublicPageParams,
          body: BookingCreate,
          response: { 201: BookingConfirmation },
        },
      },
      async (req, reply) => reply.code(201).send(await bookings.book(req.params.username, req.params.slug, req.body)),
    )

    app.get(
      '/api/public/bookings/:id',
      {
        schema: {
          operationId: 'getBookingAsGuest',
          summary: 'Get a booking (guest)',
          description: `The booking as its guest sees it (what the booking answer showed, without \`cancel_token\`): what the "manage your booking" page shows.${TOKEN}${PUBLIC}`,
          tags,
          params: BookingIdParams,
          querystring: TokenQuery,
          response: { 200: PublicBooking },
        },
      },
      async (req, reply) => {
        // The answer carries the guest's name and email: no shared cache may keep it.
        reply.header('cache-control', 'private, no-store')
        return bookings.getAsGuest(req.params.id, req.query.token)
      },
    )

    app.post(
      '/api/public/bookings/:id/cancel',
      {
        schema: {
          operationId: 'cancelBookingAsGuest',
          summary: 'Cancel a booking (guest)',
          description: `Cancels the booking and emits \`booking.cancelled\` (\`cancelled_by: guest\`); its time is offered again. Already cancelled or already started: 409.${TOKEN}${PUBLIC}`,
          tags,
          params: BookingIdParams,
          body: GuestCancel,
          response: { 200: PublicBooking },
        },
      },
      async (req) => bookings.cancelAsGuest(req.params.id, req.body.token, req.body.reason),
    )

    app.post(
      '/api/public/bookings/:id/reschedule',
      {
        schema: {
          operationId: 'rescheduleBookingAsGuest',
          summary: 'Reschedule a booking (guest)',
          description: `Moves the booking to another offered slot, atomically; its own current time does not block it. Not offered: 409 \`slot_unavailable\`.${TOKEN}${PUBLIC}`,
          tags,
          params: BookingIdParams,
          body: GuestReschedule,
          response: { 200: PublicBooking },
        },
      },
      async (req) => bookings.rescheduleAsGuest(req.params.id, req.body.token, req.body.start),
    )

    app.get(
      '/api/public/bookings/:id/ics',
      {
        schema: {
          operationId: 'getBookingIcs',
          summary: 'Download the calendar file',
          description: `The booking as an iCalendar file (\`text/calendar\`, RFC 5545, times in UTC); \`METHOD:CANCEL\` once cancelled.${TOKEN}${PUBLIC}`,
          tags,
          params: BookingIdParams,
          querystring: TokenQuery,
          response: {
            200: {
              description: 'The iCalendar file',
              content: { 'text/calendar': { schema: Type.String({ description: 'RFC 5545 calendar data' }) } },
            },
          },
        },
      },
      async (req, reply) => {
        // The file name comes from the stored booking, never from the path: an id that names no
        // booking is a 404 with no header built from it.
        const { bookingId, calendar } = await bookings.ics(req.params.id, req.query.token)
        return reply
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', `attachment; filename="${bookingId}.ics"`)
          .header('cache-control', 'private, no-store')
          .send(calendar)
      },
    )
  }
}
