import type { FastifyInstance, FastifyReply } from 'fastify'
import { ApiError } from '../../http/errors.js'
import type { BookingsService } from '../scheduling/bookings.service.js'
import { bookingAssets, sendAsset } from './assets.js'
import { bookingPageHtml, notFoundHtml } from './booking-page.html.js'

/**
 * The booking page's policy: only its own files run and style it (no inline script or style), and
 * any site may frame it (the widget embeds it in an iframe on customers' pages).
 */
export const BOOKING_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  'frame-ancestors *',
].join('; ')

const MAX_USERNAME = 40
const MAX_SLUG = 80

function htmlReply(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', BOOKING_PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-cache')
    .send(html)
}

interface PageQuery {
  embed?: string
}

/**
 * The public booking page (server-rendered HTML), its script and CSS, and the embeddable widget
 * script. These are pages and files, not API: hidden from the OpenAPI document.
 */
export function bookingPageRoutes(bookings: BookingsService) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { username: string; slug: string }; Querystring: PageQuery }>(
      '/book/:username/:slug',
      // Reads the database: counts against the per-address budget of public reads, like the JSON page data.
      { schema: { hide: true } },
      async (req, reply) => {
        const assets = await bookingAssets()
        const { username, slug } = req.params
        if (username.length > MAX_USERNAME || slug.length > MAX_SLUG) return htmlReply(reply, 404, notFoundHtml(assets))
        try {
          const page = await bookings.page(username, slug)
          return htmlReply(reply, 200, bookingPageHtml(page, assets, { embed: req.query.embed === '1' }))
        } catch (err) {
          if (err instanceof ApiError && err.code === 'not_found') return htmlReply(reply, 404, notFoundHtml(assets))
          throw err
        }
      },
    )

    // Built files are served from memory: not counted against the per-address budget of public routes.
    const asset = { schema: { hide: true }, config: { publicRateLimit: false as const } }
    app.get('/book/assets/page.js', asset, async (req, reply) => sendAsset(req, reply, (await bookingAssets()).pageJs))
    app.get('/book/assets/page.css', asset, async (req, reply) =>
      sendAsset(req, reply, (await bookingAssets()).pageCss),
    )
    app.get('/widget/book.js', asset, async (req, reply) =>
      sendAsset(req, reply, (await bookingAssets()).widgetJs, { cors: true }),
    )
  }
}
