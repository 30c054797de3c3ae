import type { RouteContract } from '../contract.js'
import type { TestApp } from '../harness.js'

/* Fixtures shared by the scheduling route contract and test/modules/scheduling*.test.ts, bookings*.test.ts. */
/** Sunday 2026-03-01 00:00 UTC: the fixed "now" of the scheduling tests. */
export const NOW_MS = Date.parse('2026-03-01T00:00:00.000Z')
export const fixedClock = { nowMs: () => NOW_MS }

export const WEEKDAYS_9_TO_5 = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
  day,
  start: '09:00',
  end: '17:00',
}))

/** Usernames are unique across the installation (and the PostgreSQL test database is shared). */
export const uniqueName = (base: string) => `${base}-${Math.random().toString(36).slice(2, 10)}`

/** A user made through the API, with a random username. */
export async function newHost(h: TestApp, opts: { timezone?: string; key?: string } = {}) {
  const username = uniqueName('host')
  const res = await h.api(
    'POST',
    '/api/v1/users',
    { name: 'Jane Host', email: `${username}@acme.example`, username, timezone: opts.timezone ?? 'Europe/Paris' },
    opts.key ? { authorization: `Bearer ${opts.key}` } : {},
  )
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json() as { id: string; username: string; email: string; name: string }
}

/** A host working weekdays 09:00-17:00 (Paris) with an event type; returns the host and the event type. */
export async function bookableHost(
  h: TestApp,
  eventType: Record<string, unknown> = {},
  opts: { timezone?: string; key?: string } = {},
) {
  const host = await newHost(h, opts)
  const headers: Record<string, string> = opts.key ? { authorization: `Bearer ${opts.key}` } : {}
  const put = await h.api('PUT', `/api/v1/users/${host.id}/availability`, { weekly: WEEKDAYS_9_TO_5 }, headers)
  if (put.statusCode !== 200) throw new Error(put.body)
  const et = await h.api(
    'POST',
    '/api/v1/event_types',
    { user_id: host.id, slug: '30-min-call', title: 'Intro call', duration_minutes: 30, ...eventType },
    headers,
  )
  if (et.statusCode !== 201) throw new Error(et.body)
  return { host, eventType: et.json() as { id: string; slug: string } }
}

/** A public (key-less) request. */
export function publicApi(h: TestApp, method: 'GET' | 'POST', url: string, body?: unknown) {
  return h.app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) })
}

export const guest = { name: 'Sam Guest', email: 'sam@guest.example', timezone: 'America/New_York' }

export function book(h: TestApp, username: string, slug: string, start: string, extra: Record<string, unknown> = {}) {
  return publicApi(h, 'POST', `/api/public/booking/${username}/${slug}/bookings`, { start, guest, ...extra })
}

/**
 * A live booking: a host with availability every day and a 30-minute event type, booked at its
 * first offered slot two days from now. Bookings are live-mode objects: a test key gets a 404.
 */
const newBooking = async (h: TestApp, key: string): Promise<string> => {
  const auth = { authorization: `Bearer ${key}` }
  const host = await newHost(h, { key, timezone: 'UTC' })
  const weekly = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
    day,
    start: '00:00',
    end: '24:00',
  }))
  await h.api('PUT', `/api/v1/users/${host.id}/availability`, { weekly }, auth)
  await h.api(
    'POST',
    '/api/v1/event_types',
    { user_id: host.id, slug: 'call', title: 'Call', duration_minutes: 30 },
    auth,
  )
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
  const slotsUrl = `/api/public/booking/${host.username}/call/slots?start=${day}&end=${day}&timezone=UTC`
  const slots = (await publicApi(h, 'GET', slotsUrl)).json().slots[day]
  return (await book(h, host.username, 'call', slots[0].start)).json().id
}

/**
 * The authenticated routes of the scheduling module, checked by the shared route contract. Event
 * types and availability are shared by live and test mode (as users are): their cross-org 404s are
 * checked in test/modules/scheduling.routes.test.ts.
 */
export const SCHEDULING_ROUTES: RouteContract[] = [
  {
    method: 'POST',
    path: '/api/v1/event_types',
    scope: 'admin',
    body: { user_id: 'user_x', slug: 'contract', title: 'Contract', duration_minutes: 30 },
  },
  { method: 'GET', path: '/api/v1/booking_event_types', scope: 'read' },
  { method: 'GET', path: '/api/v1/users/:id/event_types', scope: 'read' },
  { method: 'GET', path: '/api/v1/event_types/:id', scope: 'read' },
  { method: 'PATCH', path: '/api/v1/event_types/:id', scope: 'admin', body: { title: 'Renamed' } },
  { method: 'DELETE', path: '/api/v1/event_types/:id', scope: 'admin' },
  { method: 'GET', path: '/api/v1/users/:id/availability', scope: 'read' },
  { method: 'PUT', path: '/api/v1/users/:id/availability', scope: 'admin', body: { weekly: [] } },
  { method: 'GET', path: '/api/v1/bookings', scope: 'read' },
  { method: 'GET', path: '/api/v1/bookings/:id', scope: 'read', create: newBooking },
  { method: 'POST', path: '/api/v1/bookings/:id/cancel', scope: 'write', body: {}, create: newBooking },
  {
    method: 'POST',
    path: '/api/v1/bookings/:id/reschedule',
    scope: 'write',
    body: { start: '2030-01-01T00:00:00.000Z' },
  },
]
