import { describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'
import { newForm } from '../route-tables/leads.js'

const ORIGIN = 'https://www.example.com'

async function createPublishable(h: TestApp, body: Record<string, unknown> = {}) {
  return h.api('POST', '/api/v1/api_keys', {
    name: 'Website',
    type: 'publishable',
    mode: 'live',
    allowed_origins: [ORIGIN],
    ...body,
  })
}

describe('publishable keys', () => {
  test('are created as pk_live_… with normalized origins, no scopes, and listed', async () => {
    const h = await testApp()
    const res = await createPublishable(h, {
      allowed_origins: ['HTTPS://WWW.Example.com:443/', 'http://localhost:8080', 'https://www.example.com'],
    })
    expect(res.statusCode).toBe(201)
    const key = res.json()
    expect(key).toMatchObject({ type: 'publishable', mode: 'live', scopes: [], name: 'Website' })
    expect(key.key).toMatch(/^pk_live_[0-9A-Za-z]{32}$/)
    expect(key.allowed_origins).toEqual(['https://www.example.com', 'http://localhost:8080'])
    const list = (await h.api('GET', '/api/v1/api_keys')).json().data
    const listed = list.find((k: { id: string }) => k.id === key.id)
    expect(listed).toMatchObject({ type: 'publishable', allowed_origins: key.allowed_origins })
    expect(listed.key).toBeUndefined()
    const secret = list.find((k: { type: string }) => k.type === 'secret')
    expect(secret.allowed_origins).toEqual([])
  })

  test('a test-mode publishable key starts with pk_test_', async () => {
    const h = await testApp()
    const res = await createPublishable(h, { mode: 'test' })
    expect(res.statusCode).toBe(201)
    expect(res.json().key).toMatch(/^pk_test_/)
  })

  test('need at least one origin', async () => {
    const h = await testApp()
    for (const body of [{ allowed_origins: [] }, { allowed_origins: undefined }]) {
      const res = await createPublishable(h, body)
      expect(res.statusCode).toBe(422)
      expect(res.json().error.details[0].field).toBe('allowed_origins')
    }
  })

  test('refuse anything that is not scheme://host[:port]', async () => {
    const h = await testApp()
    for (const bad of [
      'www.example.com',
      'ftp://example.com',
      'https://example.com/contact',
      'https://example.com?x=1',
      'https://user:pw@example.com',
      'https://example.com#top',
      'javascript:alert(1)',
    ]) {
      const res = await createPublishable(h, { allowed_origins: [ORIGIN, bad] })
      expect(res.statusCode, bad).toBe(422)
      expect(res.json().error.details[0].field).toBe('allowed_origins.1')
    }
  })

  test('take no scopes, and a secret key takes no origins', async () => {
    const h = await testApp()
    const scoped = await createPublishable(h, { scopes: ['read'] })
    expect(scoped.statusCode).toBe(422)
    expect(scoped.json().error.details[0].field).toBe('scopes')
    const secret = await h.api('POST', '/api/v1/api_keys', { name: 'Server', allowed_origins: [ORIGIN] })
    expect(secret.statusCode).toBe(422)
    expect(secret.json().error.details[0].field).toBe('allowed_origins')
  })

  test('PATCH replaces the origins (normalized), with ETag and If-Match', async () => {
    const h = await testApp()
    const key = (await createPublishable(h)).json()
    const res = await h.api('PATCH', `/api/v1/api_keys/${key.id}`, {
      allowed_origins: ['https://Shop.Example.com/'],
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().allowed_origins).toEqual(['https://shop.example.com'])
    const etag = res.headers.etag as string
    expect(etag).toBeTruthy()
    const stale = await h.api('PATCH', `/api/v1/api_keys/${key.id}`, { name: 'x' }, { 'if-match': '"stale"' })
    expect(stale.statusCode).toBe(412)
    const fresh = await h.api('PATCH', `/api/v1/api_keys/${key.id}`, { name: 'Shop' }, { 'if-match': etag })
    expect(fresh.statusCode).toBe(200)
    expect(fresh.json().name).toBe('Shop')
    const empty = await h.api('PATCH', `/api/v1/api_keys/${key.id}`, { allowed_origins: [] })
    expect(empty.statusCode).toBe(422)
  })

  test('PATCH refuses origins on a secret key and another organization’s key is a 404', async () => {
    const h = await testApp()
    const secretId = (await h.api('GET', '/api/v1/api_keys')).json().data[0].id
    const onSecret = await h.api('PATCH', `/api/v1/api_keys/${secretId}`, { allowed_origins: [ORIGIN] })
    expect(onSecret.statusCode).toBe(422)
    const other = await h.newOrg()
    const theirs = (
      await h.api(
        'POST',
        '/api/v1/api_keys',
        { type: 'publishable', allowed_origins: [ORIGIN] },
        { authorization: `Bearer ${other.key}` },
      )
    ).json()
    const res = await h.api('PATCH', `/api/v1/api_keys/${theirs.id}`, { allowed_origins: [ORIGIN] })
    expect(res.statusCode).toBe(404)
  })

  test('are refused on every private route, whatever the header', async () => {
    const h = await testApp()
    const pk = (await createPublishable(h)).json().key
    const formId = await newForm(h)
    for (const headers of [{ authorization: `Bearer ${pk}` }, { 'x-api-key': pk }]) {
      for (const [method, url, body] of [
        ['GET', '/api/v1/contacts', undefined],
        ['POST', '/api/v1/contacts', { email: 'a@example.com' }],
        ['GET', `/api/v1/forms/${formId}`, undefined],
        ['POST', '/api/v1/form_responses', { form_response: { form_data: { email: 'a@example.com' } } }],
        ['GET', '/api/v1/api_keys', undefined],
      ] as const) {
        const res = await h.app.inject({ method, url, headers: { ...headers, origin: ORIGIN }, payload: body })
        expect(res.statusCode, `${method} ${url}`).toBe(401)
        // POST /api/v1/form_responses answers in the CallMeBack dialect: the message sits at the top.
        const answer = res.json()
        const message = url === '/api/v1/form_responses' ? answer.message : answer.error.message
        expect(message, `${method} ${url}`).toMatch(/publishable key can only submit forms/)
      }
    }
  })
})
