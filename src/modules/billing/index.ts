import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

/** The routes of work orders and invoices. */
export function billingModule(_deps: Deps): FastifyPluginAsync {
  return async () => {}
}
