import type { LightMyRequestResponse } from 'fastify'
import { describe, expect, test } from 'vitest'
import { runOperation } from '../../src/cli/operations.js'
import { SignInLinks } from '../../src/modules/accounts/sign-in-links.service.js'
import { ADMIN_TOKEN, testApp } from '../harness.js'

const PASSWORD = 'correct horse battery staple'
const PUBLIC_URL = 'https://crm.example.com'
const unique = () => Math.random().toString(36).slice(2, 10)

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2025-03-01T09:00:00Z')) {
  let now = start
  return { nowMs: () => now, advance: (ms: number) => (now += ms) }
}

const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, '')

function cookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'rapport_session')
  if (!cookie) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`)
  return `rapport_session=${cookie.value}`
}

async function createOrg(h: Awaited<ReturnType<typeof testApp>>, body: object, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url: '/admin/v1/orgs',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
    payload: { plan: 'teams', ...body },
  })
}

describe('an owner on first run', () => {
  test('POST /admin/v1/orgs with an owner answers a single-use link from RAPPORT_PUBLIC_URL that signs the owner in', async () => {
    const h = await testApp({ env: { RAPPORT_PUBLIC_URL: `${PUBLIC_URL}/` } })
    const email = `owner.${unique()}@acme.example`
    const res = await createOrg(h, { name: 'Acme', owner: { email, name: 'Jane Doe' } }, { host: 'evil.example' })
    expect(res.statusCode).toBe(201)
    const { org, owner, next_step } = res.json()
    expect(owner).toMatchObject({
      object: 'sign_in_link',
      purpose: 'activate',
      user: { email, name: 'Jane Doe', role: 'owner', org_id: org.id },
    })
    expect(owner.url).toMatch(/^https:\/\/crm\.example\.com\/app\/sign-in-link#token=[0-9A-Za-z]{20,}$/)
    expect(next_step).toContain('owner.url')
    const token = tokenOf(owner.url)

    const preview = await h.app.inject({ method: 'GET', url: `/api/v1/sign-in-links/preview?token=${token}` })
    expect(preview.statusCode).toBe(200)
    expect(preview.json()).toMatchObject({ purpose: 'activate', email, organization: { name: 'Acme' } })

    // Before the link is used, the owner cannot sign in: there is no password yet.
    const early = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: PASSWORD } })
    expect(early.statusCode).toBe(401)

    const redeem = () =>
      h.app.inject({ method: 'POST', url: '/api/v1/sign-in-links/redeem', payload: { token, password: PASSWORD } })
    const used = await redeem()
    expect(used.statusCode).toBe(201)
    expect(used.json()).toMatchObject({ user: { email, role: 'owner' }, organization: { id: org.id } })
    const session = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: cookieOf(used) } })
    expect(session.statusCode).toBe(200)

    expect((await redeem()).statusCode).toBe(404)
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: PASSWORD } })
    expect(login.statusCode).toBe(200)
  })

  test('without an owner the answer says how to make one, with the organization id', async () => {
    const h = await testApp()
    const res = await createOrg(h, { name: 'No owner' })
    expect(res.statusCode).toBe(201)
    const { org, owner, next_step } = res.json()
    expect(owner).toBeNull()
    expect(next_step).toContain(`rapport user invite --org ${org.id}`)
    expect(next_step).toContain('--role owner')
  })

  test('an owner email that already signs in elsewhere is a 409 and creates no organization', async () => {
    const h = await testApp()
    const email = `taken.${unique()}@acme.example`
    const first = await createOrg(h, { name: 'First', owner: { email, name: 'Jo' } })
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/sign-in-links/redeem',
      payload: { token: tokenOf(first.json().owner.url), password: PASSWORD },
    })
    const name = `Second ${unique()}`
    const second = await createOrg(h, { name, owner: { email: email.toUpperCase(), name: 'Jo' } })
    expect(second.statusCode).toBe(409)
    const orgs = await h.deps.db.selectFrom('organizations').select('id').where('name', '=', name).execute()
    expect(orgs).toEqual([])
  })
})

describe('operator links from the command line', () => {
  test('user invite makes an owner of an organization created without one; the link expires', async () => {
    const clock = manualClock()
    const h = await testApp({ clock, env: { RAPPORT_PUBLIC_URL: PUBLIC_URL, RAPPORT_INVITE_TTL_HOURS: '72' } })
    const ctx = {
      db: h.deps.db,
      links: new SignInLinks(h.deps.db, clock, h.deps.publicUrl, 72),
    }
    const email = `new.owner.${unique()}@acme.example`
    const link = (await runOperation(ctx, {
      command: 'user.invite',
      args: { org: h.org.id, email, role: 'owner' },
    })) as { url: string; user: { role: string } }
    expect(link.user.role).toBe('owner')
    expect(link.url.startsWith(`${PUBLIC_URL}/app/sign-in-link#token=`)).toBe(true)

    // A second invite replaces the first link.
    const again = (await runOperation(ctx, {
      command: 'user.invite',
      args: { org: h.org.id, email, role: 'owner' },
    })) as {
      url: string
    }
    const preview = (url: string) =>
      h.app.inject({ method: 'GET', url: `/api/v1/sign-in-links/preview?token=${tokenOf(url)}` })
    expect((await preview(link.url)).statusCode).toBe(404)
    expect((await preview(again.url)).statusCode).toBe(200)
    clock.advance(72 * 3_600_000 + 1)
    expect((await preview(again.url)).statusCode).toBe(404)
  })

  test('reset-password makes a one-hour link that sets a new password and ends the other sessions', async () => {
    const clock = manualClock()
    const h = await testApp({ clock, env: { RAPPORT_PUBLIC_URL: PUBLIC_URL } })
    const ctx = { db: h.deps.db, links: new SignInLinks(h.deps.db, clock, h.deps.publicUrl, 72) }
    const email = `reset.${unique()}@acme.example`
    const created = await createOrg(h, { name: 'Reset', owner: { email, name: 'Ria' } })
    const first = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sign-in-links/redeem',
      payload: { token: tokenOf(created.json().owner.url), password: PASSWORD },
    })
    const oldSession = cookieOf(first)

    const reset = (await runOperation(ctx, { command: 'user.reset-password', args: { email } })) as {
      url: string
      purpose: string
      expires_at: string
    }
    expect(reset.purpose).toBe('reset_password')
    expect(Date.parse(reset.expires_at) - clock.nowMs()).toBe(3_600_000)
    const used = await h.app.inject({
      method: 'POST',
      url: '/api/v1/sign-in-links/redeem',
      payload: { token: tokenOf(reset.url), password: 'a brand new passphrase' },
    })
    expect(used.statusCode).toBe(201)
    const before = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: oldSession } })
    expect(before.statusCode).toBe(401)
    const login = (password: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } })
    expect((await login(PASSWORD)).statusCode).toBe(401)
    expect((await login('a brand new passphrase')).statusCode).toBe(200)

    await expect(
      runOperation(ctx, { command: 'user.reset-password', args: { email: `nobody.${unique()}@acme.example` } }),
    ).rejects.toMatchObject({ code: 'not_found' })
  })
})

