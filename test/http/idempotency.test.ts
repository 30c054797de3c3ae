import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

describe('Idempotency-Key on POST', () => {
  test('replays the first response for the same key and body without writing again', async () => {
    const h = await testApp()
    const body = { name: 'Jane', email: 'jane@example.com' }
    const first = await h.api('POST', '/api/v1/contacts', body, { 'idempotency-key': 'create-jane-1' })
    const second = await h.api('POST', '/api/v1/contacts', body, { 'idempotency-key': 'create-jane-1' })
    expect(first.statusCode).toBe(201)
    expect(second.statusCode).toBe(201)
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect(first.headers['idempotent-replayed']).toBeUndefined()
    expect(second.json()).toEqual(first.json())
    expect(await h.eventTypes()).toEqual(['contact.created'])
  })

  test('the same key with another body is a 422 idempotency_key_reused', async () => {
    const h = await testApp()
    await h.api('POST', '/api/v1/contacts', { email: 'a@example.com' }, { 'idempotency-key': 'k1' })
    const res = await h.api('POST', '/api/v1/contacts', { email: 'b@example.com' }, { 'idempotency-key': 'k1' })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.code).toBe('idempotency_key_reused')
  })

  test('a concurrent request with a key still running is a 409 idempotency_key_in_use', async () => {
    // An app of its own: the test adds a route, which an app that has answered cannot take.
    const h = await testApp({ fresh: true })
    let release!: () => void
    const gate = new Promise<void>((r) => {
      release = r
    })
    h.app.post('/api/v1/slow-test-route', { config: { scope: 'write' } }, async (_req, reply) => {
      await gate
      return reply.code(201).send({ ok: true })
    })
    const first = h.api('POST', '/api/v1/slow-test-route', { n: 1 }, { 'idempotency-key': 'slow' })
    // Wait until the first request holds the key (a fixed sleep flaked on a loaded machine: both
    // requests then ran, and both waited on the gate).
    const held = () =>
      h.deps.db
        .selectFrom('idempotency_keys')
        .select('state')
        .where('org_id', '=', h.org.id)
        .where('idem_key', '=', 'slow')
        .executeTakeFirst()
    for (let i = 0; i < 500 && (await held())?.state !== 'running'; i++) await new Promise((r) => setTimeout(r, 20))
    const second = await h.api('POST', '/api/v1/slow-test-route', { n: 1 }, { 'idempotency-key': 'slow' })
    expect(second.statusCode).toBe(409)
    expect(second.json().error.code).toBe('idempotency_key_in_use')
    release()
    expect((await first).statusCode).toBe(201)
    const replay = await h.api('POST', '/api/v1/slow-test-route', { n: 1 }, { 'idempotency-key': 'slow' })
    expect(replay.headers['idempotent-replayed']).toBe('true')
  })

  test('replays client errors too, but forgets a key whose request failed with a 500', async () => {
    // An app of its own: the test adds a route, which an app that has answered cannot take.
    const h = await testApp({ fresh: true })
    let fail = true
    h.app.post('/api/v1/flaky-test-route', { config: { scope: 'write' } }, async (_req, reply) => {
      if (fail) throw new Error('database exploded')
      return reply.code(201).send({ ok: true })
    })
    expect((await h.api('POST', '/api/v1/flaky-test-route', {}, { 'idempotency-key': 'f' })).statusCode).toBe(500)
    fail = false
    const retry = await h.api('POST', '/api/v1/flaky-test-route', {}, { 'idempotency-key': 'f' })
    expect(retry.statusCode).toBe(201)
    expect(retry.headers['idempotent-replayed']).toBeUndefined()

    const dup = { email: 'dup@example.com' }
    await h.api('POST', '/api/v1/contacts', dup)
    const conflict = await h.api('POST', '/api/v1/contacts', dup, { 'idempotency-key': 'dup' })
    expect(conflict.statusCode).toBe(409)
    const replayed = await h.api('POST', '/api/v1/contacts', dup, { 'idempotency-key': 'dup' })
    expect(replayed.statusCode).toBe(409)
    expect(replayed.headers['idempotent-replayed']).toBe('true')
  })

  test('keys are scoped per organization and mode', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const body = { email: 'shared@example.com' }
    await h.api('POST', '/api/v1/contacts', body, { 'idempotency-key': 'same' })
    const res = await h.api('POST', '/api/v1/contacts', body, {
      'idempotency-key': 'same',
      authorization: `Bearer ${other.key}`,
    })
    expect(res.statusCode).toBe(201)
    expect(res.headers['idempotent-replayed']).toBeUndefined()
  })

  test('a key older than 24 hours is forgotten', async () => {
    const h = await testApp()
    const body = { email: 'old@example.com' }
    await h.api('POST', '/api/v1/contacts', body, { 'idempotency-key': 'old' })
    await h.deps.db
      .updateTable('idempotency_keys')
      .set({ created_at: new Date(Date.now() - 25 * 3600_000) })
      .where('org_id', '=', h.org.id)
      .execute()
    const res = await h.api('POST', '/api/v1/contacts', body, { 'idempotency-key': 'old' })
    expect(res.statusCode).toBe(409)
    expect(res.headers['idempotent-replayed']).toBeUndefined()
  })

  test('rejects an Idempotency-Key longer than 255 characters', async () => {
    const h = await testApp()
    const res = await h.api(
      'POST',
      '/api/v1/contacts',
      { email: 'x@example.com' },
      { 'idempotency-key': 'k'.repeat(256) },
    )
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('invalid_header')
  })
})
