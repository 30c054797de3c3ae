import { describe, expect, test } from 'vitest'
import { readEvents } from '../../src/cli/listen.js'
import type { Clock } from '../../src/lib/clock.js'
import { newId } from '../../src/lib/ids.js'
import { type TestApp, testApp } from '../harness.js'
import { asUser, memberOf, ownerOf, type Signed } from './accounts-fixtures.js'

/**
 * Who may keep reading the event stream, and what: a stream ends when the session or key it was
 * opened with stops signing in, and a member is not sent what members may not read.
 */

async function listening(h: TestApp): Promise<string> {
  await h.app.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`
}

/** Opens the stream and collects its events; `ended` settles when the server ends the stream. */
async function openStream(origin: string, headers: Record<string, string>) {
  const abort = new AbortController()
  const res = await fetch(`${origin}/api/v1/events/stream`, { headers, signal: abort.signal })
  expect(res.status).toBe(200)
  const got: { id: string; event: string; data: string }[] = []
  let endedByServer = false
  const ended = (async () => {
    try {
      for await (const e of readEvents(res.body!)) got.push(e)
      endedByServer = true
    } catch {
      // aborted by the test
    }
  })()
  return {
    got,
    ended,
    endedByServer: () => endedByServer,
    async close() {
      abort.abort()
      await ended
    },
  }
}

const sessionHeaders = (s: Signed) => ({ cookie: s.cookie })

/** Resolves true when `promise` settles within `ms`, false otherwise. */
const settlesWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))])

async function eventually(check: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('GET /api/v1/events/stream: the credential it was opened with', () => {
  test('a dashboard session signed out mid-stream gets its stream closed', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const origin = await listening(h)
    const owner = await ownerOf(h)
    const stream = await openStream(origin, sessionHeaders(owner))
    try {
      const user = asUser(h.app, owner)
      expect((await user.send('POST', '/api/v1/contacts', { email: 'before@example.com' })).statusCode).toBe(201)
      await eventually(() => stream.got.length === 1)
      expect((await user.send('DELETE', '/api/v1/session')).statusCode).toBeLessThan(300)
      expect(await settlesWithin(stream.ended, 10_000)).toBe(true)
      expect(stream.endedByServer()).toBe(true)
      expect(stream.got.map((e) => e.event)).toEqual(['contact.created'])
    } finally {
      await stream.close()
    }
  }, 30_000)

  test('a session that expires mid-stream (by the injected clock) gets its stream closed', async () => {
    let nowMs = Date.parse('2030-01-01T00:00:00Z')
    const clock: Clock = { nowMs: () => nowMs }
    const h = await testApp({ clock, env: { RAPPORT_ALLOW_SIGNUP: '1', RAPPORT_SESSION_TTL_HOURS: '1' } })
    const origin = await listening(h)
    const owner = await ownerOf(h)
    const stream = await openStream(origin, sessionHeaders(owner))
    try {
      // Still signed in a minute before the end: the stream stays open across several checks.
      nowMs += 59 * 60_000
      expect(await settlesWithin(stream.ended, 3_000)).toBe(false)
      nowMs += 2 * 60_000
      expect(await settlesWithin(stream.ended, 10_000)).toBe(true)
      expect(stream.endedByServer()).toBe(true)
    } finally {
      await stream.close()
    }
  }, 30_000)

  test('a key revoked mid-stream gets its stream closed; another key’s stream stays open', async () => {
    const h = await testApp()
    const origin = await listening(h)
    const spare = await h.newKey(h.org.id)
    const revoked = await openStream(origin, { authorization: `Bearer ${h.org.key}` })
    const kept = await openStream(origin, { authorization: `Bearer ${spare}` })
    try {
      await h.deps.db.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', h.org.keyId).execute()
      expect(await settlesWithin(revoked.ended, 10_000)).toBe(true)
      expect(revoked.endedByServer()).toBe(true)
      expect(await settlesWithin(kept.ended, 1_000)).toBe(false)
    } finally {
      await revoked.close()
      await kept.close()
    }
  }, 30_000)
})

describe('GET /api/v1/events/stream and /api/v1/events: what a member may read', () => {
  test('members receive the CRM’s events but not those about webhook endpoints; owners receive both', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const origin = await listening(h)
    const owner = await ownerOf(h)
    const member = await memberOf(h, owner)
    const orgId = owner.body.organization.id
    const asOwner = asUser(h.app, owner)
    const asMember = asUser(h.app, member)
    const ownerStream = await openStream(origin, sessionHeaders(owner))
    const memberStream = await openStream(origin, sessionHeaders(member))
    let hiddenId = ''
    try {
      hiddenId = newId('event')
      await h.deps.db
        .insertInto('events')
        .values({
          id: hiddenId,
          org_id: orgId,
          livemode: true,
          type: 'webhook_endpoint.disabled',
          data: JSON.stringify({
            id: 'we_01jd3k8m2x7q9v4b6n5t0w1y2z',
            url: 'https://hooks.example.com/secret-path',
            reason: 'Failing for 5 days',
            disabled_at: new Date().toISOString(),
          }),
          created_at: new Date(),
        })
        .execute()
      const contact = await asMember.send('POST', '/api/v1/contacts', { email: 'seen@example.com' })
      expect(contact.statusCode).toBe(201)
      const task = await asOwner.send('POST', '/api/v1/tasks', { title: 'Seen by all' })
      expect(task.statusCode).toBe(201)
      await eventually(() => ownerStream.got.length >= 3 && memberStream.got.length >= 2)
      await new Promise((r) => setTimeout(r, 1_200))
      expect(ownerStream.got.map((e) => e.event).sort()).toEqual(
        ['contact.created', 'task.created', 'webhook_endpoint.disabled'].sort(),
      )
      expect(memberStream.got.map((e) => e.event).sort()).toEqual(['contact.created', 'task.created'])
    } finally {
      await ownerStream.close()
      await memberStream.close()
    }
    // The event log answers the same: the member neither lists nor reads the hidden event.
    const memberList = (await asMember.get('/api/v1/events?limit=100'))
      .json()
      .data.map((e: { event: string }) => e.event)
    expect(memberList).not.toContain('webhook_endpoint.disabled')
    expect(memberList).toContain('contact.created')
    expect((await asMember.get(`/api/v1/events/${hiddenId}`)).statusCode).toBe(404)
    expect((await asOwner.get(`/api/v1/events/${hiddenId}`)).statusCode).toBe(200)
  }, 30_000)
})
