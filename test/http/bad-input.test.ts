import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

/** Every case must answer the documented error and leave no row and no event behind. */
describe('bad input gets a clear error and changes nothing', () => {
  async function setup() {
    const h = await testApp()
    const counts = async () => ({
      contacts: (await h.api('GET', '/api/v1/contacts')).json().pagination.total,
      events: (await h.eventTypes()).length,
    })
    return { h, counts }
  }
  const raw = (h: Awaited<ReturnType<typeof testApp>>, payload: string | Buffer, contentType = 'application/json') =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { authorization: `Bearer ${h.org.key}`, 'content-type': contentType },
      payload,
    })

  test('malformed JSON is a 400 invalid_json with a request id', async () => {
    const { h, counts } = await setup()
    const res = await raw(h, '{"email": "a@b.co",')
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'invalid_json', request_id: res.headers['x-request-id'] })
    expect(await counts()).toEqual({ contacts: 0, events: 0 })
  })

  test('bytes that are not UTF-8 are a 400 invalid_encoding', async () => {
    const { h, counts } = await setup()
    const res = await raw(
      h,
      Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
    )
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('invalid_encoding')
    expect(await counts()).toEqual({ contacts: 0, events: 0 })
  })

  test('a body that is not JSON is a 415', async () => {
    const { h } = await setup()
    const res = await raw(h, 'email=a@b.co', 'application/x-www-form-urlencoded')
    expect(res.statusCode).toBe(415)
    expect(res.json().error.code).toBe('unsupported_media_type')
    expect((await raw(h, 'hello', 'text/plain')).statusCode).toBe(415)
  })

  test('a body over 1 MB is a 413', async () => {
    const { h, counts } = await setup()
    const res = await raw(h, JSON.stringify({ name: 'x', custom_fields: { blob: 'y'.repeat(1024 * 1024) } }))
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('payload_too_large')
    expect(await counts()).toEqual({ contacts: 0, events: 0 })
  })

  test('wrong types, missing and unknown fields give one detail per bad field with its path', async () => {
    const { h, counts } = await setup()
    const res = await h.api('POST', '/api/v1/contacts', {
      email: 42,
      name: '',
      tags: ['ok', 7],
      status: 'king',
      nickname: 'J',
    })
    expect(res.statusCode).toBe(422)
    const error = res.json().error
    expect(error.code).toBe('validation_failed')
    expect(
      Object.fromEntries(error.details.map((d: { field: string; message: string }) => [d.field, d.message])),
    ).toEqual({
      email: 'Must be a string',
      name: 'Must not be empty',
      'tags.1': 'Must be a string',
      status: 'Must be one of: lead, prospect, customer, churned',
      nickname: 'Unknown field',
    })
    expect(await counts()).toEqual({ contacts: 0, events: 0 })
  })

  test('types are not coerced in bodies: a number where a string belongs is refused', async () => {
    const { h } = await setup()
    const res = await h.api('POST', '/api/v1/contacts', { name: 123 })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([{ field: 'name', message: 'Must be a string' }])
  })

  test('a nullable field names both accepted types', async () => {
    const { h } = await setup()
    const id = (await h.api('POST', '/api/v1/contacts', { email: 'n@example.com' })).json().id
    const res = await h.api('PATCH', `/api/v1/contacts/${id}`, { company: 5 })
    expect(res.json().error.details).toEqual([{ field: 'company', message: 'Must be a string or null' }])
  })

  test('invalid email and over-long strings are refused', async () => {
    const { h, counts } = await setup()
    const bad = await h.api('POST', '/api/v1/contacts', { email: 'not-an-email' })
    expect(bad.json().error.details).toEqual([{ field: 'email', message: 'Must be a valid email' }])
    const long = await h.api('POST', '/api/v1/contacts', { name: 'x'.repeat(201) })
    expect(long.json().error.details).toEqual([{ field: 'name', message: 'Must be at most 200 characters' }])
    expect(await counts()).toEqual({ contacts: 0, events: 0 })
  })

  test('NUL characters are a 422 naming the field, not a database error', async () => {
    const { h, counts } = await setup()
    const res = await h.api('POST', '/api/v1/contacts', { name: 'Ja\u0000ne', custom_fields: { a: 'b' } })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([{ field: 'name', message: 'Must not contain NUL characters' }])
    const nested = await h.api('POST', '/api/v1/contacts', { name: 'J', custom_fields: { deep: ['ok', 'x\u0000'] } })
    expect(nested.json().error.details[0].field).toBe('custom_fields.deep.1')
    expect(await counts()).toEqual({ contacts: 0, events: 0 })
  })

  test('prototype-poisoning keys are refused', async () => {
    const { h, counts } = await setup()
    const res = await raw(h, '{"name":"J","__proto__":{"admin":true}}')
    expect(res.statusCode).toBe(400)
    expect(await counts()).toEqual({ contacts: 0, events: 0 })
  })

  test('SQL and HTML in strings are stored and returned verbatim', async () => {
    const { h } = await setup()
    const name = `Robert'); drop table contacts;-- <script>alert(1)</script>`
    const created = await h.api('POST', '/api/v1/contacts', { name, custom_fields: { "x' or 1=1 --": '<b>' } })
    expect(created.statusCode).toBe(201)
    expect(created.json().name).toBe(name)
    const found = await h.api('GET', `/api/v1/contacts?q=${encodeURIComponent("'); drop")}`)
    expect(found.json().data.map((c: { name: string }) => c.name)).toEqual([name])
    expect(created.headers['content-type']).toMatch(/^application\/json/)
  })

  test('unknown ids, malformed ids and unknown routes are JSON 404s', async () => {
    const { h } = await setup()
    for (const url of [
      '/api/v1/contacts/c_01jd3k8m2x7q9v4b6n5t0w1y2z',
      '/api/v1/contacts/%27%20or%201=1',
      '/api/v1/contacts/x',
    ]) {
      const res = await h.api('GET', url)
      expect(res.statusCode, url).toBe(404)
      expect(res.json().error.code).toBe('not_found')
    }
    const route = await h.api('GET', '/api/v1/nothing-here')
    expect(route.statusCode).toBe(404)
    expect(route.json().error.code).toBe('route_not_found')
    expect((await h.api('PATCH', '/api/v1/contacts/c_missing', { name: 'x' })).statusCode).toBe(404)
    expect((await h.api('DELETE', '/api/v1/contacts/c_missing')).statusCode).toBe(404)
  })

  test('an unexpected failure is an opaque 500 that leaks nothing', async () => {
    // An app of its own: a route can only be added before an app has answered its first request.
    const h = await testApp({ fresh: true })
    h.app.get('/api/v1/explode-test-route', { config: { scope: 'read' } }, async () => {
      throw new Error('connection to 10.0.0.5 failed: password authentication failed for user "rapport"')
    })
    const res = await h.api('GET', '/api/v1/explode-test-route')
    expect(res.statusCode).toBe(500)
    expect(res.json().error.code).toBe('internal_error')
    expect(res.body).not.toMatch(/10\.0\.0\.5|password|stack|Error:/)
    expect(res.json().error.request_id).toBe(res.headers['x-request-id'])
  })
})

describe('X-Request-Id', () => {
  test('is echoed when the caller sends a plain one and generated otherwise', async () => {
    const h = await testApp()
    const echoed = await h.api('GET', '/api/v1/contacts', undefined, { 'x-request-id': 'trace-abc.123' })
    expect(echoed.headers['x-request-id']).toBe('trace-abc.123')
    const made = await h.api('GET', '/api/v1/contacts', undefined, { 'x-request-id': 'bad id with spaces' })
    expect(made.headers['x-request-id']).toMatch(/^req_[0-9a-z]{26}$/)
  })
})
