import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { onceRetrying } from '../lib/once.js'
import { bundle, widgetSourceDir } from '../modules/booking-page/assets.js'
import { type CompressedFile, compressedFileOf, sendCompressed } from './compressed.js'

/** Rapport's mark: the "R" tile of the dashboard, in its accent colour. */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1f4fd1"/><path d="M20 48V16h14.5c7 0 11.5 4 11.5 10.2 0 4.7-2.7 8.1-7 9.4L47 48h-8.4l-7.3-11.8H27.5V48zm7.5-18h6.6c3 0 4.6-1.4 4.6-3.9s-1.6-3.9-4.6-3.9h-6.6z" fill="#fff"/></svg>`

function lazily<T>(make: () => T): () => T {
  let value: T | undefined
  return () => {
    value ??= make()
    return value
  }
}

const PAGE = { schema: { hide: true }, config: { publicRateLimit: false as const } }

/** The page's own files: named by content hash in the page, so they are cached for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * Everything comes from this server and the page only reads this server: no inline script, no
 * other origin (a server reached over plain HTTP, a LAN host, must not have its URLs upgraded).
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

interface ReferenceFiles {
  html: CompressedFile
  js: CompressedFile
  css: CompressedFile
}

function pageHtml(jsHash: string, cssHash: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport API reference</title>
<link rel="icon" type="image/svg+xml" href="/docs/static/logo.svg">
<link rel="stylesheet" href="/docs/static/reference.css?v=${cssHash}">
<script defer src="/docs/static/reference.js?v=${jsHash}"></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/docs"><img src="/docs/static/logo.svg" alt="" width="32" height="32">Rapport API reference</a>
  <span class="version" id="version"></span>
  <label class="key">API key <input id="api-key" type="password" autocomplete="off" spellcheck="false" placeholder="rk_test_… (kept in this tab only)"></label>
</header>
<div class="layout">
  <nav aria-label="Sections"><input id="filter" type="search" placeholder="Filter: path, name, summary" aria-label="Filter operations"><ul id="nav-list"></ul></nav>
  <main id="main"><p class="muted">Loading the API description…</p></main>
</div>
</body>
</html>
`
}

/**
 * The page's script and style, bundled from src/widgets/ with esbuild once per process (about
 * 50 ms), compressed, and the page that links them by hash.
 */
const referenceFiles: () => Promise<ReferenceFiles> = onceRetrying(async () => {
  const dir = widgetSourceDir()
  const [js, css] = await Promise.all([
    bundle(path.join(dir, 'api-reference.ts')),
    bundle(path.join(dir, 'api-reference.css')),
  ])
  const jsFile = compressedFileOf(js, 'text/javascript; charset=utf-8')
  const cssFile = compressedFileOf(css, 'text/css; charset=utf-8')
  const html = compressedFileOf(pageHtml(jsFile.hash, cssFile.hash), 'text/html; charset=utf-8')
  return { html, js: jsFile, css: cssFile }
})

/**
 * The API reference at /docs: a small page of Rapport's own (decision 0022) that reads
 * /api/v1/openapi.json and draws a tag's operations only when the tag is opened. swagger-ui drew
 * the whole 3.8 MB document up front: 3.7 to 6.1 s before the page could be used on a loaded
 * 2-core machine; `npm run bench` (docs-page) measures this page against a static page.
 */
export function registerDocsPage(app: FastifyInstance): void {
  const sendPage = async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff')
    return sendCompressed(req, reply, (await referenceFiles()).html, 'no-cache')
  }
  app.get('/docs', PAGE, sendPage)
  app.get('/docs/', PAGE, sendPage)
  app.get('/docs/static/reference.js', PAGE, async (req, reply) =>
    sendCompressed(req, reply, (await referenceFiles()).js, IMMUTABLE),
  )
  app.get('/docs/static/reference.css', PAGE, async (req, reply) =>
    sendCompressed(req, reply, (await referenceFiles()).css, IMMUTABLE),
  )
  const logo = lazily(() => compressedFileOf(LOGO_SVG, 'image/svg+xml'))
  app.get('/docs/static/logo.svg', PAGE, (req, reply) => sendCompressed(req, reply, logo(), 'public, max-age=86400'))
}

/** The OpenAPI document at /api/v1/openapi.json, compressed and with its ETag. */
export function openApiDocumentRoute(app: FastifyInstance) {
  const document = lazily<CompressedFile>(() =>
    compressedFileOf(JSON.stringify(app.swagger()), 'application/json; charset=utf-8'),
  )
  app.get('/api/v1/openapi.json', PAGE, (req, reply) => sendCompressed(req, reply, document(), 'no-cache'))
}
