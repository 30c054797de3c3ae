import os from 'node:os'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, listenOnLoopback, requireChromiumInCi } from '../browser/chromium.js'
import { testApp } from '../harness.js'

type Json = Record<string, unknown>

describe('the OpenAPI document', () => {
  test('is served compressed with an ETag, and a matching If-None-Match is a 304', async () => {
    const h = await testApp()
    const plain = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    const br = await h.app.inject({
      method: 'GET',
      url: '/api/v1/openapi.json',
      headers: { 'accept-encoding': 'gzip, br' },
    })
    const gz = await h.app.inject({
      method: 'GET',
      url: '/api/v1/openapi.json',
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(br.headers['content-encoding']).toBe('br')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body)
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body)
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 8)
    expect(br.headers.vary).toContain('accept-encoding')
    const etag = String(br.headers.etag)
    expect(etag).toMatch(/^".+-br"$/)
    const again = await h.app.inject({
      method: 'GET',
      url: '/api/v1/openapi.json',
      headers: { 'accept-encoding': 'br', 'if-none-match': etag },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
  })

  test('has a servers entry naming where a Rapport is reached', async () => {
    const h = await testApp()
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as Json
    expect(doc.servers).toEqual([
      expect.objectContaining({
        url: '{base}',
        variables: { base: expect.objectContaining({ default: 'http://127.0.0.1:3000' }) },
      }),
    ])
  })
})

describe('the /docs page', () => {
  test('carries Rapport’s name, logo and favicon, not another project’s', async () => {
    const h = await testApp()
    const page = await h.app.inject({ method: 'GET', url: '/docs/' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<title>Rapport API reference</title>')
    expect(page.body).not.toContain('favicon-32x32.png')
    const init = await h.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })
    expect(init.body).toContain('data:image/svg+xml;base64,')
    const favicon = await h.app.inject({ method: 'GET', url: '/docs/static/theme/favicon.svg' })
    expect(favicon.headers['content-type']).toContain('image/svg+xml')
  })

  test('its document shows parameter examples in descriptions, never as values to send, and names no server', async () => {
    const h = await testApp()
    const res = await h.app.inject({ method: 'GET', url: '/docs/json', headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers.etag).toBeTruthy()
    const doc = JSON.parse(gunzipSync(res.rawPayload).toString()) as Json
    expect(doc.servers).toBeUndefined()
    const paths = doc.paths as Record<string, Record<string, { operationId: string; parameters?: Json[] }>>
    const listContacts = paths['/api/v1/contacts']!.get!
    const params = listContacts.parameters!.filter((p) => !('$ref' in p))
    expect(params.length).toBeGreaterThan(2)
    for (const p of params) {
      expect(p.example, String(p.name)).toBeUndefined()
      expect((p.schema as Json | undefined)?.examples, String(p.name)).toBeUndefined()
      expect((p.schema as Json | undefined)?.example, String(p.name)).toBeUndefined()
    }
    expect(params.some((p) => String(p.description).includes('Example: `'))).toBe(true)
    // Request bodies keep their examples: an editable example body is what "Try it out" is for.
    expect(JSON.stringify(paths['/api/v1/contacts']!.post)).toContain('"example":{"name":"Jane Doe"')
  })

  test('swagger-ui’s bundle is served compressed and cached', async () => {
    const h = await testApp()
    const res = await h.app.inject({
      method: 'GET',
      url: '/docs/static/swagger-ui-bundle.js',
      headers: { 'accept-encoding': 'br' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['cache-control']).toContain('max-age=')
    expect(res.rawPayload.length).toBeLessThan(600_000)
  })
})

describe('the /docs page in a browser', () => {
  requireChromiumInCi()
  let close: (() => Promise<void>) | undefined
  afterAll(async () => close?.())

  test.runIf(hasChromium)(
    'is usable within 2 s, and "Try it out" on List contacts fills in no filter',
    async () => {
      const h = await testApp()
      const origin = await listenOnLoopback(h.app)
      const browser = await launchChromium()
      close = () => browser.close()
      const page = await browser.newPage()
      // A first load warms the server's compressed copies; the timed load is a visitor's.
      await page.goto(`${origin}/docs/`)
      await page.locator('#operations-tag-contacts').waitFor({ timeout: 90_000 })
      const fresh = await browser.newPage()
      const started = Date.now()
      await fresh.goto(`${origin}/docs/`)
      await fresh.locator('#operations-tag-contacts').waitFor({ timeout: 90_000 })
      const usableMs = Date.now() - started
      // 2 s on an idle machine; this suite shares 2 cores with others, so the bound grows with the
      // load per core (measured: 3.7 to 4.1 s at a load of 20 on 2 cores, 21 to 26 s before).
      const busy = Math.max(1, os.loadavg()[0]! / os.cpus().length)
      console.info(`/docs usable after ${usableMs} ms (load per core ${busy.toFixed(1)})`)
      expect(usableMs).toBeLessThan(2_000 * busy)

      await fresh
        .locator('.opblock-tag', { hasText: /^contacts/ })
        .first()
        .click()
      await fresh.locator('#operations-contacts-listContacts').click()
      await fresh.getByRole('button', { name: 'Try it out' }).click()
      const rows = fresh.locator('#operations-contacts-listContacts tr[data-param-name]')
      await rows.first().waitFor()
      const filled = await rows.evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-param-name'), tr.querySelector('input')?.value ?? ''] as const),
      )
      expect(filled.length).toBeGreaterThan(4)
      // Only the paging defaults (page 1, limit 50: what the server assumes anyway) are filled in.
      expect(filled.filter(([, value]) => value !== '')).toEqual([
        ['page', '1'],
        ['limit', '50'],
      ])
    },
    120_000,
  )
})
