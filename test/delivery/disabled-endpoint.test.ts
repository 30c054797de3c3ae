import { afterEach, describe, expect, test } from 'vitest'
import { claimDueDeliveries } from '../../src/webhook-worker/queue.repo.js'
import type { Worker } from '../../src/webhook-worker/worker.js'
import { startReceiver } from '../receiver.js'
import { attemptsOf, createEndpoint, deliveriesOf, eventually, webhookApp, worker } from './fixtures.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('a disabled endpoint', () => {
  test('gets no attempt of its pending deliveries, which go out once it is enabled again', async () => {
    const h = await webhookApp()
    const rx = await startReceiver()
    cleanups.push(rx.close)
    const { id } = await createEndpoint(h, { url: rx.url })
    expect((await h.api('POST', '/api/v1/contacts', { email: 'held@example.com' })).statusCode).toBe(201)
    const [pending] = await deliveriesOf(h, id)
    expect(pending).toMatchObject({ status: 'pending', attempt_count: 0 })
    // A retry scheduled far ahead before the endpoint was disabled.
    await h.deps.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: new Date(Date.now() + 3600_000) })
      .where('id', '=', pending!.id)
      .execute()

    const off = await h.api('PATCH', `/api/v1/webhook_endpoints/${id}`, { enabled: false })
    expect(off.json()).toMatchObject({ enabled: false, disabled_reason: 'Disabled through the API' })
    await h.deps.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: new Date(Date.now() - 1000) })
      .where('id', '=', pending!.id)
      .execute()
    // Due, yet not claimed while the endpoint is disabled.
    const claimed = await claimDueDeliveries(h.deps.db, 'w_disabled_test', 100, 30_000)
    expect(claimed.map((d) => d.endpoint_id)).not.toContain(id)
    const w: Worker = await worker(h)
    cleanups.push(() => w.stop(2000))
    w.wake()
    await new Promise((r) => setTimeout(r, 300))
    expect(rx.received).toHaveLength(0)
    expect(await attemptsOf(h, id)).toHaveLength(0)
    expect((await deliveriesOf(h, id))[0]).toMatchObject({ status: 'pending', attempt_count: 0, leased_by: null })

    await h.deps.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: new Date(Date.now() + 3600_000) })
      .where('id', '=', pending!.id)
      .execute()
    const on = await h.api('PATCH', `/api/v1/webhook_endpoints/${id}`, { enabled: true })
    expect(on.json()).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null })
    w.wake()
    await rx.waitFor(1)
    expect(JSON.parse(rx.received[0]!.body)).toMatchObject({ event: 'contact.created' })
    await eventually(async () => (await deliveriesOf(h, id))[0]?.status === 'succeeded')
    expect((await deliveriesOf(h, id))[0]!.attempt_count).toBe(1)
  })
})
