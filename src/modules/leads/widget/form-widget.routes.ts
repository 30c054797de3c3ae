import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { type Asset, assetOf, bundle, sendAsset, widgetSourceDir } from '../../booking-page/assets.js'

let built: Promise<Asset> | undefined

/**
 * /widget/form.js, bundled with esbuild from src/widgets/form.ts once per process, in memory (as the
 * booking widget is): no build step. A failed build is retried on the next call.
 */
export function formWidgetAsset(): Promise<Asset> {
  built ??= bundle(path.join(widgetSourceDir(), 'form.ts')).then((body) =>
    assetOf(body, 'text/javascript; charset=utf-8'),
  )
  built.catch(() => {
    built = undefined
  })
  return built
}

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
