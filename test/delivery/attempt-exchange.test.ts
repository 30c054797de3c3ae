import { afterEach, describe, expect, test } from 'vitest'
import { startWorker, type Worker } from '../../src/webhook-worker/worker.js'
import { startReceiver } from '../receiver.js'
import { createEndpoint, deliveriesOf, eventually, webhookApp, worker } from './fixtures.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

type Attempt = {
  status_code: number | null
  request_headers: Record<string, string> | null
  request_body: string | null
  response_headers: Record<string, string> | null
  response_body: string | null
  error: string | null
}

describe('each attempt keeps the request sent and the response received', () => {
  test('the stored request equals what the receiver got, for a successful and a failed attempt', async () => {
    const h = await webhookApp()
    const rx = await startReceiver((req, res) => {
      if (req.body.includes('bad@')) {
        res.writeHead(500, { 'content-type': 'text/plain', 'x-reason': 'database down' }).end('x'.repeat(70_000))
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'x-receiver': 'one' }).end('{"received":true}')
      }
    })
    cleanups.push(rx.close)
    const w: Worker = await worker(h)
    cleanups.push(() => w.stop(2000))
    const { id, secret } = await createEndpoint(h, { url: rx.url })
    await h.api('POST', '/api/v1/contacts', { email: 'good@example.com' })
    await h.api('POST', '/api/v1/contacts', { email: 'bad@example.com' })
    await eventually(async () => (await deliveriesOf(h, id)).every((d) => d.status !== 'pending'), 20_000)
    // One attempt for the success; three (two retries) for the failure.
    await rx.waitFor(4)

    const deliveries = await deliveriesOf(h, id)
    expect(deliveries.map((d) => d.status).sort()).toEqual(['failed', 'succeeded'])
    for (const d of deliveries) {
      const res = await h.api('GET', `/api/v1/webhook_deliveries/${d.id}`)
      expect(res.statusCode).toBe(200)
      const attempts: Attempt[] = res.json().attempts
      const got = rx.received.filter((r) => r.headers['webhook-id'] === d.event_id)
      expect(attempts).toHaveLength(d.status === 'succeeded' ? 1 : 3)
      expect(got).toHaveLength(attempts.length)
      for (const [i, attempt] of attempts.entries()) {
        expect(attempt.request_body).toBe(got[i]!.body)
        expect(Object.keys(attempt.request_headers!)).toEqual(
          expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-webhook-signature']),
        )
        for (const [name, value] of Object.entries(attempt.request_headers!)) {
          expect(got[i]!.headers[name.toLowerCase()], name).toBe(value)
        }
        expect(JSON.stringify(attempt)).not.toContain(secret.slice('whsec_'.length))
      }
      const [attempt] = attempts
      if (d.status === 'succeeded') {
        expect(attempt).toMatchObject({ status_code: 200, response_body: '{"received":true}', error: null })
        expect(attempt!.response_headers).toMatchObject({ 'content-type': 'application/json', 'x-receiver': 'one' })
      } else {
        expect(attempt).toMatchObject({ status_code: 500, error: 'HTTP 500' })
        expect(attempt!.response_headers).toMatchObject({ 'x-reason': 'database down' })
        expect(attempt!.response_body).toBe('x'.repeat(64 * 1024))
      }
    }
  })

  test('an attempt that gets no answer keeps the request and has no response headers', async () => {
    const h = await webhookApp()
    const rx = await startReceiver()
    const closedUrl = rx.url
    await rx.close()
    const w: Worker = await worker(h)
    cleanups.push(() => w.stop(2000))
    const { id } = await createEndpoint(h, { url: closedUrl })
    await h.api('POST', '/api/v1/contacts', { email: 'nobody@example.com' })
    await eventually(async () => (await deliveriesOf(h, id))[0]?.status === 'failed', 20_000)

    const [d] = await deliveriesOf(h, id)
    const [attempt]: Attempt[] = (await h.api('GET', `/api/v1/webhook_deliveries/${d!.id}`)).json().attempts
    expect(attempt).toMatchObject({ status_code: null, response_headers: null, error: 'connection refused' })
    expect(attempt!.request_headers).toMatchObject({ 'webhook-id': d!.event_id })
    expect(JSON.parse(attempt!.request_body!)).toMatchObject({ id: d!.event_id })
  })
})

describe('an attempt refused before connecting', () => {
  test('keeps no request, since nothing was sent, and says why', async () => {
    const h = await webhookApp()
    const rx = await startReceiver()
    cleanups.push(rx.close)
    const w = await startWorker({
      db: h.deps.db,
      config: h.deps.config,
      secretBox: h.deps.secretBox,
      log: h.app.log,
      pollMs: 100,
      checkTarget: () => 'private address',
    })
    cleanups.push(() => w.stop(2000))
    const { id } = await createEndpoint(h, { url: rx.url })
    await h.api('POST', '/api/v1/contacts', { email: 'blocked@example.com' })
    await eventually(async () => (await deliveriesOf(h, id))[0]?.status === 'failed', 20_000)
    const [d] = await deliveriesOf(h, id)
    const [attempt]: Attempt[] = (await h.api('GET', `/api/v1/webhook_deliveries/${d!.id}`)).json().attempts
    expect(attempt).toMatchObject({
      status_code: null,
      request_headers: null,
      request_body: null,
      response_headers: null,
      error: 'blocked address: private address',
    })
    expect(rx.received).toEqual([])
  })
})

describe('a response body PostgreSQL text cannot hold', () => {
  test('a NUL byte in the answer is kept as U+FFFD and the attempt is still recorded', async () => {
    const h = await webhookApp()
    const rx = await startReceiver((_req, res) => res.writeHead(200).end('before\u0000after'))
    cleanups.push(rx.close)
    const w: Worker = await worker(h)
    cleanups.push(() => w.stop(2000))
    const { id } = await createEndpoint(h, { url: rx.url })
    await h.api('POST', '/api/v1/contacts', { email: 'nul@example.com' })
    await eventually(async () => (await deliveriesOf(h, id))[0]?.status === 'succeeded', 10_000)
    const [d] = await deliveriesOf(h, id)
    const [attempt]: Attempt[] = (await h.api('GET', `/api/v1/webhook_deliveries/${d!.id}`)).json().attempts
    expect(attempt).toMatchObject({ status_code: 200, response_body: 'before\uFFFDafter' })
  })
})
