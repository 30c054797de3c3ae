import { describe, expect, test } from 'vitest'
import { ADMIN_TOKEN, emptyInstallation, testApp } from '../harness.js'
import { asUser, invite, memberOf, ownerOf, PASSWORD, randomAddress, signedIn, unique } from './accounts-fixtures.js'

/*
 * Dashboard accounts: first-run setup, sign-in and sign-out, sessions acting on /api/v1 with a CSRF
 * token, roles, and invites.
 */

describe('first-run setup', () => {
  test('an empty installation asks for setup once; the owner is signed in and a second setup is refused', async () => {
    const { app } = await emptyInstallation()
    expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({
      setup_required: true,
      signup_enabled: false,
    })
    const body = {
      organization_name: 'Acme',
      name: 'Jane Doe',
      email: `jane.${unique()}@acme.example`,
      password: PASSWORD,
    }
    const [first, second] = await Promise.all([
      app.inject({ method: 'POST', url: '/api/v1/setup', payload: body }),
      app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, email: `x.${unique()}@acme.example` } }),
    ])
    const statuses = [first.statusCode, second.statusCode].sort()
    expect(statuses).toEqual([201, 409])
    const winner = first.statusCode === 201 ? first : second
    const loser = first.statusCode === 201 ? second : first
    expect(loser.json().error.code).toBe('setup_complete')
    expect(winner.json()).toMatchObject({
      object: 'session',
      user: { name: 'Jane Doe', role: 'owner' },
      organization: { name: 'Acme', plan: 'teams' },
    })
    const cookie = winner.cookies.find((c) => c.name === 'rapport_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(cookie?.secure).toBeFalsy()
    expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json().setup_required).toBe(false)
    // The new organization has no API key: the owner makes the ones they need.
    const keys = await asUser(app, signedIn(winner)).get('/api/v1/api_keys')
    expect(keys.json().data).toEqual([])
  })

  test('with sign-up enabled a second organization can be created, but not with an email that already signs in', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const email = `owner.${unique()}@acme.example`
    const body = { organization_name: 'Second', name: 'Sam', email, password: PASSWORD }
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/setup', payload: body })
    expect(created.statusCode).toBe(201)
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { ...body, email: email.toUpperCase() },
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.details[0].field).toBe('email')
  })

  test('an installation with an organization refuses setup unless sign-up is enabled', async () => {
    const h = await testApp()
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { organization_name: 'Late', name: 'Lee', email: `lee.${unique()}@x.example`, password: PASSWORD },
    })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('setup_complete')
  })

  test('a short password is a 422 naming the field', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { organization_name: 'A', name: 'B', email: `b.${unique()}@x.example`, password: 'short' },
    })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('password')
  })
})

