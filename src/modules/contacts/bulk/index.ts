import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../../deps.js'

/** The routes of CSV import, batch upsert and search of contacts. */
export function contactsBulkModule(_deps: Deps): FastifyPluginAsync {
  return async () => {}
}
