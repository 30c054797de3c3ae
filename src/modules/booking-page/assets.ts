import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ifNoneMatchHolds } from '../../core/preconditions.js'
import { onceRetrying } from '../../lib/once.js'

/** One built file, served from memory (text from esbuild, bytes from Vite). */
export interface Asset<Body extends string | Buffer = string> {
  body: Body
  contentType: string
  /** Strong validator and cache-busting version: a hash of the body. */
  etag: string
  hash: string
}

export interface BookingAssets {
  /** /book/assets/page.js: the booking page's script. */
  pageJs: Asset
  /** /book/assets/manage.js: the guest's "manage your booking" page's script. */
  manageJs: Asset
  /** /book/assets/page.css (both pages) */
  pageCss: Asset
  /** /widget/book.js: the embeddable widget. */
  widgetJs: Asset
}

/**
 * The sources live in src/widgets/ at the project root, found by walking up from this file: it
 * runs from src/ under tsx and vitest, and from dist/src/ after `tsc`.
 */
export function widgetSourceDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'src', 'widgets')
    if (existsSync(path.join(candidate, 'book.ts'))) return candidate
    if (path.dirname(dir) === dir) throw new Error(`src/widgets/ not found above ${from}`)
  }
}

export function assetOf<Body extends string | Buffer>(body: Body, contentType: string): Asset<Body> {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16)
  return { body, contentType, etag: `"${hash}"`, hash }
}

/** Bundles one entry point (TypeScript or CSS) into a minified string; IIFE so nothing leaks into the page. */
export async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    format: entry.endsWith('.css') ? undefined : 'iife',
    target: entry.endsWith('.css') ? ['chrome100', 'firefox100', 'safari15'] : ['es2020'],
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  })
  const file = result.outputFiles[0]
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`)
  return file.text
}

/**
 * Builds the two page scripts, their CSS and the widget with esbuild, once per process, in memory (about
 * 50 ms): `npm start` and `npm test` need no build step. A failed build is retried on the next call.
 */
export const bookingAssets: () => Promise<BookingAssets> = onceRetrying(async () => {
  const dir = widgetSourceDir()
  const [pageJs, manageJs, pageCss, widgetJs] = await Promise.all([
    bundle(path.join(dir, 'booking-page.ts')),
    bundle(path.join(dir, 'booking-manage.ts')),
    bundle(path.join(dir, 'booking-page.css')),
    bundle(path.join(dir, 'book.ts')),
  ])
  return {
    pageJs: assetOf(pageJs, 'text/javascript; charset=utf-8'),
    manageJs: assetOf(manageJs, 'text/javascript; charset=utf-8'),
    pageCss: assetOf(pageCss, 'text/css; charset=utf-8'),
    widgetJs: assetOf(widgetJs, 'text/javascript; charset=utf-8'),
  }
})

/**
 * Sends a built file with its ETag (304 to a matching If-None-Match). A request naming the
 * current version (`?v=<hash>`, as the page links it) is cached for a year; others revalidate.
 */
export function sendAsset(
  req: FastifyRequest,
  reply: FastifyReply,
  asset: Asset<string | Buffer>,
  opts: { cors?: boolean } = {},
) {
  const version = (req.query as { v?: unknown }).v
  reply
    .header('x-content-type-options', 'nosniff')
    .header(
      'cache-control',
      version === asset.hash ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate',
    )
  if (opts.cors) reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin')
  return sendBuilt(req, reply, asset)
}

/** Sends a built file with its ETag, or 304 when If-None-Match names it (weak comparison) or is `*`. */
export function sendBuilt(req: FastifyRequest, reply: FastifyReply, asset: Asset<string | Buffer>) {
  reply.header('etag', asset.etag)
  if (ifNoneMatchHolds(req.headers['if-none-match'], asset.etag)) return reply.code(304).send()
  return reply.type(asset.contentType).send(asset.body)
}
