import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { dashboardBuild, webSourceDir } from '../src/modules/dashboard/dashboard.build.js'
import { DASHBOARD_CSP } from '../src/modules/dashboard/dashboard.routes.js'
import { testApp } from './harness.js'

/* The dashboard's files over HTTP (inject). The browser flows are in test/browser/dashboard.test.ts. */

const BUDGET_GZIPPED_BYTES = 150 * 1024

function expectStrictHeaders(headers: Record<string, unknown>, url: string) {
  expect(headers['content-security-policy'], url).toBe(DASHBOARD_CSP)
  expect(headers['x-content-type-options'], url).toBe('nosniff')
  expect(headers['referrer-policy'], url).toBe('same-origin')
}

describe('GET /app', () => {
  test('every dashboard path answers index.html, uncached, under the strict CSP', async () => {
    const h = await testApp()
    const { index } = await dashboardBuild()
    for (const url of ['/app', '/app/', '/app/keys', '/app/webhooks/we_123', '/app/invite?x=1', '/app/no/such/page']) {
      const res = await h.app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8')
      expect(res.headers['cache-control'], url).toBe('no-cache')
      expectStrictHeaders(res.headers, url)
      expect(res.body, url).toBe(index.body.toString())
    }
    expect(DASHBOARD_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    )
  })

  test('index.html loads one script and one stylesheet from /app/assets/, with nothing inline', async () => {
    const { index } = await dashboardBuild()
    const html = index.body.toString()
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/ src="\/app\/assets\/index-[\w-]+\.js"/)])
    expect(html.match(/<link\b[^>]*rel="stylesheet"[^>]*>/g)).toEqual([
      expect.stringMatching(/ href="\/app\/assets\/[\w-]+\.css"/),
    ])
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=|<script>/i)
  })

  test('answers 304 to a matching If-None-Match on index.html', async () => {
    const h = await testApp()
    const first = await h.app.inject({ method: 'GET', url: '/app' })
    const again = await h.app.inject({
      method: 'GET',
      url: '/app/usage',
      headers: { 'if-none-match': String(first.headers.etag) },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
  })

  test('answers 304 to If-None-Match: * and to a weak or listed tag, 200 to another tag', async () => {
    const h = await testApp()
    const etag = String((await h.app.inject({ method: 'GET', url: '/app' })).headers.etag)
    const status = async (ifNoneMatch: string) =>
      (await h.app.inject({ method: 'GET', url: '/app', headers: { 'if-none-match': ifNoneMatch } })).statusCode
    expect(await status('*')).toBe(304)
    expect(await status(`W/${etag}`)).toBe(304)
    expect(await status(`"other", ${etag}`)).toBe(304)
    expect(await status('"other"')).toBe(200)
  })
})

describe('GET /app/assets/:name', () => {
  test('serves each built file with its type, for a year, immutable', async () => {
    const h = await testApp()
    const { assets } = await dashboardBuild()
    expect([...assets.keys()].some((n) => n.endsWith('.js'))).toBe(true)
    expect([...assets.keys()].some((n) => n.endsWith('.css'))).toBe(true)
    for (const [name, file] of assets) {
      const url = `/app/assets/${name}`
      const res = await h.app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type'], url).toBe(file.contentType)
      expect(res.headers['cache-control'], url).toBe('public, max-age=31536000, immutable')
      expectStrictHeaders(res.headers, url)
      expect(res.rawPayload.equals(file.body), url).toBe(true)
    }
  })

  test('an unknown asset is a JSON 404, not the page', async () => {
    const h = await testApp()
    const res = await h.app.inject({ method: 'GET', url: '/app/assets/index-nope.js' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('route_not_found')
  })

  test('the dashboard routes stay out of the OpenAPI document', async () => {
    const h = await testApp()
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/app'))).toEqual([])
  })
})

describe('the built dashboard', () => {
  test(`its JavaScript and CSS weigh under ${BUDGET_GZIPPED_BYTES / 1024} KB gzipped`, async () => {
    const { gzippedBytes } = await dashboardBuild()
    console.info(`dashboard bundle: ${(gzippedBytes / 1024).toFixed(1)} KB gzipped (JavaScript + CSS)`)
    expect(gzippedBytes).toBeGreaterThan(1024)
    expect(gzippedBytes).toBeLessThan(BUDGET_GZIPPED_BYTES)
  })

  test('is production scripts (an entry and lazily loaded pages): no JSX debug info, no source paths, no eval', async () => {
    const { assets } = await dashboardBuild()
    const js = [...assets].filter(([n]) => n.endsWith('.js')).map(([, f]) => f.body.toString())
    expect(js.length).toBeGreaterThan(1)
    // (Preact itself mentions innerHTML, for dangerouslySetInnerHTML, which the sources never use: see below.)
    for (const bundle of js) {
      for (const banned of ['eval(', 'new Function(', '<style', 'fileName:', 'lineNumber:', webSourceDir()]) {
        expect(bundle.includes(banned), banned).toBe(false)
      }
    }
  })

  test('its sources never write a style attribute, which the CSP would block', () => {
    const files = readdirSync(path.join(webSourceDir(), 'src'), { recursive: true, encoding: 'utf8' })
    const sources = files.filter((f) => f.endsWith('.tsx') || f.endsWith('.ts'))
    expect(sources.length).toBeGreaterThan(5)
    for (const file of sources) {
      const text = readFileSync(path.join(webSourceDir(), 'src', file), 'utf8')
      // An object `style={{…}}` is applied by Preact through the CSSOM (element.style), which the CSP
      // allows (the virtualized tables position rows so); a style attribute in markup it would block.
      expect(text, file).not.toMatch(/\sstyle=(?!\{\{)|setAttribute\(\s*['"]style|dangerouslySetInnerHTML/)
    }
  })
})
