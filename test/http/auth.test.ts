import { describe, expect, test } from 'vitest'
import { buildApp } from '../../src/app.js'
import { createDeps } from '../../src/deps.js'
import { testApp, testDatabase } from '../harness.js'

describe('accepted credentials', () => {
  test('Bearer, X-API-Key, Basic org:key and accountId+apiKey headers all authenticate', async () => {
    const h = await testApp()
    const { id, key } = h.org
    const forms: Record<string, string>[] = [
      { authorization: `Bearer ${key}` },
      { 'x-api-key': key },
      { authorization: `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}` },
      { accountid: id, apikey: key },
    ]
    for (const headers of forms) {
      const res = await h.app.inject({ method: 'GET', url: '/api/v1/contacts', headers })
      expect(res.statusCode, JSON.stringify(Object.keys(headers))).toBe(200)
    }
  })

  test('an organization id that does not match the key is refused', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const basic = await h.app.inject({
      method: 'GET',
      url: '/api/v1/contacts',
      headers: { authorization: `Basic ${Buffer.from(`${other.id}:${h.org.key}`).toString('base64')}` },
    })
    expect(basic.statusCode).toBe(401)
    const pair = await h.app.inject({
      method: 'GET',
      url: '/api/v1/contacts',
      headers: { accountid: other.id, apikey: h.org.key },
    })
    expect(pair.statusCode).toBe(401)
    expect(pair.json().error.code).toBe('invalid_api_key')
  })

  test('no key is 401 unauthenticated; a wrong key is 401 invalid_api_key', async () => {
    const h = await testApp()
    const none = await h.app.inject({ method: 'GET', url: '/api/v1/contacts' })
    expect(none.statusCode).toBe(401)
    expect(none.json().error.code).toBe('unauthenticated')
    const wrong = await h.api('GET', '/api/v1/contacts', undefined, { authorization: `Bearer ${h.org.key}x` })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().error.code).toBe('invalid_api_key')
  })
})

