import { beforeAll, describe, expect, test } from 'vitest'
import { eventCatalog } from '../../src/event-catalog.js'
import type { Clock } from '../../src/lib/clock.js'
import { dealWon } from '../../src/modules/deals/deals.events.js'
import { type TestApp, testApp } from '../harness.js'

/** A fixed master key: the tests write no key file. */
const env = { RAPPORT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }
/** A public IP literal: accepted without DNS (the tests have none). Nothing is delivered in these tests. */
const URL_A = 'https://93.184.216.34/rapport'
const SECRET = /^whsec_[A-Za-z0-9+/]{32}$/
const DAY_MS = 24 * 60 * 60 * 1000

const as = (key: string) => ({ authorization: `Bearer ${key}` })

describe('webhook endpoints', () => {
  let h: TestApp
  const clock = { now: Date.parse('2030-01-01T00:00:00.000Z') }
  const testClock: Clock = { nowMs: () => clock.now }

  beforeAll(async () => {
    h = await testApp({ env, clock: testClock })
  })

  const create = async (body: Record<string, unknown> = {}, key = h.org.key) => {
    const res = await h.api('POST', '/api/v1/webhook_endpoints', { url: URL_A, events: ['*'], ...body }, as(key))
    expect(res.statusCode, res.body).toBe(201)
    return res.json()
  }

  test('creates an endpoint and shows its secret in that answer only', async () => {
    const res = await h.api('POST', '/api/v1/webhook_endpoints', {
      url: URL_A,
      description: 'Order service',
      events: ['contact.created', 'deal.won'],
      metadata: { team: 'billing' },
    })
    expect(res.statusCode).toBe(201)
    const endpoint = res.json()
    expect(endpoint).toEqual({
      id: expect.stringMatching(/^we_[0-9a-z]{26}$/),
      object: 'webhook_endpoint',
      url: URL_A,
      description: 'Order service',
      events: ['contact.created', 'deal.won'],
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
      metadata: { team: 'billing' },
      created_at: expect.any(String),
      updated_at: endpoint.created_at,
      secret: expect.stringMatching(SECRET),
    })
    const { secret, ...withoutSecret } = endpoint
    const fetched = await h.api('GET', `/api/v1/webhook_endpoints/${endpoint.id}`)
    expect(fetched.json()).toEqual(withoutSecret)
    const listed = (await h.api('GET', '/api/v1/webhook_endpoints')).json()
    expect(listed.data.find((e: { id: string }) => e.id === endpoint.id)).toEqual(withoutSecret)
    expect(JSON.stringify(listed)).not.toContain(secret)
    const read = await h.api('GET', `/api/v1/webhook_endpoints/${endpoint.id}/secret`)
    expect(read.statusCode).toBe(200)
    expect(read.json()).toEqual({ secret, previous_secret: null, previous_secret_expires_at: null })
  })

  test('lists endpoints newest first with the standard pagination', async () => {
    const org = await h.newOrg()
    const ids = []
    for (let i = 0; i < 3; i++) ids.push((await create({}, org.key)).id)
    const first = (await h.api('GET', '/api/v1/webhook_endpoints?limit=2', undefined, as(org.key))).json()
    expect(first.data.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]])
    expect(first.pagination).toMatchObject({ page: 1, limit: 2, total: 3, has_more: true })
    const next = await h.api(
      'GET',
      `/api/v1/webhook_endpoints?limit=2&cursor=${first.pagination.next_cursor}`,
      undefined,
      as(org.key),
    )
    expect(next.json().data.map((e: { id: string }) => e.id)).toEqual([ids[0]])
  })

  test('stores aliases as the catalog names they stand for, once each; `*` alone stands for all', async () => {
    const endpoint = await create({ events: ['client_created', 'booking_received', 'contact.created', 'deal.won'] })
    expect(endpoint.events).toEqual(['contact.created', 'booking.created', 'deal.won'])
    const row = await h.deps.db
      .selectFrom('webhook_endpoints')
      .select('events')
      .where('id', '=', endpoint.id)
      .executeTakeFirstOrThrow()
    expect(row.events).toEqual(['contact.created', 'booking.created', 'deal.won'])
    expect((await create({ events: ['deal.won', '*'] })).events).toEqual(['*'])
  })

  test('refuses unknown event names with 422 naming each as events.N', async () => {
    const res = await h.api('POST', '/api/v1/webhook_endpoints', {
      url: URL_A,
      events: ['contact.created', 'contact.exploded', 'ContactCreated'],
    })
    expect(res.statusCode).toBe(422)
    expect(res.json().error).toMatchObject({
      code: 'validation_failed',
      details: [
        { field: 'events.1', message: expect.stringContaining('contact.exploded') },
        { field: 'events.2', message: expect.stringContaining('ContactCreated') },
      ],
    })
    const empty = await h.api('POST', '/api/v1/webhook_endpoints', { url: URL_A, events: [] })
    expect(empty.statusCode).toBe(422)
    expect(empty.json().error.details).toEqual([{ field: 'events', message: 'Must have at least 1 items' }])
    const id = (await create()).id
    const patch = await h.api('PATCH', `/api/v1/webhook_endpoints/${id}`, { events: ['nope'] })
    expect(patch.statusCode).toBe(422)
    expect(patch.json().error.details[0].field).toBe('events.0')
  })

  test('refuses more than 20 metadata keys, and non-string values', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']))
    const tooMany = await h.api('POST', '/api/v1/webhook_endpoints', { url: URL_A, events: ['*'], metadata })
    expect(tooMany.statusCode).toBe(422)
    expect(tooMany.json().error.details[0].field).toBe('metadata')
    const notString = await h.api('POST', '/api/v1/webhook_endpoints', {
      url: URL_A,
      events: ['*'],
      metadata: { n: 1 },
    })
    expect(notString.statusCode).toBe(422)
    expect(notString.json().error.details[0].field).toBe('metadata.n')
  })

  test('updates fields, merges metadata (null removes a key) and keeps the 20-key limit after merging', async () => {
    const endpoint = await create({ description: 'old', metadata: { a: '1', b: '2' } })
    const res = await h.api('PATCH', `/api/v1/webhook_endpoints/${endpoint.id}`, {
      url: 'https://93.184.216.35/v2',
      description: null,
      events: ['client_updated'],
      metadata: { b: null, c: '3' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      url: 'https://93.184.216.35/v2',
      description: null,
      events: ['contact.updated', 'lead.updated'],
      metadata: { a: '1', c: '3' },
    })
    expect(res.json().secret).toBeUndefined()
    expect(Date.parse(res.json().updated_at)).toBeGreaterThan(Date.parse(endpoint.updated_at))
    const metadata = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`k${i}`, 'v']))
    const over = await h.api('PATCH', `/api/v1/webhook_endpoints/${endpoint.id}`, { metadata })
    expect(over.statusCode).toBe(422)
    expect(over.json().error.details).toEqual([{ field: 'metadata', message: 'Must have at most 20 keys in all' }])
    const refused = await h.api('PATCH', `/api/v1/webhook_endpoints/${endpoint.id}`, { url: 'https://10.0.0.5/' })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().error.details).toEqual([{ field: 'url', message: 'Is a private address (10.0.0.5)' }])
  })

  test('disabling records the reason and time; re-enabling clears them, also after an automatic disable', async () => {
    const endpoint = await create({ enabled: false })
    expect(endpoint).toMatchObject({
      enabled: false,
      disabled_reason: 'Disabled through the API',
      disabled_at: expect.any(String),
    })
    const enabled = (await h.api('PATCH', `/api/v1/webhook_endpoints/${endpoint.id}`, { enabled: true })).json()
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null })
    // What the delivery worker does after days of failures.
    await h.deps.db
      .updateTable('webhook_endpoints')
      .set({ enabled: false, disabled_reason: 'Failing since 2030-01-01', disabled_at: new Date() })
      .where('id', '=', endpoint.id)
      .execute()
    const again = (await h.api('PATCH', `/api/v1/webhook_endpoints/${endpoint.id}`, { enabled: false })).json()
    expect(again.disabled_reason).toBe('Failing since 2030-01-01')
    const reenabled = (await h.api('PATCH', `/api/v1/webhook_endpoints/${endpoint.id}`, { enabled: true })).json()
    expect(reenabled).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null })
  })

  test('deletes an endpoint', async () => {
    const { id } = await create()
    const res = await h.api('DELETE', `/api/v1/webhook_endpoints/${id}`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ id, object: 'webhook_endpoint', deleted: true })
    expect((await h.api('GET', `/api/v1/webhook_endpoints/${id}`)).statusCode).toBe(404)
    expect((await h.api('DELETE', `/api/v1/webhook_endpoints/${id}`)).statusCode).toBe(404)
  })

  test('rotation issues a new secret and keeps the previous one for 24 hours', async () => {
    const { id, secret } = await create()
    const rotated = await h.api('POST', `/api/v1/webhook_endpoints/${id}/rotate_secret`)
    expect(rotated.statusCode).toBe(200)
    const secrets = rotated.json()
    expect(secrets).toEqual({
      secret: expect.stringMatching(SECRET),
      previous_secret: secret,
      previous_secret_expires_at: new Date(clock.now + DAY_MS).toISOString(),
    })
    expect(secrets.secret).not.toBe(secret)
    expect((await h.api('GET', `/api/v1/webhook_endpoints/${id}/secret`)).json()).toEqual(secrets)
    clock.now += DAY_MS - 1
    expect((await h.api('GET', `/api/v1/webhook_endpoints/${id}/secret`)).json().previous_secret).toBe(secret)
    clock.now += 1
    expect((await h.api('GET', `/api/v1/webhook_endpoints/${id}/secret`)).json()).toEqual({
      secret: secrets.secret,
      previous_secret: null,
      previous_secret_expires_at: null,
    })
  })

  test('stores secrets only sealed with the master key', async () => {
    const { id, secret } = await create()
    const { secret: current } = (await h.api('POST', `/api/v1/webhook_endpoints/${id}/rotate_secret`)).json()
    const row = await h.deps.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const stored = JSON.stringify(row)
    for (const s of [secret, current]) {
      expect(stored).not.toContain(s)
      expect(stored).not.toContain(s.slice('whsec_'.length))
      expect(stored).not.toContain(Buffer.from(s).toString('base64'))
    }
    expect(row.secret_encrypted).toMatch(/^v1\./)
    expect(h.deps.secretBox.open(row.secret_encrypted)).toBe(current)
    expect(h.deps.secretBox.open(row.previous_secret_encrypted!)).toBe(secret)
  })

  test('refuses non-public and non-https URLs with 422 naming url and saying why', async () => {
    const cases: [string, string][] = [
      ['http://93.184.216.34/hook', 'Must be an https URL'],
      ['https://10.0.0.5/hook', 'Is a private address (10.0.0.5)'],
      ['https://2130706433/hook', 'Is a loopback address (127.0.0.1)'],
      ['https://[::1]/hook', 'Is a loopback address (::1)'],
      ['https://169.254.169.254/latest/meta-data', 'Is a link-local address (169.254.169.254)'],
      ['https://localhost:3000/hook', 'Is a loopback host name (localhost)'],
      ['https://hooks.rapport.invalid/', 'Does not resolve: no address found for hooks.rapport.invalid'],
      ['not a url', 'Must be an absolute URL, such as https://example.com/webhooks'],
    ]
    for (const [url, message] of cases) {
      const res = await h.api('POST', '/api/v1/webhook_endpoints', { url, events: ['*'] })
      expect(res.statusCode, url).toBe(422)
      expect(res.json().error, url).toMatchObject({
        code: 'validation_failed',
        message: `url: ${message}`,
        details: [{ field: 'url', message }],
      })
    }
  })

  test('RAPPORT_WEBHOOK_ALLOW_PRIVATE=1 accepts http and loopback receivers', async () => {
    const dev = await testApp({ env: { ...env, RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' } })
    for (const url of ['http://127.0.0.1:4000/hook', 'http://localhost:4000/hook', 'https://10.0.0.5/']) {
      const res = await dev.api('POST', '/api/v1/webhook_endpoints', { url, events: ['*'] })
      expect(res.statusCode, url).toBe(201)
    }
    await dev.close()
  })

  test('a test key manages test-mode endpoints only, and another organization sees none', async () => {
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const testEndpoint = await create({}, testKey)
    const liveEndpoint = await create()
    const other = await h.newOrg()
    for (const [key, id] of [
      [h.org.key, testEndpoint.id],
      [testKey, liveEndpoint.id],
      [other.key, liveEndpoint.id],
      [other.key, testEndpoint.id],
    ]) {
      for (const path of ['', '/secret']) {
        const res = await h.api('GET', `/api/v1/webhook_endpoints/${id}${path}`, undefined, as(key!))
        expect(res.statusCode).toBe(404)
        expect(res.json().error.code).toBe('not_found')
      }
    }
    const testList = (await h.api('GET', '/api/v1/webhook_endpoints', undefined, as(testKey))).json()
    expect(testList.data.map((e: { id: string }) => e.id)).toEqual([testEndpoint.id])
    const liveList = (await h.api('GET', '/api/v1/webhook_endpoints?limit=100')).json()
    expect(liveList.data.map((e: { id: string }) => e.id)).not.toContain(testEndpoint.id)
    expect((await h.api('GET', '/api/v1/webhook_endpoints', undefined, as(other.key))).json().data).toEqual([])
  })

  test('events fan out to the subscribed endpoints of the same mode, aliases included', async () => {
    const org = await h.newOrg()
    const testKey = await h.newKey(org.id, { mode: 'test' })
    const byAlias = await create({ events: ['client_created'] }, org.key)
    const other = await create({ events: ['deal.won'] }, org.key)
    const testMode = await create({ events: ['*'] }, testKey)
    await h.api('POST', '/api/v1/contacts', { email: 'fanout@example.com' }, as(org.key))
    const deliveries = await h.deps.db
      .selectFrom('webhook_deliveries')
      .select(['endpoint_id', 'event_type'])
      .where('org_id', '=', org.id)
      .execute()
    // The delivery goes nowhere: its public address is never tried (disabled at once, then deleted).
    await h.api('PATCH', `/api/v1/webhook_endpoints/${byAlias.id}`, { enabled: false }, as(org.key))
    expect(deliveries).toEqual([{ endpoint_id: byAlias.id, event_type: 'contact.created' }])
    expect([other.id, testMode.id]).not.toContain(deliveries[0]!.endpoint_id)
    for (const [id, key] of [
      [byAlias.id, org.key],
      [other.id, org.key],
      [testMode.id, testKey],
    ]) {
      await h.api('DELETE', `/api/v1/webhook_endpoints/${id}`, undefined, as(key))
    }
  })

  test('needs the teams plan: a pro key gets 403 plan_limit', async () => {
    const pro = await h.newOrg('pro')
    for (const [method, url] of [
      ['GET', '/api/v1/webhook_endpoints'],
      ['POST', '/api/v1/webhook_endpoints'],
      ['GET', '/api/v1/webhooks'],
    ] as const) {
      const res = await h.api(method, url, method === 'POST' ? { url: URL_A, events: ['*'] } : undefined, as(pro.key))
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('plan_limit')
    }
  })
})

describe('GET /api/v1/event_types', () => {
  test('lists every catalog event with its description, data schema and aliases', async () => {
    const h = await testApp({ env })
    const res = await h.api('GET', '/api/v1/event_types')
    expect(res.statusCode).toBe(200)
    const { data } = res.json()
    expect(data.map((t: { name: string }) => t.name)).toEqual(eventCatalog.names)
    for (const type of data) {
      const definition = eventCatalog.definitionOf(type.name)!
      expect(type).toEqual({
        name: type.name,
        description: definition.description,
        schema: JSON.parse(JSON.stringify(definition.data)),
        aliases: definition.aliases,
      })
    }
    expect(data.find((t: { name: string }) => t.name === 'contact.created').aliases).toEqual(['client_created'])
    // A read key is enough.
    const readKey = await h.newKey(h.org.id, { scopes: ['read'] })
    expect((await h.api('GET', '/api/v1/event_types', undefined, as(readKey))).statusCode).toBe(200)

    // The OpenAPI document describes the same events in its `webhooks` section.
    await h.app.ready()
    const webhooks = (h.app.swagger() as { webhooks: Record<string, { post: Record<string, unknown> }> }).webhooks
    // …and, after them, the flat envelopes that webhooks made with kinds receive: form submissions,
    // then the email kinds of docs/deliverability.md.
    expect(Object.keys(webhooks)).toEqual([
      ...eventCatalog.names,
      'FORM_SUBMIT',
      'CAPTCHA',
      ...['SUCCESSFUL', 'OPEN', 'HIT', 'UNSUBSCRIBE', 'HARD_BOUNCE', 'SOFT_BOUNCE', 'COMPLAINT'],
    ])
    const envelope = (webhooks['deal.won']!.post.requestBody as { content: Record<string, { schema: unknown }> })
      .content['application/json']!.schema
    expect(envelope).toMatchObject({
      type: 'object',
      required: ['id', 'event', 'timestamp', 'data'],
      properties: {
        event: { const: 'deal.won' },
        data: { ...JSON.parse(JSON.stringify(dealWon.data)), description: expect.any(String) },
      },
    })
  })
})
