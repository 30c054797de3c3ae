import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

/** The routes of scheduling: event types, availability, public slots and bookings. */
export function schedulingModule(_deps: Deps): FastifyPluginAsync {
  return async () => {}
}
