import type { FastifyPluginAsync } from 'fastify'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { providerHooksModule } from './providers/index.js'
import { suppressionsRoutes } from './suppressions.routes.js'
import { SuppressionsService } from './suppressions.service.js'

/** The routes of deliverability: suppressions, provider webhooks. */
export function deliverabilityModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    await app.register(suppressionsRoutes(new SuppressionsService(deps.db)))
    await app.register(providerHooksModule(deps))
  }
}
