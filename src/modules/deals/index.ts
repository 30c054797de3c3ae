import type { FastifyPluginAsync } from 'fastify'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { pipelinesRoutes } from '../pipelines/pipelines.routes.js'
import { PipelinesService } from '../pipelines/pipelines.service.js'
import { dealsRoutes } from './deals.routes.js'
import { DealsService } from './deals.service.js'

/** The routes of pipelines, stages and deals. */
export function dealsModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    await app.register(pipelinesRoutes(new PipelinesService(deps.db)))
    await app.register(dealsRoutes(new DealsService(deps.db)))
  }
}
