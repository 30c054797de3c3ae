import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../../core/errors.js'
import { sendBuilt } from '../booking-page/assets.js'
import { type DashboardFile, dashboardBuild } from './dashboard.build.js'

/**
 * The dashboard's policy: only its own script and stylesheet run (no inline script or style), it
 * talks to its own origin only, and no other site may frame it (clickjacking on key revocation).
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')

function send(req: FastifyRequest, reply: FastifyReply, file: DashboardFile, cacheControl: string) {
  reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', cacheControl)
  return sendBuilt(req, reply, file)
}

/** index.html is revalidated on every visit, so a new release is picked up at once. */
async function sendIndex(req: FastifyRequest, reply: FastifyReply) {
  return send(req, reply, (await dashboardBuild()).index, 'no-cache')
}

// Static files from memory: they cost nothing, so they stay out of the per-address public budget.
const PAGE = { schema: { hide: true }, config: { publicRateLimit: false as const } }

/**
 * /app and every path under it answer index.html (the dashboard routes on the client); built
 * files are under /app/assets/ with content-hashed names, so they are cached for good.
 */
export function dashboardRoutes() {
  return async (app: FastifyInstance) => {
    app.get('/app', PAGE, sendIndex)
    app.get('/app/', PAGE, sendIndex)
    app.get('/app/*', PAGE, sendIndex)
    app.get<{ Params: { name: string } }>('/app/assets/:name', PAGE, async (req, reply) => {
      const file = (await dashboardBuild()).assets.get(req.params.name)
      if (!file) throw new ApiError('route_not_found', `No dashboard file ${req.params.name}`)
      return send(req, reply, file, 'public, max-age=31536000, immutable')
    })
  }
}
