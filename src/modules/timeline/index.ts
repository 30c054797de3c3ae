import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

/** The routes of tasks, activities, notes, tags and the contact timeline. */
export function timelineModule(_deps: Deps): FastifyPluginAsync {
  return async () => {}
}
