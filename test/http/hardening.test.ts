import { describe, expect, test } from 'vitest'
import { ERROR_STATUS, MAX_ERROR_DETAILS } from '../../src/core/errors.js'
import { MAX_BODY_DEPTH } from '../../src/core/json-body.js'
import { arraySchemas } from '../../src/core/oversize.js'
import { testApp } from '../harness.js'

type H = Awaited<ReturnType<typeof testApp>>

const post = (h: H, url: string, payload: string, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${h.org.key}`, 'content-type': 'application/json', ...headers },
    payload,
  })

/** The documented envelope: a known code with its status, a message and the request id. */
function expectEnvelope(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, code: string) {
  const body = res.json() as { error: { code: keyof typeof ERROR_STATUS; message: string; request_id: string } }
  expect(body.error.code).toBe(code)
  expect(res.statusCode).toBe(ERROR_STATUS[body.error.code])
  expect(body.error.message).toMatch(/\w/)
  expect(body.error.request_id).toBe(res.headers['x-request-id'])
  return body.error
}

describe('bodies that would freeze the server are refused at once', () => {
  test('a body nested 10,000 deep is a 400 invalid_json before it is parsed, even without a credential', async () => {
    const h = await testApp()
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`
    const res = await post(h, '/api/v1/session', deep, { authorization: '' })
    expectEnvelope(res, 'invalid_json')
  })

  test('nesting up to the limit is accepted by the parser; one level more is refused', async () => {
    const h = await testApp()
    const nested = (depth: number) =>
      `{"name":"J","custom_fields":{"a":${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}}`
    const atLimit = await post(h, '/api/v1/contacts', nested(MAX_BODY_DEPTH))
    expect(atLimit.statusCode).not.toBe(400)
    const over = await post(h, '/api/v1/contacts', nested(MAX_BODY_DEPTH + 1))
    expectEnvelope(over, 'invalid_json')
  })

  test('brackets inside strings do not count as nesting', async () => {
    const h = await testApp()
    const brackets = '[{'.repeat(1_000)
    const res = await h.api('POST', '/api/v1/contacts', { name: '[{]', custom_fields: { note: brackets } })
    expect(res.statusCode).toBe(201)
  })

  test('a 1 MB body of nested arrays is answered in well under a second', async () => {
    const h = await testApp()
    const half = 500_000
    await h.app.ready()
    const started = performance.now()
    const res = await post(h, '/api/v1/contacts', `${'['.repeat(half)}${']'.repeat(half)}`)
    expectEnvelope(res, 'invalid_json')
    // Before the depth bound this took seconds and ended in a 500; the bound is generous for a busy machine.
    expect(performance.now() - started).toBeLessThan(1000)
  })

  test('a 100,000-item array gets one short error, not one detail per item', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/contacts', { name: 'J', tags: Array.from({ length: 100_000 }, () => 7) })
    const error = expectEnvelope(res, 'validation_failed') as unknown as { details: unknown[] }
    expect(error.details).toEqual([{ field: 'tags', message: 'Must have at most 50 items' }])
    expect(res.body.length).toBeLessThan(2_000)
  })

  test('details stop at 100 and count the rest', async () => {
    const h = await testApp()
    const unknown = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`extra_${i}`, i]))
    const res = await h.api('POST', '/api/v1/contacts', { name: 'J', ...unknown })
    const error = expectEnvelope(res, 'validation_failed') as unknown as {
      details: { field: string; message: string }[]
      details_omitted: number
    }
    expect(error.details).toHaveLength(MAX_ERROR_DETAILS)
    expect(error.details[0]).toEqual({ field: 'extra_0', message: 'Unknown field' })
    expect(error.details_omitted).toBe(4_900)
    expect(res.body.length).toBeLessThan(20_000)
  })

  test('a few bad fields are all listed, without details_omitted', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/contacts', { name: 5, email: 6 })
    const error = res.json().error
    expect(error.details).toHaveLength(2)
    expect(error).not.toHaveProperty('details_omitted')
  })

  test('every array in every request schema of the API has a maxItems', async () => {
    const h = await testApp()
    await h.app.ready()
    const doc = h.app.swagger() as unknown as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content?: Record<string, { schema: unknown }> }
            parameters?: { name: string; schema: unknown }[]
          }
        >
      >
      components: { schemas: Record<string, unknown> }
    }
    const uncapped: string[] = []
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const parts = [
          ...Object.values(op.requestBody?.content ?? {}).map((c) => ['body', c.schema] as const),
          ...(op.parameters ?? []).map((p) => [p.name, p.schema] as const),
        ]
        for (const [name, schema] of parts) {
          for (const array of arraySchemas(schema)) {
            if (typeof array.maxItems !== 'number') uncapped.push(`${method.toUpperCase()} ${path} ${name}`)
          }
        }
      }
    }
    expect(uncapped).toEqual([])
  })
})

