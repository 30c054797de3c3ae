import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { onceRetrying } from '../../../lib/once.js'
import { type Asset, assetOf, bundle, sendAsset, widgetSourceDir } from '../../booking-page/assets.js'

/**
 * /widget/form.js, bundled with esbuild from src/widgets/form.ts once per process, in memory (as the
 * booking widget is): no build step. A failed build is retried on the next call.
 */
export const formWidgetAsset: () => Promise<Asset> = onceRetrying(async () =>
  assetOf(await bundle(path.join(widgetSourceDir(), 'form.ts')), 'text/javascript; charset=utf-8'),
)

/** The embeddable contact-form widget. A file, not API: hidden from the OpenAPI document. */
export function formWidgetRoutes() {
  return async (app: FastifyInstance) => {
    // Served from memory: not counted against the per-address budget of public routes.
    app.get(
      '/widget/form.js',
      { schema: { hide: true }, config: { publicRateLimit: false as const } },
      async (req, reply) => sendAsset(req, reply, await formWidgetAsset(), { cors: true }),
    )
  }
}