describe('sessions', () => {
  test('signing in with a wrong password or an unknown email gives the same 401; the right one sets the cookie', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: owner.email, password: 'not the password' },
    })
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: `nobody.${unique()}@x.example`, password: 'not the password' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.json().error.code).toBe('invalid_credentials')
    expect(unknown.json().error.message).toBe(wrong.json().error.message)
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: owner.email.toUpperCase(), password: PASSWORD },
    })
    expect(ok.statusCode).toBe(200)
    const s = signedIn(ok)
    const me = await asUser(h.app, s).get('/api/v1/session')
    expect(me.json()).toMatchObject({ user: { email: owner.email, role: 'owner' }, csrf_token: s.csrf })
  })

  test('a session reads and changes data through /api/v1, but a change without the CSRF token is refused', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const u = asUser(h.app, owner)
    const email = `c.${unique()}@example.com`
    const forged = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { cookie: owner.cookie },
      payload: { email },
    })
    expect(forged.statusCode).toBe(403)
    expect(forged.json().error.code).toBe('csrf_failed')
    const wrongToken = await u.send('POST', '/api/v1/contacts', { email }, { 'x-csrf-token': 'guess' })
    expect(wrongToken.statusCode).toBe(403)
    const created = await u.send('POST', '/api/v1/contacts', { email })
    expect(created.statusCode).toBe(201)
    const list = await u.get('/api/v1/contacts')
    expect(list.json().data.map((c: { email: string }) => c.email)).toEqual([email])
  })

  test('Rapport-Mode: test makes a session act on test data only', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const u = asUser(h.app, await ownerOf(h))
    const created = await u.send(
      'POST',
      '/api/v1/contacts',
      { email: `t.${unique()}@example.com` },
      { 'rapport-mode': 'test' },
    )
    expect(created.statusCode).toBe(201)
    expect((await u.get('/api/v1/contacts', { 'rapport-mode': 'test' })).json().data).toHaveLength(1)
    expect((await u.get('/api/v1/contacts')).json().data).toHaveLength(0)
    expect((await u.get('/api/v1/contacts', { 'rapport-mode': 'sandbox' })).statusCode).toBe(400)
  })

  test('signing out needs the CSRF token, ends the session and clears the cookie', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const u = asUser(h.app, owner)
    const forged = await h.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: owner.cookie } })
    expect(forged.statusCode).toBe(403)
    const out = await u.send('DELETE', '/api/v1/session')
    expect(out.statusCode).toBe(204)
    expect(out.cookies.find((c) => c.name === 'rapport_session')?.value).toBe('')
    expect((await u.get('/api/v1/session')).statusCode).toBe(401)
    expect((await u.get('/api/v1/contacts')).statusCode).toBe(401)
  })

  test('a session expires after RAPPORT_SESSION_TTL_HOURS', async () => {
    let now = Date.now()
    const h = await testApp({
      env: { RAPPORT_ALLOW_SIGNUP: '1', RAPPORT_SESSION_TTL_HOURS: '1' },
      clock: { nowMs: () => now },
    })
    const u = asUser(h.app, await ownerOf(h))
    expect((await u.get('/api/v1/contacts')).statusCode).toBe(200)
    now += 3_600_000 + 1000
    const res = await u.get('/api/v1/contacts')
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('unauthenticated')
  })

  test('sign-in attempts are limited per account from one address, whatever the outcome, without affecting other accounts or addresses', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1', RAPPORT_LOGIN_RATE_LIMITS: 'account_ip=3' } })
    const a = await ownerOf(h)
    const b = await ownerOf(h)
    const [here, elsewhere] = [randomAddress(), randomAddress()]
    const attempt = (email: string, password: string, remoteAddress = here) =>
      h.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, payload: { email, password } })
    for (let i = 0; i < 3; i++) expect((await attempt(a.email, 'wrong password')).statusCode).toBe(401)
    const limited = await attempt(a.email, PASSWORD)
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect((await attempt(b.email, PASSWORD)).statusCode).toBe(200)
    expect((await attempt(a.email, PASSWORD, elsewhere)).statusCode).toBe(200)
  })

  test('sign-in attempts are limited per client address across accounts', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1', RAPPORT_LOGIN_RATE_LIMITS: 'ip=2' } })
    const attempt = (remoteAddress: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress,
        payload: { email: `n.${unique()}@x.example`, password: 'whatever password' },
      })
    // Addresses of their own: with Redis, counters outlive the test run.
    const [one, other] = [randomAddress(), randomAddress()]
    expect((await attempt(one)).statusCode).toBe(401)
    expect((await attempt(one)).statusCode).toBe(401)
    expect((await attempt(one)).statusCode).toBe(429)
    expect((await attempt(other)).statusCode).toBe(401)
  })
})

