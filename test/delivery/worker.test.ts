import { createHmac } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, test } from 'vitest'
import { purgeOldDeliveries } from '../../src/modules/webhook-deliveries/deliveries.repo.js'
import type { Worker } from '../../src/webhook-worker/worker.js'
import { startReceiver } from '../receiver.js'
import { attemptsOf, createEndpoint, deliveriesOf, eventually, webhookApp, worker } from './fixtures.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
async function setup(env: Record<string, string> = {}) {
  const h = await webhookApp(env)
  const rx = await startReceiver()
  cleanups.push(rx.close)
  const start = async () => {
    const w: Worker = await worker(h)
    cleanups.push(() => w.stop(2000))
    return w
  }
  return { h, rx, start }
}

describe('webhook delivery', () => {
  test('delivers a signed event that verifies with the standardwebhooks library and the hex HMAC', async () => {
    const { h, rx, start } = await setup()
    const { id, secret } = await createEndpoint(h, { url: rx.url })
    await start()
    const contact = (await h.api('POST', '/api/v1/contacts', { name: 'Jane', email: 'jane@example.com' })).json()
    await rx.waitFor(1)
    const [got] = rx.received
    const headers = got!.headers as Record<string, string>
    const payload = new Webhook(secret).verify(got!.body, headers) as {
      id: string
      event: string
      data: { id: string }
    }
    expect(payload).toMatchObject({ event: 'contact.created', data: { id: contact.id, email: 'jane@example.com' } })
    expect(Object.keys(JSON.parse(got!.body))).toEqual(['id', 'event', 'timestamp', 'data'])
    expect(headers['x-webhook-signature']).toBe(createHmac('sha256', secret).update(got!.body).digest('hex'))
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Rapport-Webhook/1.0',
      'x-webhook-event': 'contact.created',
      'webhook-id': payload.id,
      'x-webhook-id': payload.id,
    })
    expect(new Date(headers['x-webhook-timestamp']!).getTime() / 1000).toBe(Number(headers['webhook-timestamp']))
    await eventually(async () => (await deliveriesOf(h, id))[0]?.status === 'succeeded')
  })

  test('retries a failing receiver on the schedule with the same webhook-id, logging every attempt', async () => {
    const { h, rx, start } = await setup()
    let calls = 0
    rx.respondWith((_req, res) => {
      calls += 1
      res.writeHead(calls < 3 ? 500 : 204).end(calls < 3 ? 'boom' : '')
    })
    const { id } = await createEndpoint(h, { url: rx.url })
    await start()
    await h.api('POST', '/api/v1/contacts', { email: 'retry@example.com' })
    await rx.waitFor(3)
    const ids = rx.received.map((r) => r.headers['webhook-id'])
    expect(new Set(ids).size).toBe(1)
    const gaps = rx.received.slice(1).map((r, i) => r.atMs - rx.received[i]!.atMs)
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(850)
    await eventually(async () => (await deliveriesOf(h, id))[0]?.status === 'succeeded')
    const attempts = await attemptsOf(h, id)
    expect(attempts.map((a) => [a.attempt_number, a.status_code, a.response_body])).toEqual([
      [1, 500, 'boom'],
      [2, 500, 'boom'],
      [3, 204, ''],
    ])
    expect(attempts[0]!.next_attempt_at).toBeInstanceOf(Date)
    expect(attempts[2]!.next_attempt_at).toBeNull()
  })

  test('marks a delivery failed after the last scheduled retry', async () => {
    const { h, rx, start } = await setup()
    rx.respondWith((_req, res) => res.writeHead(500).end())
    const { id } = await createEndpoint(h, { url: rx.url })
    await start()
    await h.api('POST', '/api/v1/contacts', { email: 'fail@example.com' })
    await eventually(async () => (await deliveriesOf(h, id))[0]?.status === 'failed')
    expect(rx.received).toHaveLength(3)
    expect((await deliveriesOf(h, id))[0]).toMatchObject({ attempt_count: 3, last_status_code: 500 })
  })

  test('a redirect is a failure and is not followed', async () => {
    const { h, rx, start } = await setup()
    const target = await startReceiver()
    cleanups.push(target.close)
    rx.respondWith((_req, res) => res.writeHead(302, { location: target.url }).end())
    const { id } = await createEndpoint(h, { url: rx.url })
    await start()
    await h.api('POST', '/api/v1/contacts', { email: 'redirect@example.com' })
    await eventually(async () => (await attemptsOf(h, id)).length >= 1)
    const [attempt] = await attemptsOf(h, id)
    expect(attempt).toMatchObject({ status_code: 302, error: 'redirect (302) not followed' })
    expect(target.received).toHaveLength(0)
  })

  test('410 Gone disables the endpoint at once and tells the other endpoints', async () => {
    const { h, rx, start } = await setup()
    const other = await startReceiver()
    cleanups.push(other.close)
    rx.respondWith((_req, res) => res.writeHead(410).end())
    const gone = await createEndpoint(h, { url: rx.url, events: ['contact.created'] })
    await createEndpoint(h, { url: other.url, events: ['webhook_endpoint.disabled'] })
    await start()
    await h.api('POST', '/api/v1/contacts', { email: 'gone@example.com' })
    await other.waitFor(1)
    expect(JSON.parse(other.received[0]!.body)).toMatchObject({
      event: 'webhook_endpoint.disabled',
      data: { id: gone.id, url: rx.url, reason: 'the endpoint answered 410 Gone' },
    })
    const endpoint = await h.deps.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', gone.id)
      .executeTakeFirstOrThrow()
    expect(endpoint.enabled).toBe(false)
    await h.api('POST', '/api/v1/contacts', { email: 'after@example.com' })
    expect(rx.received).toHaveLength(1)
    expect((await deliveriesOf(h, gone.id)).map((d) => d.status)).toEqual(['failed'])
  })

  test('a 429 with Retry-After waits at least that long', async () => {
    const { h, rx, start } = await setup()
    rx.respondWith((_req, res) => res.writeHead(429, { 'retry-after': '3' }).end())
    const { id } = await createEndpoint(h, { url: rx.url })
    await start()
    await h.api('POST', '/api/v1/contacts', { email: 'slow@example.com' })
    await eventually(async () => (await attemptsOf(h, id)).length >= 1)
    const [attempt] = await attemptsOf(h, id)
    expect(attempt!.next_attempt_at!.getTime() - attempt!.started_at.getTime()).toBeGreaterThanOrEqual(2900)
  })

  test('a receiver that does not answer in time is a timeout; a closed port is connection refused', async () => {
    const { h, rx, start } = await setup()
    rx.respondWith(() => {})
    const slow = await createEndpoint(h, { url: rx.url, events: ['contact.created'] })
    const closed = await createEndpoint(h, { url: 'http://127.0.0.1:9/hook', events: ['contact.created'] })
    await start()
    await h.api('POST', '/api/v1/contacts', { email: 'timeout@example.com' })
    await eventually(
      async () => (await attemptsOf(h, slow.id)).length >= 1 && (await attemptsOf(h, closed.id)).length >= 1,
    )
    expect((await attemptsOf(h, slow.id))[0]!.error).toBe('timeout after 1500 ms')
    expect((await attemptsOf(h, closed.id))[0]!.error).toBe('connection refused')
  })

  test('during a secret rotation each delivery carries one signature per valid secret', async () => {
    const { h, rx, start } = await setup()
    const oldSecret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`
    const expired = `whsec_${Buffer.alloc(24, 9).toString('base64')}`
    const rotating = await createEndpoint(h, {
      url: rx.url,
      previousSecret: oldSecret,
      previousExpiresAt: new Date(Date.now() + 3600_000),
    })
    await start()
    await h.api('POST', '/api/v1/contacts', { email: 'rotate@example.com' })
    await rx.waitFor(1)
    const headers = rx.received[0]!.headers as Record<string, string>
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2)
    expect(() => new Webhook(rotating.secret).verify(rx.received[0]!.body, headers)).not.toThrow()
    expect(() => new Webhook(oldSecret).verify(rx.received[0]!.body, headers)).not.toThrow()
    await h.deps.db
      .updateTable('webhook_endpoints')
      .set({
        previous_secret_encrypted: h.deps.secretBox.seal(expired),
        previous_secret_expires_at: new Date(Date.now() - 1000),
      })
      .where('id', '=', rotating.id)
      .execute()
    await h.api('POST', '/api/v1/contacts', { email: 'rotate2@example.com' })
    await rx.waitFor(2)
    const after = rx.received[1]!.headers as Record<string, string>
    expect(after['webhook-signature']!.split(' ')).toHaveLength(1)
    expect(() => new Webhook(expired).verify(rx.received[1]!.body, after)).toThrow()
  })

  test('filters and modes: an endpoint gets only its events, and only of its mode', async () => {
    const { h, rx, start } = await setup()
    const updatesOnly = await createEndpoint(h, { url: rx.url, events: ['contact.updated'] })
    const testMode = await createEndpoint(h, { url: rx.url, events: ['*'], livemode: false })
    const otherOrg = await h.newOrg()
    const foreign = await createEndpoint(h, { url: rx.url, events: ['*'], org: otherOrg })
    await start()
    const c = (await h.api('POST', '/api/v1/contacts', { email: 'f@example.com' })).json()
    await h.api('PATCH', `/api/v1/contacts/${c.id}`, { name: 'F' })
    await eventually(async () => (await deliveriesOf(h, updatesOnly.id)).some((d) => d.status === 'succeeded'))
    expect((await deliveriesOf(h, updatesOnly.id)).map((d) => d.event_type)).toEqual(['contact.updated'])
    expect(await deliveriesOf(h, testMode.id)).toEqual([])
    expect(await deliveriesOf(h, foreign.id)).toEqual([])
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    await h.api('POST', '/api/v1/contacts', { email: 't@example.com' }, { authorization: `Bearer ${testKey}` })
    await eventually(async () => (await deliveriesOf(h, testMode.id)).some((d) => d.status === 'succeeded'))
    expect(rx.received.map((r) => r.headers['x-webhook-event'])).toEqual(['contact.updated', 'contact.created'])
  })
})

describe('endpoint health', () => {
  test('an endpoint failing without a success for the configured days is disabled and the others are told', async () => {
    const { h, rx, start } = await setup({ RAPPORT_WEBHOOK_DISABLE_AFTER_DAYS: '5' })
    const watcher = await startReceiver()
    cleanups.push(watcher.close)
    rx.respondWith((_req, res) => res.writeHead(500).end())
    const failing = await createEndpoint(h, { url: rx.url, events: ['contact.created'] })
    await createEndpoint(h, { url: watcher.url, events: ['webhook_endpoint.disabled'] })
    await start()
    // A success 7 days ago, then failures since 6 days ago: no success for more than 5 days.
    await h.api('POST', '/api/v1/contacts', { email: 'first@example.com' })
    await eventually(async () => (await attemptsOf(h, failing.id)).length >= 1)
    const day = 86_400_000
    const [first] = await attemptsOf(h, failing.id)
    await h.deps.db
      .insertInto('webhook_attempts')
      .values([
        {
          ...first!,
          id: 'wa_old_success',
          attempt_number: 90,
          started_at: new Date(Date.now() - 7 * day),
          status_code: 200,
          error: null,
          request_headers: null,
          response_headers: null,
        },
        {
          ...first!,
          id: 'wa_old_failure',
          attempt_number: 91,
          started_at: new Date(Date.now() - 6 * day),
          status_code: 500,
          request_headers: null,
          response_headers: null,
        },
      ])
      .execute()
    await h.api('POST', '/api/v1/contacts', { email: 'second@example.com' })
    await watcher.waitFor(1)
    expect(JSON.parse(watcher.received[0]!.body).data).toMatchObject({
      id: failing.id,
      reason: 'no successful delivery for 5 days',
    })
    const endpoint = await h.deps.db
      .selectFrom('webhook_endpoints')
      .select(['enabled', 'disabled_reason'])
      .where('id', '=', failing.id)
      .executeTakeFirstOrThrow()
    expect(endpoint).toEqual({ enabled: false, disabled_reason: 'no successful delivery for 5 days' })
  })

  test('an endpoint failing for less than the configured days stays enabled', async () => {
    const { h, rx, start } = await setup({ RAPPORT_WEBHOOK_DISABLE_AFTER_DAYS: '5' })
    rx.respondWith((_req, res) => res.writeHead(500).end())
    const flaky = await createEndpoint(h, { url: rx.url })
    await start()
    await h.api('POST', '/api/v1/contacts', { email: 'flaky@example.com' })
    await eventually(async () => (await deliveriesOf(h, flaky.id))[0]?.status === 'failed')
    const endpoint = await h.deps.db
      .selectFrom('webhook_endpoints')
      .select('enabled')
      .where('id', '=', flaky.id)
      .executeTakeFirstOrThrow()
    expect(endpoint.enabled).toBe(true)
  })

  test('deliveries older than the retention period are purged with their attempts', async () => {
    const { h, rx, start } = await setup()
    const { id } = await createEndpoint(h, { url: rx.url })
    await start()
    await h.api('POST', '/api/v1/contacts', { email: 'old@example.com' })
    await h.api('POST', '/api/v1/contacts', { email: 'new@example.com' })
    await eventually(
      async () =>
        (await deliveriesOf(h, id)).every((d) => d.status === 'succeeded') && (await deliveriesOf(h, id)).length === 2,
    )
    const [old] = await deliveriesOf(h, id)
    await h.deps.db
      .updateTable('webhook_deliveries')
      .set({ created_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('id', '=', old!.id)
      .execute()
    expect(await purgeOldDeliveries(h.deps.db, 30)).toBeGreaterThanOrEqual(1)
    expect((await deliveriesOf(h, id)).map((d) => d.id)).not.toContain(old!.id)
    expect((await attemptsOf(h, id)).filter((a) => a.delivery_id === old!.id)).toEqual([])
    expect(await deliveriesOf(h, id)).toHaveLength(1)
  })
})