describe('links are never built from the Host header', () => {
  test('an invite link uses RAPPORT_PUBLIC_URL whatever Host the request names', async () => {
    const h = await testApp({ env: { RAPPORT_PUBLIC_URL: PUBLIC_URL } })
    const res = await h.api(
      'POST',
      '/api/v1/invites',
      { email: `i.${unique()}@acme.example`, role: 'member' },
      { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    )
    expect(res.statusCode).toBe(201)
    expect(res.json().accept_url.startsWith(`${PUBLIC_URL}/app/invite#token=`)).toBe(true)
  })

  test('without RAPPORT_PUBLIC_URL an invite link uses the listen address, not the Host header', async () => {
    const h = await testApp({ env: { RAPPORT_PUBLIC_URL: '', HOST: '127.0.0.1', PORT: '4123' } })
    const res = await h.api(
      'POST',
      '/api/v1/invites',
      { email: `i.${unique()}@acme.example`, role: 'member' },
      { host: 'evil.example' },
    )
    expect(res.json().accept_url.startsWith('http://127.0.0.1:4123/app/invite#token=')).toBe(true)
    h.deps.publicUrl.setListenAddress('http://127.0.0.1:5123')
    const after = await h.api('POST', '/api/v1/invites', { email: `i.${unique()}@acme.example`, role: 'member' })
    expect(after.json().accept_url.startsWith('http://127.0.0.1:5123/app/invite#token=')).toBe(true)
  })
})
