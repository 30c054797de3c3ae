import Type from 'typebox'
import { defineEvent, eventAt, eventId, nullable } from '../../outbox/define.js'

const bookingId = eventId('bk_01jd3k8m2x7q9v4b6n5t0w1y2z')

export const bookingCreated = defineEvent({
  name: 'booking.created',
  description: 'A visitor booked a time slot',
  data: Type.Object({
    id: bookingId,
    event_type: Type.String({ description: 'Event type slug' }),
    guest_email: Type.String({ description: 'Guest email' }),
    start_time: eventAt('Start (UTC)'),
    end_time: eventAt('End (UTC)'),
    host_name: Type.String({ description: 'Host name' }),
  }),
  aliases: ['booking_received'],
})

export const bookingRescheduled = defineEvent({
  name: 'booking.rescheduled',
  description: 'A booking was moved to another time (by the guest or the host)',
  data: Type.Object({
    id: bookingId,
    previous_start_time: eventAt('Start before the move (UTC)'),
    start_time: eventAt('New start (UTC)'),
    end_time: eventAt('New end (UTC)'),
    rescheduled_by: Type.String({ description: 'guest or host' }),
  }),
})

export const bookingCancelled = defineEvent({
  name: 'booking.cancelled',
  description: 'A booking was cancelled',
  data: Type.Object({
    id: bookingId,
    cancelled_by: Type.String({ description: 'guest or host' }),
    reason: nullable(Type.String({ description: 'Why' })),
  }),
})

export const BOOKING_EVENTS = [bookingCreated, bookingRescheduled, bookingCancelled] as const
