import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Clock } from '../../src/lib/clock.js'
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
  /** Calls the API in the owner's browser session (its role's scopes, `admin` included); throws unless 2xx. */
  ownerApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T>
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

/**
 * A clock for a test that must not depend on the wall clock's date: it reads `startMs` when made and
 * then runs at the pace of this process's monotonic time (rate-limit windows and polls still pass).
 */
export function clockFrom(startMs: number): Clock {
  const origin = performance.now()
  return { nowMs: () => startMs + Math.floor(performance.now() - origin) }
}

/**
 * `clock`: the installation's "now"; the browsers' `Date` is then fixed at that clock's time when
 * each context opens (timers keep running), so the pages and the server agree on "today".
 */
export async function workspace(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
  opts: { clock?: Clock } = {},
): Promise<Workspace> {
  const site = await emptyInstallation(opts.clock ? { clock: opts.clock } : {})
  const newContext = async (): Promise<BrowserContext> => {
    const context = await browser.newContext({ locale: 'en-US', viewport })
    if (opts.clock) await context.clock.setFixedTime(opts.clock.nowMs())
    return context
  }
  const ownerContext = await newContext()
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
  const memberContext = await newContext()
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
    ownerApi: (method, path, body) => inPage(owner, method, path, body, session.csrf_token),
    async close() {
      await ownerContext.close()
      await memberContext.close()
      await site.close()
    },
  }
}