describe('API keys', () => {
  test('keys carry at least 128 random bits, are stored only as a hash, and are shown once', async () => {
    const h = await testApp()
    const created = await h.api('POST', '/api/v1/api_keys', { name: 'Zapier', scopes: ['read'] })
    expect(created.statusCode).toBe(201)
    const { key, id, prefix } = created.json()
    expect(key).toMatch(/^rk_live_[0-9A-Za-z]{32,}$/)
    expect(key.length - 'rk_live_'.length).toBeGreaterThanOrEqual(Math.ceil(128 / Math.log2(62)))
    expect(key.startsWith(prefix)).toBe(true)
    const stored = await h.deps.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(JSON.stringify(stored)).not.toContain(key.slice(8))
    const list = (await h.api('GET', '/api/v1/api_keys')).json()
    const listed = list.data.find((k: { id: string }) => k.id === id)
    expect(listed).toMatchObject({
      id,
      name: 'Zapier',
      prefix,
      mode: 'live',
      scopes: ['read'],
      last_used_at: null,
      expires_at: null,
    })
    expect(listed.key).toBeUndefined()
    expect(JSON.stringify(list)).not.toContain(key)
  })

  test('rotation: a new key and the old one both work until the old one is revoked', async () => {
    const h = await testApp()
    const fresh = (await h.api('POST', '/api/v1/api_keys', { name: 'rotated' })).json()
    const as = (k: string) => h.api('GET', '/api/v1/contacts', undefined, { authorization: `Bearer ${k}` })
    expect((await as(fresh.key)).statusCode).toBe(200)
    expect((await as(h.org.key)).statusCode).toBe(200)
    const revoked = await h.api('DELETE', `/api/v1/api_keys/${h.org.keyId}`, undefined, {
      authorization: `Bearer ${fresh.key}`,
    })
    expect(revoked.json()).toEqual({ id: h.org.keyId, object: 'api_key', deleted: true })
    await new Promise((r) => setTimeout(r, h.deps.config.keyCacheMs + 50))
    expect((await as(h.org.key)).statusCode).toBe(401)
    expect((await as(fresh.key)).statusCode).toBe(200)
  })

  test('a revoked key stops working within 1 second on every API process', async () => {
    const h = await testApp()
    const database = await testDatabase()
    const secondDeps = await createDeps(h.deps.config, { database })
    const second = await buildApp(secondDeps, { logger: false })
    try {
      const get = (app: typeof second) =>
        app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { 'x-api-key': h.org.key } })
      expect((await get(second)).statusCode).toBe(200)
      expect((await get(h.app)).statusCode).toBe(200)
      const other = await h.newKey(h.org.id)
      await h.api('DELETE', `/api/v1/api_keys/${h.org.keyId}`, undefined, { authorization: `Bearer ${other}` })
      const revokedAt = Date.now()
      let lastOk = revokedAt
      while (Date.now() - revokedAt < 1500) {
        const [a, b] = await Promise.all([get(h.app), get(second)])
        if (a.statusCode === 200 || b.statusCode === 200) lastOk = Date.now()
        await new Promise((r) => setTimeout(r, 25))
      }
      expect(lastOk - revokedAt).toBeLessThan(1000)
    } finally {
      await second.close()
      await secondDeps.close()
    }
  })

  test('an expired key stops working; an expiry in the past is refused', async () => {
    const h = await testApp()
    const past = await h.api('POST', '/api/v1/api_keys', { expires_at: new Date(Date.now() - 1000).toISOString() })
    expect(past.statusCode).toBe(422)
    const soon = (
      await h.api('POST', '/api/v1/api_keys', { expires_at: new Date(Date.now() + 1500).toISOString() })
    ).json()
    expect(
      (await h.api('GET', '/api/v1/contacts', undefined, { authorization: `Bearer ${soon.key}` })).statusCode,
    ).toBe(200)
    await new Promise((r) => setTimeout(r, 1600))
    const res = await h.api('GET', '/api/v1/contacts', undefined, { authorization: `Bearer ${soon.key}` })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.message).toMatch(/expired/)
  })

  test('last_used_at is recorded when a key is used', async () => {
    const h = await testApp()
    await h.api('GET', '/api/v1/contacts')
    await new Promise((r) => setTimeout(r, 100))
    const row = await h.deps.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', h.org.keyId)
      .executeTakeFirstOrThrow()
    expect(row.last_used_at).toBeInstanceOf(Date)
  })

  test('a test-mode key may only create test-mode keys', async () => {
    const h = await testApp()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const live = await h.api('POST', '/api/v1/api_keys', { mode: 'live' }, { authorization: `Bearer ${testKey}` })
    expect(live.statusCode).toBe(403)
    const made = await h.api('POST', '/api/v1/api_keys', { mode: 'test' }, { authorization: `Bearer ${testKey}` })
    expect(made.json().key).toMatch(/^rk_test_/)
  })

  test('another organization’s key cannot be revoked (404)', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const res = await h.api('DELETE', `/api/v1/api_keys/${other.keyId}`)
    expect(res.statusCode).toBe(404)
    expect(
      (await h.api('GET', '/api/v1/contacts', undefined, { authorization: `Bearer ${other.key}` })).statusCode,
    ).toBe(200)
  })
})

