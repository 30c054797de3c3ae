import type { FastifyPluginAsync } from 'fastify'
import { BookingEmails } from '../email/booking-emails.js'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { availabilityRoutes } from './availability.routes.js'
import { AvailabilityService } from './availability.service.js'
import { bookingPagesRoutes } from './booking-pages.routes.js'
import { bookingsRoutes } from './bookings.routes.js'
import { BookingsService } from './bookings.service.js'
import { eventTypesRoutes } from './event-types.routes.js'
import { EventTypesService } from './event-types.service.js'

/** The routes of scheduling: event types, availability, public booking pages and bookings. */
export function schedulingModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const bookings = new BookingsService(deps.db, deps.clock, new BookingEmails(deps.publicUrl, deps.config.email.from))
    await app.register(eventTypesRoutes(new EventTypesService(deps.db, deps.clock)))
    await app.register(availabilityRoutes(new AvailabilityService(deps.db)))
    await app.register(bookingsRoutes(bookings))
    await app.register(bookingPagesRoutes(bookings))
  }
}
