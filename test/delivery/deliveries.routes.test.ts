import { afterEach, describe, expect, test } from 'vitest'
import type { Worker } from '../../src/webhook-worker/worker.js'
import { startReceiver } from '../receiver.js'
import { attemptsOf, createEndpoint, deliveriesOf, eventually, webhookApp, worker } from './fixtures.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
async function setup() {
  const h = await webhookApp()
  const rx = await startReceiver()
  cleanups.push(rx.close)
  const w: Worker = await worker(h)
  cleanups.push(() => w.stop(2000))
  return { h, rx }
}

describe('delivery logs and recovery', () => {
  test('lists deliveries newest first with filters, and shows one with its attempts', async () => {
    const { h, rx } = await setup()
    rx.respondWith((req, res) => res.writeHead(req.body.includes('bad@') ? 500 : 200).end('ok'))
    const { id } = await createEndpoint(h, { url: rx.url })
    await h.api('POST', '/api/v1/contacts', { email: 'good@example.com' })
    await h.api('POST', '/api/v1/contacts', { email: 'bad@example.com' })
    await eventually(async () => (await deliveriesOf(h, id)).filter((d) => d.status !== 'pending').length === 2, 20_000)

    const list = (await h.api('GET', `/api/v1/webhook_endpoints/${id}/deliveries`)).json()
    expect(list.data.map((d: { status: string }) => d.status)).toEqual(['failed', 'succeeded'])
    expect(list.pagination.total).toBe(2)
    const failed = (await h.api('GET', `/api/v1/webhook_endpoints/${id}/deliveries?status=failed`)).json().data
    expect(failed).toHaveLength(1)
    expect(
      (await h.api('GET', `/api/v1/webhook_endpoints/${id}/deliveries?event=contact.updated`)).json().data,
    ).toEqual([])

    const one = (await h.api('GET', `/api/v1/webhook_deliveries/${failed[0].id}`)).json()
    expect(one).toMatchObject({
      object: 'webhook_delivery',
      status: 'failed',
      attempt_count: 3,
      next_attempt_at: null,
      last_status_code: 500,
    })
    expect(
      one.attempts.map((a: { attempt_number: number; status_code: number; response_body: string }) => [
        a.attempt_number,
        a.status_code,
        a.response_body,
      ]),
    ).toEqual([
      [1, 500, 'ok'],
      [2, 500, 'ok'],
      [3, 500, 'ok'],
    ])
    expect(one.attempts[0]).toEqual(
      expect.objectContaining({
        duration_ms: expect.any(Number),
        error: 'HTTP 500',
        next_attempt_at: expect.any(String),
      }),
    )
  })

  test('retry sends a failed delivery once more at once; recover re-queues failures since a time', async () => {
    const { h, rx } = await setup()
    rx.respondWith((_req, res) => res.writeHead(503).end())
    const { id } = await createEndpoint(h, { url: rx.url })
    await h.api('POST', '/api/v1/contacts', { email: 'a@example.com' })
    await h.api('POST', '/api/v1/contacts', { email: 'b@example.com' })
    await eventually(async () => (await deliveriesOf(h, id)).every((d) => d.status === 'failed'), 20_000)
    rx.respondWith((_req, res) => res.writeHead(200).end())

    const [first] = await deliveriesOf(h, id)
    const retried = await h.api('POST', `/api/v1/webhook_deliveries/${first!.id}/retry`)
    expect(retried.statusCode).toBe(202)
    await eventually(async () => (await deliveriesOf(h, id)).some((d) => d.status === 'succeeded'))
    expect((await attemptsOf(h, id)).filter((a) => a.status_code === 200)).toHaveLength(1)

    const recovered = await h.api('POST', `/api/v1/webhook_endpoints/${id}/recover`, {
      since: new Date(Date.now() - 3600_000).toISOString(),
    })
    expect(recovered.json()).toEqual({ recovered: 1 })
    await eventually(async () => (await deliveriesOf(h, id)).every((d) => d.status === 'succeeded'))
  })

  test('test sends webhook.test to that endpoint only; stats count by status', async () => {
    const { h, rx } = await setup()
    const target = await createEndpoint(h, { url: rx.url, events: ['contact.created'] })
    const bystander = await createEndpoint(h, { url: rx.url, events: ['*'] })
    const sent = await h.api('POST', `/api/v1/webhook_endpoints/${target.id}/test`)
    expect(sent.statusCode).toBe(202)
    expect(sent.json()).toEqual({
      event_id: expect.stringMatching(/^evt_/),
      delivery_id: expect.stringMatching(/^wd_/),
    })
    await rx.waitFor(1)
    expect(JSON.parse(rx.received[0]!.body)).toMatchObject({ event: 'webhook.test', data: { endpoint_id: target.id } })
    expect(await deliveriesOf(h, bystander.id)).toEqual([])

    await eventually(async () => (await deliveriesOf(h, target.id))[0]?.status === 'succeeded')
    const stats = (await h.api('GET', `/api/v1/webhook_endpoints/${target.id}/stats`)).json()
    expect(stats).toMatchObject({
      endpoint_id: target.id,
      state: 'enabled',
      disabled_reason: null,
      last_24h: { succeeded: 1, failed: 0, pending: 0 },
      last_7d: { succeeded: 1, failed: 0, pending: 0 },
      last_failure_at: null,
    })
    expect(stats.last_success_at).toEqual(expect.any(String))
  })

  test('a disabled endpoint cannot be tested, retried or recovered (409), and other tenants get 404', async () => {
    const { h } = await setup()
    const { id } = await createEndpoint(h, { url: 'http://127.0.0.1:9/x' })
    await h.deps.db
      .updateTable('webhook_endpoints')
      .set({ enabled: false, disabled_reason: 'manual' })
      .where('id', '=', id)
      .execute()
    expect((await h.api('POST', `/api/v1/webhook_endpoints/${id}/test`)).statusCode).toBe(409)
    expect(
      (await h.api('POST', `/api/v1/webhook_endpoints/${id}/recover`, { since: new Date().toISOString() })).statusCode,
    ).toBe(409)
    const other = await h.newOrg()
    const res = await h.api('GET', `/api/v1/webhook_endpoints/${id}/stats`, undefined, {
      authorization: `Bearer ${other.key}`,
    })
    expect(res.statusCode).toBe(404)
  })
})
