import type { FastifyPluginAsync } from 'fastify'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { importsRoutes } from './imports.routes.js'
import { ImportsService } from './imports.service.js'

/** Import jobs: the routes. The jobs run in the worker role (see import-worker.ts). */
export function importsModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    await app.register(importsRoutes(new ImportsService(deps.db)))
  }
}
