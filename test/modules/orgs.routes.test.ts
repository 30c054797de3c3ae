import { describe, expect, test } from 'vitest'
import { ADMIN_TOKEN, testApp } from '../harness.js'

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }

describe('provisioning API (/admin/v1)', () => {
  test('is a plain 404 when RAPPORT_ADMIN_TOKEN is not set', async () => {
    const h = await testApp({ config: { adminToken: undefined } })
    const res = await h.app.inject({ method: 'POST', url: '/admin/v1/orgs', headers: admin, payload: { name: 'Acme' } })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('route_not_found')
  })

  test('refuses a missing or wrong operator token', async () => {
    const h = await testApp()
    const none = await h.app.inject({ method: 'POST', url: '/admin/v1/orgs', payload: { name: 'Acme' } })
    expect(none.statusCode).toBe(401)
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/admin/v1/orgs',
      headers: { authorization: 'Bearer nope' },
      payload: { name: 'Acme' },
    })
    expect(wrong.statusCode).toBe(401)
    const apiKey = await h.app.inject({
      method: 'GET',
      url: '/admin/v1/orgs',
      headers: { authorization: `Bearer ${h.org.key}` },
    })
    expect(apiKey.statusCode).toBe(401)
  })

  test('creates an organization with a working live key, changes its plan and issues more keys', async () => {
    const h = await testApp()
    const created = await h.app.inject({
      method: 'POST',
      url: '/admin/v1/orgs',
      headers: admin,
      payload: { name: 'Acme', plan: 'teams' },
    })
    expect(created.statusCode).toBe(201)
    const { org, api_key } = created.json()
    expect(org).toMatchObject({ name: 'Acme', plan: 'teams' })
    expect(org.id).toMatch(/^org_/)
    expect(api_key).toMatchObject({ mode: 'live', scopes: ['read', 'write', 'admin', 'webhooks', 'leads', 'keys'] })
    expect(api_key.id).toMatch(/^key_/)
    expect(api_key.key).toMatch(/^rk_live_/)
    const use = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { authorization: `Bearer ${api_key.key}` },
      payload: { email: 'a@acme.test' },
    })
    expect(use.statusCode).toBe(201)

    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/admin/v1/orgs/${org.id}`,
      headers: admin,
      payload: { plan: 'pro' },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ id: org.id, plan: 'pro' })

    const key = await h.app.inject({
      method: 'POST',
      url: `/admin/v1/orgs/${org.id}/api_keys`,
      headers: admin,
      payload: { name: 'Sandbox', mode: 'test', scopes: ['read'] },
    })
    expect(key.statusCode).toBe(201)
    expect(key.json()).toMatchObject({ name: 'Sandbox', mode: 'test', scopes: ['read'] })
    expect(key.json().key).toMatch(/^rk_test_/)

    const list = await h.app.inject({ method: 'GET', url: `/admin/v1/orgs/${org.id}/api_keys`, headers: admin })
    expect(list.json().pagination.total).toBe(2)
    const revoked = await h.app.inject({ method: 'DELETE', url: `/admin/v1/api_keys/${api_key.id}`, headers: admin })
    expect(revoked.json()).toEqual({ id: api_key.id, object: 'api_key', deleted: true })
  })

  test('validates bodies and answers 404 for unknown organizations', async () => {
    const h = await testApp()
    const bad = await h.app.inject({
      method: 'POST',
      url: '/admin/v1/orgs',
      headers: admin,
      payload: { name: '', plan: 'gold' },
    })
    expect(bad.statusCode).toBe(422)
    expect(
      bad
        .json()
        .error.details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['name', 'plan'])
    const missing = await h.app.inject({
      method: 'PATCH',
      url: '/admin/v1/orgs/org_missing',
      headers: admin,
      payload: { plan: 'pro' },
    })
    expect(missing.statusCode).toBe(404)
    const keyForMissing = await h.app.inject({
      method: 'POST',
      url: '/admin/v1/orgs/org_missing/api_keys',
      headers: admin,
      payload: {},
    })
    expect(keyForMissing.statusCode).toBe(404)
  })
})
