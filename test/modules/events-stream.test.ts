import { describe, expect, test } from 'vitest'
import { readEvents } from '../../src/cli/listen.js'
import { testApp } from '../harness.js'

/** Opens the event stream with `key` and collects what arrives. */
async function openStream(origin: string, key: string, headers: Record<string, string> = {}) {
  const abort = new AbortController()
  const res = await fetch(`${origin}/api/v1/events/stream`, {
    headers: { authorization: `Bearer ${key}`, ...headers },
    signal: abort.signal,
  })
  const got: { id: string; event: string; data: string }[] = []
  const reading = (async () => {
    try {
      for await (const e of readEvents(res.body!)) got.push(e)
    } catch {
      // aborted
    }
  })()
  return {
    res,
    got,
    async close() {
      abort.abort()
      await reading
    },
  }
}

async function eventually(check: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('GET /api/v1/events/stream', () => {
  test('streams the key’s organization and mode only, as the webhook envelope, and resumes after Last-Event-ID', async () => {
    const h = await testApp()
    await h.app.listen({ host: '127.0.0.1', port: 0 })
    const origin = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })

    const live = await openStream(origin, h.org.key)
    const sandbox = await openStream(origin, testKey)
    try {
      expect(live.res.status).toBe(200)
      expect(live.res.headers.get('content-type')).toContain('text/event-stream')
      const post = (key: string, email: string) =>
        fetch(`${origin}/api/v1/contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ email }),
        })
      expect((await post(other.key, 'other@example.com')).status).toBe(201)
      expect((await post(testKey, 'sandbox@example.com')).status).toBe(201)
      const mine = (await (await post(h.org.key, 'mine@example.com')).json()) as { id: string }

      await eventually(() => live.got.length >= 1 && sandbox.got.length >= 1)
      await new Promise((r) => setTimeout(r, 1500))
      expect(live.got.map((e) => e.event)).toEqual(['contact.created'])
      const envelope = JSON.parse(live.got[0]!.data)
      expect(Object.keys(envelope)).toEqual(['id', 'event', 'timestamp', 'data'])
      expect(envelope).toMatchObject({ id: live.got[0]!.id, data: { id: mine.id, email: 'mine@example.com' } })
      expect(sandbox.got.map((e) => JSON.parse(e.data).data.email)).toEqual(['sandbox@example.com'])
    } finally {
      await live.close()
      await sandbox.close()
    }

    // Reconnecting with the last id seen sends what happened meanwhile, and nothing twice.
    const lastId = live.got.at(-1)!.id
    await fetch(`${origin}/api/v1/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.org.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'meanwhile@example.com' }),
    })
    const resumed = await openStream(origin, h.org.key, { 'last-event-id': lastId })
    try {
      await eventually(() => resumed.got.length >= 1)
      await new Promise((r) => setTimeout(r, 1000))
      expect(resumed.got.map((e) => JSON.parse(e.data).data.email)).toEqual(['meanwhile@example.com'])
    } finally {
      await resumed.close()
    }
  }, 60_000)

  test('needs a key with the read scope', async () => {
    const h = await testApp()
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/events/stream' })
    expect(res.statusCode).toBe(401)
  })
})
