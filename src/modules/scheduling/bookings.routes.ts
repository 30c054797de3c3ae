import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import {
  Booking,
  BookingIdParams,
  BookingList,
  BookingListQuery,
  HostCancel,
  HostReschedule,
} from './bookings.schemas.js'
import type { HostBookingsService } from './host-bookings.service.js'

const LIVE_ONLY = ' Bookings are made on public booking pages, in live mode: a test key sees none.'

export function bookingsRoutes(bookings: HostBookingsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['scheduling']

    app.get(
      '/api/v1/bookings',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listBookings',
          summary: 'List bookings',
          description: `Bookings filtered by host, event type, contact (\`contact_id\`: a contact's bookings), status and start time; by start time unless \`sort\` says otherwise; paged.${LIVE_ONLY}`,
          tags,
          querystring: BookingListQuery,
          response: { 200: BookingList },
        },
      },
      async (req) => bookings.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/bookings/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getBooking',
          summary: 'Get a booking',
          description: `Answers with an \`ETag\`.${LIVE_ONLY}`,
          tags,
          params: BookingIdParams,
          response: { 200: Booking },
        },
      },
      async (req) => bookings.get(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/bookings/:id/cancel',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'cancelBooking',
          summary: 'Cancel a booking (host)',
          description:
            'Cancels a confirmed booking on the host’s behalf and emits `booking.cancelled` (`cancelled_by: host`); its time is offered again. Already cancelled: 409.',
          tags,
          params: BookingIdParams,
          body: HostCancel,
          response: { 200: Booking },
        },
      },
      async (req) => bookings.cancelAsHost(req.principal, req.params.id, req.body.reason),
    )

    app.post(
      '/api/v1/bookings/:id/reschedule',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'rescheduleBooking',
          summary: 'Reschedule a booking (host)',
          description:
            'Moves a confirmed booking to another offered slot of its event type, atomically (its own current time does not block it). A start that is not offered: 409 `slot_unavailable`; a cancelled booking: 409 `conflict`.',
          tags,
          params: BookingIdParams,
          body: HostReschedule,
          response: { 200: Booking },
        },
      },
      async (req) => bookings.rescheduleAsHost(req.principal, req.params.id, req.body.start),
    )
  }
}
