import type { FastifyPluginAsync } from 'fastify'
import { BookingEmails } from '../email/booking-emails.js'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { availabilityRoutes } from './availability.routes.js'
import { AvailabilityService } from './availability.service.js'
import { bookingPagesRoutes } from './booking-pages.routes.js'
import { bookingsRoutes } from './bookings.routes.js'
import { eventTypesRoutes } from './event-types.routes.js'
import { EventTypesService } from './event-types.service.js'
import { GuestBookingsService } from './guest-bookings.service.js'
import { HostBookingsService } from './host-bookings.service.js'

/** The routes of scheduling: event types, availability, public booking pages and bookings. */
export function schedulingModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const emails = new BookingEmails(deps.publicUrl, deps.config.email.from)
    await app.register(eventTypesRoutes(new EventTypesService(deps.db, deps.clock)))
    await app.register(availabilityRoutes(new AvailabilityService(deps.db)))
    await app.register(bookingsRoutes(new HostBookingsService(deps.db, deps.clock, emails)))
    await app.register(bookingPagesRoutes(new GuestBookingsService(deps.db, deps.clock, emails)))
  }
}
