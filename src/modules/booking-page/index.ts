import type { FastifyPluginAsync } from 'fastify'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { GuestBookingsService } from '../scheduling/guest-bookings.service.js'
import { bookingPageRoutes } from './booking-page.routes.js'

/** The public booking page (/book/:username/:slug) and the embeddable widget (/widget/book.js). */
export function bookingPageModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    await app.register(bookingPageRoutes(new GuestBookingsService(deps.db, deps.clock)))
  }
}