describe('plans cap scopes', () => {
  test('free keys read only, pro keys read and write, teams keys also admin; managing keys on every plan', async () => {
    const free = await testApp({ plan: 'free' })
    expect((await free.api('GET', '/api/v1/contacts')).statusCode).toBe(200)
    const write = await free.api('POST', '/api/v1/contacts', { email: 'a@example.com' })
    expect(write.statusCode).toBe(403)
    expect(write.json().error.code).toBe('plan_limit')

    const pro = await free.newOrg('pro')
    const proPost = await free.api(
      'POST',
      '/api/v1/contacts',
      { email: 'a@example.com' },
      { authorization: `Bearer ${pro.key}` },
    )
    expect(proPost.statusCode).toBe(201)
    const proAdmin = await free.api(
      'POST',
      '/api/v1/pipelines',
      { name: 'Renewals' },
      { authorization: `Bearer ${pro.key}` },
    )
    expect(proAdmin.statusCode).toBe(403)
    expect(proAdmin.json().error.code).toBe('plan_limit')
    // The keys scope (an organization's own keys) belongs to every plan, the free one included.
    expect((await free.api('GET', '/api/v1/api_keys')).statusCode).toBe(200)
    expect(
      (await free.api('GET', '/api/v1/api_keys', undefined, { authorization: `Bearer ${pro.key}` })).statusCode,
    ).toBe(200)
  })

  test('a key created with fewer scopes than its plan allows gets insufficient_scope', async () => {
    const h = await testApp()
    const readOnly = await h.newKey(h.org.id, { scopes: ['read'] })
    const res = await h.api(
      'POST',
      '/api/v1/contacts',
      { email: 'a@example.com' },
      { authorization: `Bearer ${readOnly}` },
    )
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('insufficient_scope')
  })

  test('a key cannot be created with scopes beyond the plan', async () => {
    const h = await testApp({ plan: 'pro' })
    const res = await h.app.inject({
      method: 'POST',
      url: `/admin/v1/orgs/${h.org.id}/api_keys`,
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { name: 'too much', scopes: ['read', 'admin'] },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().error).toMatchObject({ code: 'plan_limit', details: [{ field: 'scopes' }] })
    await expect(h.newKey(h.org.id, { scopes: ['write'] })).resolves.toMatch(/^rk_live_/)
  })

  test('a plan downgrade narrows existing keys within a second', async () => {
    const h = await testApp({ plan: 'teams' })
    expect((await h.api('GET', '/api/v1/webhook_endpoints')).statusCode).toBe(200)
    const patch = await h.app.inject({
      method: 'PATCH',
      url: `/admin/v1/orgs/${h.org.id}`,
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { plan: 'free' },
    })
    expect(patch.json().plan).toBe('free')
    await new Promise((r) => setTimeout(r, h.deps.config.keyCacheMs + 50))
    expect((await h.api('GET', '/api/v1/webhook_endpoints')).statusCode).toBe(403)
    expect((await h.api('POST', '/api/v1/contacts', { email: 'x@example.com' })).statusCode).toBe(403)
    expect((await h.api('GET', '/api/v1/api_keys')).statusCode).toBe(200)
    expect((await h.api('GET', '/api/v1/contacts')).statusCode).toBe(200)
  })
})

describe('plan upgrades', () => {
  test('a key made without explicit scopes gains the scopes of a plan upgrade', async () => {
    const h = await testApp({ plan: 'free' })
    expect((await h.api('POST', '/api/v1/contacts', { email: 'a@example.com' })).statusCode).toBe(403)
    await h.app.inject({
      method: 'PATCH',
      url: `/admin/v1/orgs/${h.org.id}`,
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { plan: 'pro' },
    })
    await new Promise((r) => setTimeout(r, h.deps.config.keyCacheMs + 50))
    expect((await h.api('POST', '/api/v1/contacts', { email: 'a@example.com' })).statusCode).toBe(201)
  })

  test('Basic auth with the key as the user and an empty password works (curl -u key:)', async () => {
    const h = await testApp()
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/v1/contacts',
      headers: { authorization: `Basic ${Buffer.from(`${h.org.key}:`).toString('base64')}` },
    })
    expect(res.statusCode).toBe(200)
  })
})

describe('failed authentications per address', () => {
  // A documentation-range IPv6 /64 no other run uses: with Redis, counters outlive the test run.
  const someAddress = () =>
    `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}::9`

  test('past the limit an address gets 429 with Retry-After, for every key, while other addresses go on', async () => {
    const h = await testApp({ env: { RAPPORT_AUTH_FAILURE_LIMIT: '3' } })
    const attacker = someAddress()
    const guess = () =>
      h.app.inject({
        method: 'GET',
        url: '/api/v1/contacts',
        remoteAddress: attacker,
        headers: { authorization: `Bearer rk_live_${Math.random().toString(36).slice(2).padEnd(24, 'x')}` },
      })
    for (let i = 0; i < 3; i++) expect((await guess()).statusCode).toBe(401)
    const refused = await guess()
    expect(refused.statusCode).toBe(429)
    expect(refused.json().error.code).toBe('rate_limited')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    // The address is refused before any key is read, even a valid one.
    const valid = await h.app.inject({
      method: 'GET',
      url: '/api/v1/contacts',
      remoteAddress: attacker,
      headers: { authorization: `Bearer ${h.org.key}` },
    })
    expect(valid.statusCode).toBe(429)
    const elsewhere = await h.app.inject({
      method: 'GET',
      url: '/api/v1/contacts',
      remoteAddress: '198.51.100.8',
      headers: { authorization: `Bearer ${h.org.key}` },
    })
    expect(elsewhere.statusCode).toBe(200)
  })

  test('requests without any credential, and calls from this machine, are not counted', async () => {
    const h = await testApp({ env: { RAPPORT_AUTH_FAILURE_LIMIT: '2' } })
    const address = someAddress()
    for (let i = 0; i < 4; i++) {
      const res = await h.app.inject({ method: 'GET', url: '/api/v1/contacts', remoteAddress: address })
      expect(res.json().error.code).toBe('unauthenticated')
    }
    for (let i = 0; i < 4; i++) {
      const res = await h.app.inject({
        method: 'GET',
        url: '/api/v1/contacts',
        headers: { authorization: 'Bearer rk_live_thisisnotakeythisisnotakey0000' },
      })
      expect(res.statusCode).toBe(401)
    }
  })
})
