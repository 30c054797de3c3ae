import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { TestApp } from '../harness.js'

/* Dashboard people for the accounts tests: owners made by sign-up, invited admins and members. */

export const unique = () => Math.random().toString(36).slice(2, 10)
/** A documentation-range IPv6 address (its own /64) no other run uses. */
export const randomAddress = () =>
  `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}::7`
export const PASSWORD = 'correct horse battery staple'

export interface Signed {
  cookie: string
  csrf: string
  body: { user: { id: string; role: string; email: string }; organization: { id: string } }
}

export function signedIn(res: LightMyRequestResponse): Signed {
  const cookie = res.cookies.find((c) => c.name === 'rapport_session')
  if (!cookie) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`)
  return { cookie: `rapport_session=${cookie.value}`, csrf: res.json().csrf_token, body: res.json() }
}

export const asUser = (app: FastifyInstance, s: Signed) => ({
  get: (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { cookie: s.cookie, ...headers } }),
  send: (
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: object,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...headers },
      ...(body ? { payload: body } : {}),
    }),
})

/** A fresh organization with a signed-in owner (sign-up on, so it works on a shared database too). */
export async function ownerOf(h: TestApp, email = `owner.${unique()}@acme.example`) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    payload: { organization_name: `Org ${unique()}`, name: 'Olive Owner', email, password: PASSWORD },
  })
  return { email, ...signedIn(res) }
}

/** The token of an invite link (it travels in the fragment of `accept_url`). */
export const tokenOf = (acceptUrl: string) => new URL(acceptUrl).hash.replace(/^#token=/, '')

export async function invite(
  h: TestApp,
  by: Signed,
  role: 'owner' | 'admin' | 'member',
  email = `m.${unique()}@acme.example`,
) {
  const res = await asUser(h.app, by).send('POST', '/api/v1/invites', { email, role })
  if (res.statusCode !== 201) throw new Error(res.body)
  const body = res.json() as { id: string; accept_url: string }
  return { email, ...body, token: tokenOf(body.accept_url) }
}

export const acceptInvite = (h: TestApp, token: string, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/invites/accept',
    headers,
    payload: { token, name: 'Mo Member', password: PASSWORD },
  })

export async function memberOf(h: TestApp, by: Signed, role: 'owner' | 'admin' | 'member' = 'member') {
  const inv = await invite(h, by, role)
  return { email: inv.email, ...signedIn(await acceptInvite(h, inv.token)) }
}
