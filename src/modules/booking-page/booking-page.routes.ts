import type { FastifyInstance, FastifyReply } from 'fastify'
import { ApiError } from '../../core/errors.js'
import type { GuestBookingsService } from '../scheduling/guest-bookings.service.js'
import { bookingAssets, sendAsset } from './assets.js'
import { manageHtml } from './booking-manage.html.js'
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
/** Booking ids (`newId('booking')`); no slug has an underscore, so none looks like one. */
const BOOKING_ID = /^bk_[0-9a-z]{26}$/

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
 * The public booking page and the guest's manage page (server-rendered HTML), their scripts and CSS, and the embeddable widget
 * script. These are pages and files, not API: hidden from the OpenAPI document.
 */
export function bookingPageRoutes(bookings: GuestBookingsService) {
  return async (app: FastifyInstance) => {
    async function bookingPage(reply: FastifyReply, username: string, slug: string, embed: boolean) {
      const assets = await bookingAssets()
      if (username.length > MAX_USERNAME || slug.length > MAX_SLUG) return htmlReply(reply, 404, notFoundHtml(assets))
      try {
        const page = await bookings.page(username, slug)
        return htmlReply(reply, 200, bookingPageHtml(page, assets, { embed }))
      } catch (err) {
        if (err instanceof ApiError && err.code === 'not_found') return htmlReply(reply, 404, notFoundHtml(assets))
        throw err
      }
    }

    app.get<{ Params: { username: string; slug: string }; Querystring: PageQuery }>(
      '/book/:username/:slug',
      // Reads the database: counts against the per-address budget of public reads, like the JSON page data.
      { schema: { hide: true } },
      async (req, reply) => bookingPage(reply, req.params.username, req.params.slug, req.query.embed === '1'),
    )

    app.get<{ Params: { id: string }; Querystring: PageQuery }>(
      '/book/manage/:id',
      // A shell that reads nothing: the script fetches the booking with the token of the URL fragment.
      { schema: { hide: true } },
      async (req, reply) => {
        // A host named "manage" keeps its booking pages: their slugs never look like a booking id.
        if (!BOOKING_ID.test(req.params.id)) return bookingPage(reply, 'manage', req.params.id, req.query.embed === '1')
        return htmlReply(reply, 200, manageHtml(req.params.id, await bookingAssets()))
      },
    )

    // Built files are served from memory: not counted against the per-address budget of public routes.
    const asset = { schema: { hide: true }, config: { publicRateLimit: false as const } }
    app.get('/book/assets/page.js', asset, async (req, reply) => sendAsset(req, reply, (await bookingAssets()).pageJs))
    app.get('/book/assets/manage.js', asset, async (req, reply) =>
      sendAsset(req, reply, (await bookingAssets()).manageJs),
    )
    app.get('/book/assets/page.css', asset, async (req, reply) =>
      sendAsset(req, reply, (await bookingAssets()).pageCss),
    )
    app.get('/widget/book.js', asset, async (req, reply) =>
      sendAsset(req, reply, (await bookingAssets()).widgetJs, { cors: true }),
    )
  }
}
