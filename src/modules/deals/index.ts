import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

/** The routes of pipelines, stages and deals. */
export function dealsModule(_deps: Deps): FastifyPluginAsync {
  return async () => {}
}
