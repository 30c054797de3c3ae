import type { TestApp } from '../harness.js'
import { uniqueName } from '../route-tables/scheduling.js'

const ALL_WEEK = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
  day,
  start: '00:00',
  end: '24:00',
}))

/**
 * A host (random username, UTC) available around the clock with a 30-minute event type
 * `30-min-call`: whatever "now" is, its booking page offers slots today and in the coming days.
 */
export async function openHost(
  h: TestApp,
  opts: { name?: string; description?: string | null; eventType?: Record<string, unknown> } = {},
) {
  const username = uniqueName('host')
  const user = await h.api('POST', '/api/v1/users', {
    name: opts.name ?? 'Jane Host',
    email: `${username}@acme.example`,
    username,
    timezone: 'UTC',
  })
  if (user.statusCode !== 201) throw new Error(user.body)
  const host = user.json() as { id: string; username: string; name: string }
  const put = await h.api('PUT', `/api/v1/users/${host.id}/availability`, { weekly: ALL_WEEK })
  if (put.statusCode !== 200) throw new Error(put.body)
  const et = await h.api('POST', '/api/v1/event_types', {
    user_id: host.id,
    slug: '30-min-call',
    title: 'Intro call',
    duration_minutes: 30,
    description: opts.description ?? null,
    location: { type: 'video', value: 'https://meet.example/jane' },
    ...opts.eventType,
  })
  if (et.statusCode !== 201) throw new Error(et.body)
  return { host, eventType: et.json() as { id: string; slug: string } }
}