describe('roles and invites', () => {
  test('an invite link works once, for the invited role, and its token is never listed', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const inv = await invite(h, owner, 'admin')
    expect(inv.accept_url).toMatch(/\/app\/invite#token=/)
    const preview = await h.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${inv.token}` })
    expect(preview.json()).toMatchObject({ email: inv.email, role: 'admin' })
    const listed = await asUser(h.app, owner).get('/api/v1/invites?status=pending')
    expect(listed.json().data).toHaveLength(1)
    expect(listed.json().data[0]).not.toHaveProperty('token')
    const accept = () =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/invites/accept',
        payload: { token: inv.token, name: 'Ada Admin', password: PASSWORD },
      })
    const [a, b] = await Promise.all([accept(), accept()])
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 404])
    const admin = signedIn(a.statusCode === 201 ? a : b)
    expect(admin.body.user.role).toBe('admin')
    expect(admin.body.organization.id).toBe(owner.body.organization.id)
    expect((await asUser(h.app, admin).get('/api/v1/api_keys')).statusCode).toBe(200)
    const users = await asUser(h.app, owner).get('/api/v1/users')
    expect(
      users
        .json()
        .data.map((u: { role: string }) => u.role)
        .sort(),
    ).toEqual(['admin', 'owner'])
  })

  test('a member works with CRM data but cannot see API keys, webhooks, invites or the audit log', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const member = asUser(h.app, await memberOf(h, owner))
    expect((await member.send('POST', '/api/v1/contacts', { email: `m.${unique()}@x.example` })).statusCode).toBe(201)
    for (const path of ['/api/v1/api_keys', '/api/v1/webhook_endpoints', '/api/v1/invites']) {
      const res = await member.get(path)
      expect(res.statusCode, path).toBe(403)
      expect(res.json().error.code).toBe('insufficient_scope')
    }
    expect((await member.send('POST', '/api/v1/invites', { email: 'x@x.example', role: 'admin' })).statusCode).toBe(403)
  })

  test('a revoked or expired invite no longer works; inviting someone who already signs in here is a 409', async () => {
    let now = Date.now()
    const h = await testApp({
      env: { RAPPORT_ALLOW_SIGNUP: '1', RAPPORT_INVITE_TTL_HOURS: '2' },
      clock: { nowMs: () => now },
    })
    const owner = await ownerOf(h)
    const u = asUser(h.app, owner)
    const revoked = await invite(h, owner, 'member')
    expect((await u.send('DELETE', `/api/v1/invites/${revoked.id}`)).statusCode).toBe(204)
    expect((await u.send('DELETE', `/api/v1/invites/${revoked.id}`)).statusCode).toBe(404)
    const preview = (token: string) => h.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${token}` })
    expect((await preview(revoked.token)).statusCode).toBe(404)
    const expiring = await invite(h, owner, 'member')
    expect((await preview(expiring.token)).statusCode).toBe(200)
    now += 2 * 3_600_000 + 1000
    expect((await preview(expiring.token)).statusCode).toBe(404)
    expect((await u.get('/api/v1/invites?status=expired')).json().data.map((i: { id: string }) => i.id)).toEqual([
      expiring.id,
    ])
    const dup = await u.send('POST', '/api/v1/invites', { email: owner.email, role: 'member' })
    expect(dup.statusCode).toBe(409)
  })

  test('an admin cannot demote, change or remove an owner, nor make one; an owner can', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = asUser(h.app, await memberOf(h, owner, 'admin'))
    const member = await memberOf(h, owner)
    const ownerId = owner.body.user.id
    const refused = [
      await admin.send('PATCH', `/api/v1/users/${ownerId}`, { role: 'member' }),
      await admin.send('PATCH', `/api/v1/users/${ownerId}`, { name: 'Renamed' }),
      await admin.send('DELETE', `/api/v1/users/${ownerId}`),
      await admin.send('PATCH', `/api/v1/users/${member.body.user.id}`, { role: 'owner' }),
    ]
    for (const res of refused) expect(res.statusCode, res.body).toBe(403)
    expect((await admin.send('PATCH', `/api/v1/users/${member.body.user.id}`, { role: 'admin' })).statusCode).toBe(200)
    const promoted = await asUser(h.app, owner).send('PATCH', `/api/v1/users/${member.body.user.id}`, { role: 'owner' })
    expect(promoted.json().role).toBe('owner')
  })

  test('an admin cannot create an owner user either (a later invite to that email would make them an owner)', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const admin = asUser(h.app, await memberOf(h, owner, 'admin'))
    const user = { name: 'Alt', email: `alt.${unique()}@acme.example`, username: `alt-${unique()}` }
    const refused = await admin.send('POST', '/api/v1/users', { ...user, role: 'owner' })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.message).toBe('Only an owner can make, change or remove an owner')
    expect((await asUser(h.app, owner).send('POST', '/api/v1/users', { ...user, role: 'owner' })).statusCode).toBe(201)
  })

  test("an API key has its creator's authority over owners: an admin's key cannot change owners, an owner's key can, an operator's key can", async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const adminSigned = await memberOf(h, owner, 'admin')
    const member = await memberOf(h, owner)
    const ownerId = owner.body.user.id
    const keyOf = async (by: ReturnType<typeof asUser>) => {
      const res = await by.send('POST', '/api/v1/api_keys', {
        name: 'automation',
        scopes: ['read', 'write', 'admin', 'keys'],
      })
      expect(res.statusCode, res.body).toBe(201)
      return res.json() as { key: string; created_by_user_id: string | null }
    }
    const withKey = (key: string) => (method: 'PATCH' | 'DELETE' | 'POST', url: string, body?: object) =>
      h.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body ? { payload: body } : {}) })

    const adminMade = await keyOf(asUser(h.app, adminSigned))
    expect(adminMade.created_by_user_id).toBe(adminSigned.body.user.id)
    const adminKey = withKey(adminMade.key)
    // A key made with the admin's key is still the admin's.
    const made = await adminKey('POST', '/api/v1/api_keys', { name: 'second', scopes: ['admin'] })
    expect(made.statusCode, made.body).toBe(201)
    expect(made.json().created_by_user_id).toBe(adminSigned.body.user.id)
    const adminKeyOfKey = withKey(made.json().key)
    for (const send of [adminKey, adminKeyOfKey]) {
      const refused = [
        await send('PATCH', `/api/v1/users/${ownerId}`, { role: 'member' }),
        await send('DELETE', `/api/v1/users/${ownerId}`),
        await send('PATCH', `/api/v1/users/${member.body.user.id}`, { role: 'owner' }),
        await send('POST', '/api/v1/users', {
          name: 'X',
          email: `x.${unique()}@acme.example`,
          username: `x-${unique()}`,
          role: 'owner',
        }),
      ]
      for (const res of refused) {
        expect(res.statusCode, res.body).toBe(403)
        expect(res.json().error.message).toContain('the user who created this API key is an admin')
      }
      // Everything else an admin may do, the key does.
      expect((await send('PATCH', `/api/v1/users/${member.body.user.id}`, { name: 'Renamed' })).statusCode).toBe(200)
    }

    const ownerKey = withKey((await keyOf(asUser(h.app, owner))).key)
    const promoted = await ownerKey('PATCH', `/api/v1/users/${member.body.user.id}`, { role: 'owner' })
    expect(promoted.statusCode, promoted.body).toBe(200)
    // Authority is the creator's role today: once the owner is demoted, their key loses it.
    expect((await ownerKey('PATCH', `/api/v1/users/${ownerId}`, { role: 'admin' })).statusCode).toBe(200)
    const afterDemotion = await ownerKey('PATCH', `/api/v1/users/${member.body.user.id}`, { role: 'admin' })
    expect(afterDemotion.statusCode).toBe(403)

    // A key the operator provisioned acts for the organization.
    const provisioned = await h.app.inject({
      method: 'POST',
      url: `/admin/v1/orgs/${owner.body.organization.id}/api_keys`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { name: 'operator', mode: 'live' },
    })
    expect(provisioned.statusCode, provisioned.body).toBe(201)
    expect(provisioned.json().created_by_user_id).toBeNull()
    const operator = withKey(provisioned.json().key)
    const byOperator = await operator('PATCH', `/api/v1/users/${adminSigned.body.user.id}`, { role: 'owner' })
    expect(byOperator.statusCode, byOperator.body).toBe(200)
  })

  test('a role change applies to open sessions at once, and removing a user ends their sessions', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const m = await memberOf(h, owner, 'admin')
    const asAdmin = asUser(h.app, m)
    expect((await asAdmin.get('/api/v1/api_keys')).statusCode).toBe(200)
    await asUser(h.app, owner).send('PATCH', `/api/v1/users/${m.body.user.id}`, { role: 'member' })
    expect((await asAdmin.get('/api/v1/api_keys')).statusCode).toBe(403)
    await asUser(h.app, owner).send('DELETE', `/api/v1/users/${m.body.user.id}`)
    expect((await asAdmin.get('/api/v1/contacts')).statusCode).toBe(401)
  })

  test('behind an HTTPS proxy the session cookie is Secure', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1', RAPPORT_TRUST_PROXY: 'loopback' } })
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { organization_name: 'Sec', name: 'S', email: `s.${unique()}@x.example`, password: PASSWORD },
    })
    expect(res.statusCode).toBe(201)
    expect(res.cookies.find((c) => c.name === 'rapport_session')?.secure).toBe(true)
  })

  test('the invite list pages by cursor, newest first, without repeats', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const ids = [
      (await invite(h, owner, 'member')).id,
      (await invite(h, owner, 'member')).id,
      (await invite(h, owner, 'admin')).id,
    ]
    const first = (await asUser(h.app, owner).get('/api/v1/invites?limit=2')).json()
    expect(first.pagination).toMatchObject({ total: 3, has_more: true })
    const second = (
      await asUser(h.app, owner).get(`/api/v1/invites?limit=2&cursor=${first.pagination.next_cursor}`)
    ).json()
    expect(second.pagination).toMatchObject({ has_more: false, next_cursor: null })
    expect([...first.data, ...second.data].map((i: { id: string }) => i.id)).toEqual([...ids].reverse())
  })

  test('invites are private to their organization and made in live mode only', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const inv = await invite(h, owner, 'member')
    const stranger = asUser(h.app, await ownerOf(h))
    expect((await stranger.get('/api/v1/invites')).json().data).toEqual([])
    expect((await stranger.send('DELETE', `/api/v1/invites/${inv.id}`)).statusCode).toBe(404)
    const inTest = await asUser(h.app, owner).send(
      'POST',
      '/api/v1/invites',
      { email: `t.${unique()}@x.example`, role: 'member' },
      { 'rapport-mode': 'test' },
    )
    expect(inTest.statusCode).toBe(403)
    const preview = await h.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${inv.token}` })
    expect(preview.statusCode).toBe(200)
  })
})
