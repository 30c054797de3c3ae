import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

/** The dashboard at /app: served from a Vite build held in memory. */
export function dashboardModule(_deps: Deps): FastifyPluginAsync {
  return async () => {}
}