describe('text the database cannot hold is refused where it enters', () => {
  test('a NUL in a path id is a 400 invalid_query naming the parameter, not a 500', async () => {
    const h = await testApp()
    for (const url of ['/api/v1/contacts/c_%00x', '/api/v1/deals/%00', '/api/public/bookings/bk_%00']) {
      const res = await h.api('GET', url)
      const error = expectEnvelope(res, 'invalid_query') as unknown as { details: unknown[] }
      expect(error.details, url).toEqual([{ field: 'id', message: 'Must not contain NUL characters' }])
    }
  })

  test('a NUL in a text filter is a 400 invalid_query', async () => {
    const h = await testApp()
    for (const url of ['/api/v1/contacts?q=a%00b', '/api/v1/contacts?email=a%00b@example.com']) {
      const res = await h.api('GET', url)
      expectEnvelope(res, 'invalid_query')
    }
  })

  test('a lone surrogate in a body is a 422 naming the field; a real pair (an emoji) is stored', async () => {
    const h = await testApp()
    const lone = await post(h, '/api/v1/contacts', '{"name":"a\\ud800b"}')
    const error = expectEnvelope(lone, 'validation_failed') as unknown as { details: unknown[] }
    expect(error.details).toEqual([{ field: 'name', message: 'Must not contain unpaired UTF-16 surrogates' }])
    const low = await post(h, '/api/v1/contacts/search', '{"query":"\\udc00"}')
    expectEnvelope(low, 'validation_failed')
    const key = await post(h, '/api/v1/contacts', '{"name":"J","custom_fields":{"\\udbff":"x"}}')
    expect(key.json().error.details[0].field).toBe('custom_fields.\udbff')
    const pair = await post(h, '/api/v1/contacts', '{"name":"J \\ud83d\\ude00"}')
    expect(pair.statusCode).toBe(201)
    expect(pair.json().name).toBe('J 😀')
  })

  test('an escaped backslash before u0000 is not taken for a NUL', async () => {
    const h = await testApp()
    const res = await post(h, '/api/v1/contacts', '{"name":"C:\\\\u0000"}')
    expect(res.statusCode).toBe(201)
    expect(res.json().name).toBe('C:\\u0000')
  })
})

describe('dates every layer can hold', () => {
  test('year 0000, impossible days and instants past 9999 are a 422 naming the field', async () => {
    const h = await testApp()
    for (const date of ['0000-01-01', '2020-02-30', '2021-02-29', '2020-13-01']) {
      const res = await h.api('POST', '/api/v1/deals', { title: 'D', expected_close_date: date })
      const error = expectEnvelope(res, 'validation_failed') as unknown as { details: unknown[] }
      expect(error.details, date).toEqual([{ field: 'expected_close_date', message: 'Must be a valid date' }])
    }
    for (const at of [
      '0000-06-01T00:00:00Z',
      '0001-01-01T00:00:00+01:00',
      '9999-12-31T23:59:59-01:00',
      '2020-06-30T23:59:60Z',
    ]) {
      const res = await h.api('POST', '/api/v1/tasks', { title: 'T', due_at: at })
      const error = expectEnvelope(res, 'validation_failed') as unknown as { details: unknown[] }
      expect(error.details, at).toEqual([{ field: 'due_at', message: 'Must be a valid date time' }])
    }
  })

  test('the first and last days are accepted, and leap days of leap years', async () => {
    const h = await testApp()
    for (const date of ['0001-01-01', '9999-12-31', '2024-02-29', '2000-02-29']) {
      const res = await h.api('POST', '/api/v1/deals', { title: 'D', expected_close_date: date })
      expect(res.statusCode, date).toBe(201)
      expect(res.json().expected_close_date).toBe(date)
    }
    const task = await h.api('POST', '/api/v1/tasks', { title: 'T', due_at: '9999-12-31T23:59:59+00:00' })
    expect(task.statusCode).toBe(201)
  })

  test('date filters in query strings follow the same rule (400 invalid_query)', async () => {
    const h = await testApp()
    for (const url of [
      '/api/v1/deals?expected_close_after=0000-01-01',
      '/api/v1/tasks?due_after=2020-02-30T00:00:00Z',
    ]) {
      expectEnvelope(await h.api('GET', url), 'invalid_query')
    }
  })
})

describe('answers made before a route runs use the envelope too', () => {
  test('a path that is not valid percent-encoding is a 400 invalid_query with a request id', async () => {
    const h = await testApp()
    const res = await h.api('GET', '/api/v1/contacts/%E0%A4%A')
    expectEnvelope(res, 'invalid_query')
  })

  test('a path parameter over 100 characters is a 400 invalid_query; one of 65 to 100 names the parameter', async () => {
    const h = await testApp()
    expectEnvelope(await h.api('GET', `/api/v1/contacts/${'c'.repeat(200)}`), 'invalid_query')
    const res = await h.api('GET', `/api/v1/contacts/${'c'.repeat(65)}`)
    expect(expectEnvelope(res, 'invalid_query')).toMatchObject({
      details: [{ field: 'id', message: 'Must be at most 64 characters' }],
    })
  })

  test('on /v1, whose routes answer in the Sarbacane body, router errors use that body too', async () => {
    const h = await testApp()
    for (const url of ['/v1/webhooks/%E0%A4%A', `/v1/forms/${'f'.repeat(200)}`]) {
      const res = await h.app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(400)
      const body = res.json()
      expect(body, url).not.toHaveProperty('error')
      expect(body, url).toMatchObject({ code: 'invalid_query', request_id: res.headers['x-request-id'] })
    }
  })

  test('an unknown route is a 404 route_not_found with the request id header', async () => {
    const h = await testApp()
    expectEnvelope(await h.api('GET', '/api/v1/nothing-here'), 'route_not_found')
  })
})
