import { gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { bookingAssets, bundle, widgetSourceDir } from '../../src/modules/booking-page/assets.js'
import { testApp } from '../harness.js'
import { openHost } from './booking-host.js'

/* The booking page and widget over HTTP (inject): no browser needed. The browser flows are in booking-widget.test.ts. */

const get = (h: Awaited<ReturnType<typeof testApp>>, url: string, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'GET', url, headers })

describe('GET /book/:username/:slug', () => {
  test('renders the page as HTML under a strict CSP that any site may frame', async () => {
    const h = await testApp()
    const { host } = await openHost(h, { description: 'Thirty minutes.\nBring questions.' })
    const res = await get(h, `/book/${host.username}/30-min-call`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).toContain('frame-ancestors *')
    expect(csp).not.toContain('unsafe')
    expect(res.headers['x-frame-options']).toBeUndefined()
    expect(res.body).toContain('<h1>Intro call</h1>')
    expect(res.body).toContain('<p class="host">Jane Host</p>')
    expect(res.body).toContain('30 minutes')
    expect(res.body).toContain('Video call')
    expect(res.body).not.toContain('meet.example') // the location's value is shown only once booked
    expect(res.body).toContain('Thirty minutes.\nBring questions.')
    // The confirmation's link to the manage page (the script sets its href), and why to keep it.
    expect(res.body).toContain('<a id="manage-link" aria-describedby="keep-link">Manage this booking</a>')
    expect(res.body).toMatch(/<p id="keep-link" class="keep-link">Keep this link/)
    // Nothing inline: every script has a src, no <style> element, no style attribute.
    expect(res.body.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/ src="\/book\/assets\/page\.js\?v=/)])
    expect(res.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i)
  })

  test('renders host- and guest-controlled strings as text, never as HTML', async () => {
    const h = await testApp()
    const evil = '<img src=x onerror="alert(1)">'
    const { host } = await openHost(h, {
      name: `Jane ${evil}`,
      description: `</p><script>alert('x')</script>${evil}`,
      eventType: { title: `Call & <b>more</b>` },
    })
    const res = await get(h, `/book/${host.username}/30-min-call`)
    expect(res.statusCode).toBe(200)
    expect(res.body).not.toContain('<img')
    expect(res.body).not.toContain("<script>alert('x')")
    expect(res.body).not.toContain('<b>')
    expect(res.body).toContain('Jane &lt;img src=x onerror=&quot;alert(1)&quot;&gt;')
    expect(res.body).toContain('&lt;/p&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;')
    expect(res.body).toContain('<h1>Call &amp; &lt;b&gt;more&lt;/b&gt;</h1>')
  })

  test('an unknown host, an unknown slug and an inactive event type are a 404 HTML page', async () => {
    const h = await testApp()
    const { host, eventType } = await openHost(h)
    const inactive = await openHost(h)
    const patched = await h.api('PATCH', `/api/v1/event_types/${inactive.eventType.id}`, { active: false })
    expect(patched.statusCode).toBe(200)
    for (const url of [
      `/book/nobody-${host.username}/30-min-call`,
      `/book/${host.username}/no-such-call`,
      `/book/${inactive.host.username}/30-min-call`,
      `/book/${'x'.repeat(41)}/30-min-call`,
    ]) {
      const res = await get(h, url)
      expect(res.statusCode, url).toBe(404)
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8')
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'")
      expect(res.body, url).toContain('Booking page not found')
    }
    expect(eventType.slug).toBe('30-min-call')
  })

  test('adds the embed class when framed by the widget (?embed=1)', async () => {
    const h = await testApp()
    const { host } = await openHost(h)
    expect((await get(h, `/book/${host.username}/30-min-call?embed=1`)).body).toContain('<body class="embed">')
    expect((await get(h, `/book/${host.username}/30-min-call`)).body).toContain('<body>')
  })
})

describe('built assets', () => {
  test('the page script and CSS are served with their content type, ETag and a 304 when fresh', async () => {
    const h = await testApp()
    const assets = await bookingAssets()
    for (const [url, type, asset] of [
      ['/book/assets/page.js', 'text/javascript; charset=utf-8', assets.pageJs],
      ['/book/assets/page.css', 'text/css; charset=utf-8', assets.pageCss],
    ] as const) {
      const res = await get(h, url)
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type'], url).toBe(type)
      expect(res.headers.etag, url).toBe(asset.etag)
      expect(res.headers['cache-control'], url).toBe('public, max-age=300, must-revalidate')
      expect(res.body, url).toBe(asset.body)
      const versioned = await get(h, `${url}?v=${asset.hash}`)
      expect(versioned.headers['cache-control'], url).toBe('public, max-age=31536000, immutable')
      const fresh = await get(h, url, { 'if-none-match': asset.etag })
      expect(fresh.statusCode, url).toBe(304)
      expect(fresh.body, url).toBe('')
      expect((await get(h, url, { 'if-none-match': '"stale"' })).statusCode, url).toBe(200)
    }
  })

  test('the page links the current versions of its script and CSS', async () => {
    const h = await testApp()
    const { host } = await openHost(h)
    const assets = await bookingAssets()
    const body = (await get(h, `/book/${host.username}/30-min-call`)).body
    expect(body).toContain(`/book/assets/page.js?v=${assets.pageJs.hash}`)
    expect(body).toContain(`/book/assets/page.css?v=${assets.pageCss.hash}`)
  })

  test('/widget/book.js is JavaScript any origin may load, with an ETag', async () => {
    const h = await testApp()
    const res = await get(h, '/widget/book.js')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers.etag).toMatch(/^"[\w-]{16}"$/)
    expect((await get(h, '/widget/book.js', { 'if-none-match': String(res.headers.etag) })).statusCode).toBe(304)
  })

  test('the widget, built and gzipped, is at most 5 KB and uses no eval or inline styles', async () => {
    const widget = await bundle(`${widgetSourceDir()}/book.ts`)
    const gzipped = gzipSync(widget, { level: 9 }).length
    expect(gzipped).toBeLessThanOrEqual(5 * 1024)
    expect(widget).toContain('adoptedStyleSheets')
    expect(widget).not.toMatch(/\beval\(|new Function|\.style\b|setAttribute\(\s*["']style|innerHTML|<style/)
    expect(widget).toBe((await bookingAssets()).widgetJs.body)
  })
})
