import type { Browser, Page } from 'playwright-core'
import { emptyInstallation, type Installation, watchCsp } from './dashboard-host.js'

/*
 * A workspace to test as a member: an installation with an owner (signed in through the API,
 * holding a secret key to seed data) and a member who joined by invite, each in a browser context
 * of their own.
 */

export const OWNER = { org: 'Northwind Sales', name: 'Olivia Owner', email: 'olivia@northwind.example' }
export const MEMBER = { name: 'Sam Seller', email: 'sam@northwind.example' }
const PASSWORD = 'correct horse battery staple'

export interface Workspace {
  site: Installation
  owner: Page
  member: Page
  /** CSP violations the member's page reported. */
  memberCsp: string[]
  memberId: string
  /** Calls the API with the owner's secret key (seeding, or "another session" changing data). */
  callApi<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; etag: string | null }>
  close(): Promise<void>
}

/** Runs `fetch` in the page (same origin, its cookie), sending the CSRF token on changes. */
async function inPage<T>(page: Page, method: string, path: string, body?: unknown, csrf?: string): Promise<T> {
  return page.evaluate(
    async ({ method, path, body, csrf }) => {
      const res = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return res.json()
    },
    { method, path, body, csrf },
  ) as Promise<T>
}

export async function workspace(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Workspace> {
  const site = await emptyInstallation()
  const ownerContext = await browser.newContext({ locale: 'en-US', viewport })
  const owner = await ownerContext.newPage()
  await owner.goto(`${site.origin}/app/login`)
  const session = await inPage<{ csrf_token: string }>(owner, 'POST', '/api/v1/setup', {
    organization_name: OWNER.org,
    name: OWNER.name,
    email: OWNER.email,
    password: PASSWORD,
  })
  const key = await inPage<{ key: string }>(
    owner,
    'POST',
    '/api/v1/api_keys',
    { name: 'Seeding', type: 'secret', scopes: ['read', 'write'] },
    session.csrf_token,
  )
  const invite = await inPage<{ accept_url: string }>(
    owner,
    'POST',
    '/api/v1/invites',
    { email: MEMBER.email, role: 'member' },
    session.csrf_token,
  )
  const memberContext = await browser.newContext({ locale: 'en-US', viewport })
  const member = await memberContext.newPage()
  const memberCsp = watchCsp(member)
  await member.goto(`${site.origin}/app/login`)
  const joined = await inPage<{ user: { id: string } }>(member, 'POST', '/api/v1/invites/accept', {
    token: new URL(invite.accept_url).hash.replace('#token=', ''),
    name: MEMBER.name,
    password: PASSWORD,
  })
  const callApi: Workspace['callApi'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${site.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined, etag: res.headers.get('etag') }
  }
  return {
    site,
    owner,
    member,
    memberCsp,
    memberId: joined.user.id,
    callApi,
    async close() {
      await ownerContext.close()
      await memberContext.close()
      await site.close()
    },
  }
}
