import type { FastifyPluginAsync } from 'fastify'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { dashboardBuild } from './dashboard.build.js'
import { dashboardRoutes } from './dashboard.routes.js'

/** The dashboard at /app: served from a Vite build held in memory. */
export function dashboardModule(_deps: Deps): FastifyPluginAsync {
  return async (app) => {
    await app.register(dashboardRoutes())
    // A server that listens will have visitors: start the build then, not on the first visit. Apps
    // that only answer inject() (most tests) never pay for it.
    app.addHook('onListen', async () => {
      dashboardBuild().catch((err) => app.log.error({ err }, 'the dashboard build failed; retrying on the next visit'))
    })
  }
}
