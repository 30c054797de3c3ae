import { gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { bundle, widgetSourceDir } from '../src/modules/booking-page/assets.js'
import { assertFitsForm } from '../src/modules/leads/form-responses/form-data.js'
import { formWidgetAsset } from '../src/modules/leads/widget/form-widget.routes.js'
import { contactEmailKey, type FieldType, type FormField, problemOf } from '../src/widgets/form-validation.js'
import { testApp } from './harness.js'

/* The contact-form widget without a browser: its size, how it is served, and its checks against the server's. The browser flows are in test/browser/form-widget.test.ts. */

describe('/widget/form.js', () => {
  test('built and gzipped, it is at most 5 KB and uses no eval, inline styles or innerHTML', async () => {
    const widget = await bundle(`${widgetSourceDir()}/form.ts`)
    const gzipped = gzipSync(widget, { level: 9 }).length
    console.info(`form.js: ${widget.length} bytes, ${gzipped} bytes gzipped`)
    expect(gzipped).toBeLessThanOrEqual(5 * 1024)
    expect(widget).toContain('adoptedStyleSheets')
    expect(widget).not.toMatch(
      /\beval\(|new Function|\.style\b|setAttribute\(\s*["']style|innerHTML|insertAdjacentHTML|<style/,
    )
    expect(widget).toBe((await formWidgetAsset()).body)
  })

  test('is JavaScript any origin may load, revalidated with its ETag (304 when fresh)', async () => {
    const h = await testApp()
    const asset = await formWidgetAsset()
    const res = await h.app.inject({ method: 'GET', url: '/widget/form.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['cache-control']).toBe('public, max-age=300, must-revalidate')
    expect(res.headers.etag).toBe(asset.etag)
    expect(res.body).toBe(asset.body)
    const versioned = await h.app.inject({ method: 'GET', url: `/widget/form.js?v=${asset.hash}` })
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const fresh = await h.app.inject({
      method: 'GET',
      url: '/widget/form.js',
      headers: { 'if-none-match': asset.etag },
    })
    expect(fresh.statusCode).toBe(304)
    expect(fresh.body).toBe('')
  })

  test('is not part of the OpenAPI document', async () => {
    const h = await testApp()
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    expect(Object.keys(doc.paths)).toContain('/api/v1/forms/{id}/public')
    expect(Object.keys(doc.paths)).not.toContain('/widget/form.js')
  })
})

const field = (type: FieldType, required: boolean, key: string = type): FormField => ({
  key,
  label: key,
  type,
  required,
  options: type === 'select' ? ['Sales', 'Support'] : null,
})

/** The server's message for one value of one field, or undefined when it accepts it. */
function serverProblem(f: FormField, value: string | boolean): string | undefined {
  try {
    assertFitsForm([{ ...f, options: f.options }], { [f.key]: value }, 'data')
    return undefined
  } catch (err) {
    return (err as { extra: { details: { message: string }[] } }).extra.details[0]!.message
  }
}

describe('the widget’s checks', () => {
  const STRINGS = [
    '',
    '   ',
    'x',
    'Jane',
    'a@b.co',
    ' a@b.co ',
    'not-an-email',
    'a@b',
    '+1 (555) 010-2000',
    '555 x12',
    'call me',
    'Sales',
    'Other',
  ]
  const TYPES = ['text', 'email', 'phone', 'textarea', 'select', 'checkbox', 'consent'] as const

  test('agree with the server on every field type, required or not, for valid, invalid and blank values', () => {
    const disagreements = TYPES.flatMap((type) =>
      [true, false].flatMap((required) =>
        (type === 'checkbox' || type === 'consent' ? [true, false] : STRINGS).flatMap((value) => {
          const f = field(type, required)
          // The widget sends strings trimmed; the server is given what the widget sends.
          const sent = typeof value === 'string' ? value.trim() : value
          const [widget, server] = [problemOf(f, sent), serverProblem(f, sent)]
          return widget === server ? [] : [{ type, required, value, widget, server }]
        }),
      ),
    )
    expect(disagreements).toEqual([])
    // The checks do refuse something: the comparison is not between two silent functions.
    expect(problemOf(field('email', true), 'not-an-email')).toBe('Must be a valid email')
  })

  test('the contact’s email is required even when the form marks it optional', () => {
    const fields = [field('email', false, 'work'), field('email', false)]
    expect(contactEmailKey(fields)).toBe('email')
    expect(contactEmailKey([field('email', false, 'work')])).toBe('work')
    expect(problemOf(fields[1]!, '', 'email')).toBe('An email is required')
    expect(problemOf(fields[0]!, '', 'email')).toBeUndefined()
  })

  test('a blank optional contact email is refused by the server with the message the widget shows', async () => {
    const h = await testApp({ env: { RAPPORT_FORM_MIN_FILL_MS: '0' } })
    const origin = 'https://www.example.com'
    const form = await h.api('POST', '/api/v1/forms', {
      name: 'Contact',
      fields: [{ key: 'email', label: 'Email', type: 'email', required: false }],
    })
    expect(form.statusCode).toBe(201)
    const pk = await h.api('POST', '/api/v1/api_keys', {
      name: 'Site',
      type: 'publishable',
      mode: 'live',
      allowed_origins: [origin],
    })
    const headers = { 'x-api-key': pk.json().key, origin }
    const url = `/api/v1/forms/${form.json().id}`
    const definition = (await h.app.inject({ method: 'GET', url: `${url}/public`, headers })).json()
    const res = await h.app.inject({
      method: 'POST',
      url: `${url}/submissions`,
      headers,
      payload: { data: { email: '', [definition.honeypot]: '' }, token: definition.token },
    })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([
      { field: 'data.email', message: problemOf(definition.fields[0], '', contactEmailKey(definition.fields)) },
    ])
  })
})
