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
  test('carries Rapport’s name, logo and favicon, loads only its own files, and reads /api/v1/openapi.json', async () => {
    const h = await testApp()
    for (const url of ['/docs', '/docs/']) {
      const page = await h.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } })
      expect(page.statusCode, url).toBe(200)
      expect(page.headers['content-type']).toMatch(/^text\/html/)
      expect(page.headers['content-encoding']).toBe('br')
      expect(page.headers.etag).toBeTruthy()
      const csp = String(page.headers['content-security-policy'])
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toMatch(/upgrade-insecure-requests|https:|unsafe-inline/)
    }
    const page = await h.app.inject({ method: 'GET', url: '/docs' })
    expect(page.body).toContain('<title>Rapport API reference</title>')
    expect(page.body).not.toMatch(/swagger/i)
    const assets = [...page.body.matchAll(/<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
    expect(assets).toEqual(
      expect.arrayContaining([
        '/docs/static/logo.svg',
        expect.stringMatching(/^\/docs\/static\/reference\.js\?v=/),
        expect.stringMatching(/^\/docs\/static\/reference\.css\?v=/),
      ]),
    )
    for (const asset of assets) {
      const url = new URL(asset, 'http://localhost/docs')
      expect(url.origin, `${asset} must be served by the app`).toBe('http://localhost')
      const res = await h.app.inject({ method: 'GET', url: asset, headers: { 'accept-encoding': 'gzip, br' } })
      expect(res.statusCode, asset).toBe(200)
      expect(res.headers['content-encoding'], asset).toBe('br')
      const again = await h.app.inject({
        method: 'GET',
        url: asset,
        headers: { 'accept-encoding': 'gzip, br', 'if-none-match': String(res.headers.etag) },
      })
      expect(again.statusCode, asset).toBe(304)
    }
    const favicon = await h.app.inject({ method: 'GET', url: '/docs/static/logo.svg' })
    expect(favicon.headers['content-type']).toContain('image/svg+xml')
    expect(favicon.body).toContain('#1f4fd1')
    // The script reads the published document (compressed, revalidated by ETag), not a copy of its own.
    const script = await h.app.inject({ method: 'GET', url: assets.find((a) => a.includes('reference.js'))! })
    expect(script.body).toContain('/api/v1/openapi.json')
    expect(script.headers['cache-control']).toContain('immutable')
  })
})

describe('the /docs page in a browser', () => {
  requireChromiumInCi()
  let close: (() => Promise<void>) | undefined
  afterAll(async () => close?.())

  test.runIf(hasChromium)(
    'lists the tags, shows parameter examples without filling them in, and "Send" on List contacts lists the contacts',
    async () => {
      const h = await testApp({ fresh: true })
      const created = await h.api('POST', '/api/v1/contacts', { name: 'Docs Page', email: 'docs.page@example.com' })
      expect(created.statusCode).toBe(201)
      const origin = await listenOnLoopback(h.app)
      const browser = await launchChromium()
      close = () => browser.close()
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      const errors: string[] = []
      page.on('pageerror', (err) => errors.push(err.message))
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
      await page.goto(`${origin}/docs`)
      await page.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 })
      expect(await page.locator('header.top').textContent()).toContain('Rapport API reference')
      expect(await page.locator('details.tag').count()).toBeGreaterThan(20)
      // Nothing of a tag is drawn until it is opened.
      expect(await page.locator('details.operation').count()).toBe(0)

      await page.locator('#api-key').fill(h.org.key)
      await page.locator('#tag-contacts > summary').click()
      await page.locator('#op-listContacts > summary').click()
      const rows = page.locator('#op-listContacts tr[data-param-name]')
      await rows.first().waitFor()
      const inputs = await rows.evaluateAll((trs) =>
        trs.map((tr) => {
          const input = tr.querySelector('input')!
          return { name: tr.getAttribute('data-param-name'), value: input.value, placeholder: input.placeholder }
        }),
      )
      expect(inputs.length).toBeGreaterThan(4)
      expect(inputs.filter((i) => i.value !== '')).toEqual([])
      expect(inputs.find((i) => i.name === 'email')).toMatchObject({ placeholder: 'jane@example.com' })
      expect(await page.locator('#op-listContacts tr[data-param-name="email"]').textContent()).toContain(
        'Example: jane@example.com',
      )

      await page.locator('#op-listContacts button[type="submit"]').click()
      const result = page.locator('#op-listContacts .result')
      await result.locator('.response-body').waitFor()
      expect(await result.locator('.status').textContent()).toBe('200')
      expect(await result.locator('.response-body').textContent()).toContain('docs.page@example.com')

      // A request body starts as its example and is sent as edited.
      await page.locator('#op-createContact > summary').click()
      const body = page.locator('#op-createContact textarea[name="body"]')
      expect(JSON.parse(await body.inputValue())).toMatchObject({ name: 'Jane Doe' })
      await body.fill(JSON.stringify({ name: 'Sent From Docs', email: 'sent.from.docs@example.com' }))
      await page.locator('#op-createContact button[type="submit"]').click()
      await page.locator('#op-createContact .result .response-body').waitFor()
      expect(await page.locator('#op-createContact .result .status').textContent()).toBe('201')
      const listed = await h.api('GET', '/api/v1/contacts?email=sent.from.docs@example.com')
      expect(listed.json().data).toHaveLength(1)

      // An address naming an operation opens it.
      const linked = await browser.newPage()
      await linked.goto(`${origin}/docs#op-getContact`)
      await linked.locator('#op-getContact[open] tr[data-param-name="id"]').waitFor()
      expect(errors).toEqual([])
    },
    120_000,
  )
})
