import { describe, expect, test } from 'vitest'
import { contactCreated } from '../../src/modules/contacts/contacts.events.js'
import { emit } from '../../src/outbox/emit.js'
import { testApp } from '../harness.js'

describe('operations endpoints', () => {
  test('/healthz answers without a key and /readyz checks the database', async () => {
    const h = await testApp()
    expect((await h.app.inject('/healthz')).json()).toEqual({ status: 'ok' })
    const ready = await h.app.inject('/readyz')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready', database: h.deps.dbEngine })
  })

  test('/metrics exposes requests by route and status and the latency histogram', async () => {
    const h = await testApp()
    await h.api('GET', '/api/v1/contacts')
    await h.api('GET', '/api/v1/contacts/c_missing')
    const text = (await h.app.inject('/metrics')).body
    expect(text).toMatch(/rapport_http_requests_total\{route="\/api\/v1\/contacts",method="GET",status="200"\} 1/)
    expect(text).toMatch(/rapport_http_requests_total\{route="\/api\/v1\/contacts\/:id",method="GET",status="404"\} 1/)
    expect(text).toMatch(
      /rapport_http_request_duration_seconds_bucket\{le="0.005",route="\/api\/v1\/contacts",method="GET"\}/,
    )
    expect(text).toContain('rapport_rate_limit_rejections_total')
    expect(text).toContain('rapport_rate_limit_store_errors_total')
  })
})

describe('GET /api/v1/events', () => {
  test('lists events newest first, filters by type, and reads one by id', async () => {
    const h = await testApp()
    const c = (await h.api('POST', '/api/v1/contacts', { email: 'e@example.com' })).json()
    await h.api('PATCH', `/api/v1/contacts/${c.id}`, { name: 'E' })
    const all = (await h.api('GET', '/api/v1/events')).json()
    expect(all.data.map((e: { event: string }) => e.event)).toEqual(['contact.updated', 'contact.created'])
    const only = (await h.api('GET', '/api/v1/events?type=contact.created')).json()
    expect(only.data).toHaveLength(1)
    const one = await h.api('GET', `/api/v1/events/${only.data[0].id}`)
    expect(one.json()).toEqual(only.data[0])
    expect(Object.keys(one.json())).toEqual(['id', 'event', 'timestamp', 'data'])
    expect((await h.api('GET', '/api/v1/events?type=contact.exploded')).statusCode).toBe(400)
  })

  test('a rejected create leaves no event', async () => {
    const h = await testApp()
    await h.api('POST', '/api/v1/contacts', { email: 'dup@example.com' })
    await h.api('POST', '/api/v1/contacts', { email: 'dup@example.com' })
    expect(await h.eventTypes()).toEqual(['contact.created'])
  })

  test('an emitted event rolls back with the transaction that wrote it', async () => {
    const h = await testApp()
    const scope = { orgId: h.org.id, livemode: true }
    const contact = (id: string) => ({
      id,
      name: null,
      email: null,
      phone: null,
      company: null,
      status: 'lead',
      source: 'api',
      owner_id: null,
      tags: [],
      custom_fields: {},
      created_at: '2025-01-15T09:30:00.000Z',
      updated_at: '2025-01-15T09:30:00.000Z',
    })
    await expect(
      h.deps.db.transaction().execute(async (tx) => {
        await emit(tx, scope, contactCreated, contact('c_x'))
        throw new Error('the change failed after the event was written')
      }),
    ).rejects.toThrow('the change failed')
    expect(await h.eventTypes()).toEqual([])
    await h.deps.db.transaction().execute((tx) => emit(tx, scope, contactCreated, contact('c_y')))
    expect(await h.eventTypes()).toEqual(['contact.created'])
  })
})
