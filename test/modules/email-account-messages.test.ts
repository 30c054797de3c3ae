import { describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'
import { asUser, invite, ownerOf, PASSWORD, randomAddress, type Signed, tokenOf, unique } from './accounts-fixtures.js'

/*
 * Rapport's own messages about people: team invites, password resets and lead notifications, each
 * queued through the path of every message and each turned off per organization.
 */

interface Queued {
  id: string
  to: string
  subject: string
  html: string | null
  category: string
}

async function emailsOf(h: TestApp, owner: Signed, category: string): Promise<Queued[]> {
  const res = await asUser(h.app, owner).get(`/api/v1/emails?limit=100&category=${category}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json().data
}

const linkIn = (html: string | null, path: string) => {
  const m = html?.match(new RegExp(`href="([^"]*${path}[^"]*)"`))
  if (!m?.[1]) throw new Error(`no ${path} link in ${html}`)
  return m[1].replaceAll('&amp;', '&')
}

const askReset = (h: TestApp, email: string, ip = randomAddress()) =>
  h.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email }, remoteAddress: ip })

async function setSwitch(h: TestApp, owner: Signed, patch: Record<string, boolean>) {
  const res = await asUser(h.app, owner).send('PATCH', '/api/v1/email-settings', patch)
  expect(res.statusCode, res.body).toBe(200)
}

describe('team invites', () => {
  test('an invite made through the API emails its accept link to the invited address', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const inv = await invite(h, owner, 'member')
    const [sent, ...more] = await emailsOf(h, owner, 'account.invite')
    expect(more).toEqual([])
    expect(sent).toMatchObject({ to: inv.email })
    expect(sent?.subject).toMatch(/^You are invited to Org /)
    expect(tokenOf(linkIn(sent?.html ?? null, '/app/invite'))).toBe(inv.token)
  })

  test('an organization with invite emails off gets the link in the answer only', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    await setSwitch(h, owner, { invite_emails: false })
    await invite(h, owner, 'member')
    expect(await emailsOf(h, owner, 'account.invite')).toEqual([])
  })
})

describe('POST /api/v1/password-resets', () => {
  test('emails a single-use link to the sign-in-link page that sets a new password', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const res = await askReset(h, owner.email.toUpperCase())
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json()).toEqual({ object: 'password_reset_request', status: 'accepted' })
    const [sent] = await emailsOf(h, owner, 'account.password_reset')
    expect(sent?.to).toBe(owner.email)
    const url = linkIn(sent?.html ?? null, '/app/sign-in-link')
    const token = new URL(url).hash.replace(/^#token=/, '')
    const preview = await h.app.inject({ method: 'GET', url: `/api/v1/sign-in-links/preview?token=${token}` })
    expect(preview.json()).toMatchObject({ purpose: 'reset_password', email: owner.email })
    const redeem = () =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/sign-in-links/redeem',
        payload: { token, password: `${PASSWORD}!` },
      })
    expect((await redeem()).statusCode).toBe(201)
    expect((await redeem()).statusCode).toBe(404)
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: owner.email, password: `${PASSWORD}!` },
      remoteAddress: randomAddress(),
    })
    expect(login.statusCode, login.body).toBe(200)
  })

  test('answers an unknown address exactly as a known one, and emails nobody', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const known = await askReset(h, owner.email)
    const unknown = await askReset(h, `nobody.${unique()}@acme.example`)
    expect([unknown.statusCode, unknown.body]).toEqual([known.statusCode, known.body])
    const count = await h.deps.db
      .selectFrom('emails')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('category', '=', 'account.password_reset')
      .where('to_email', 'like', 'nobody.%')
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(0)
  })

  test('a client address gets 429 after ten requests an hour; one address gets at most three emails', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' }, fresh: true })
    const owner = await ownerOf(h)
    const ip = randomAddress()
    const codes = []
    for (let i = 0; i < 11; i++) codes.push((await askReset(h, owner.email, ip)).statusCode)
    expect(codes).toEqual([...Array(10).fill(202), 429])
    expect(await emailsOf(h, owner, 'account.password_reset')).toHaveLength(3)
  })

  test('an organization with reset emails off sends none and keeps the link it has', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    await setSwitch(h, owner, { password_reset_emails: false })
    expect((await askReset(h, owner.email)).statusCode).toBe(202)
    expect(await emailsOf(h, owner, 'account.password_reset')).toEqual([])
    const settings = await asUser(h.app, owner).get('/api/v1/email-settings')
    expect(settings.json()).toMatchObject({ password_reset_emails: false, invite_emails: true })
  })
})

describe('lead notifications', () => {
  test('a new lead emails each person of the organization who signs in, unless turned off', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const submit = (email: string) =>
      asUser(h.app, owner).send('POST', '/api/webhook/leads', {
        email,
        name: 'Lee Lead',
        message: 'Call me <b>now</b>',
      })
    const res = await submit(`lead.${unique()}@example.com`)
    expect(res.statusCode, res.body).toBe(201)
    const [sent, ...more] = await emailsOf(h, owner, 'lead.notification')
    expect(more).toEqual([])
    expect(sent).toMatchObject({ to: owner.email, subject: 'New lead: Lee Lead' })
    expect(sent?.html).toContain('Call me &lt;b&gt;now&lt;/b&gt;')
    expect(linkIn(sent?.html ?? null, '/app/contacts/')).toContain(`/app/contacts/${res.json().id}`)

    await setSwitch(h, owner, { lead_notification_emails: false })
    expect((await submit(`lead.${unique()}@example.com`)).statusCode).toBe(201)
    expect(await emailsOf(h, owner, 'lead.notification')).toHaveLength(1)
  })
})
