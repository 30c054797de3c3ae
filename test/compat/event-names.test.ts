import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import type { Worker } from '../../src/webhook-worker/worker.js'
import { worker } from '../delivery/fixtures.js'
import { type TestApp, testApp } from '../harness.js'
import { startReceiver } from '../receiver.js'

/*
 * Events as other CRMs' documents show them: delivered under the alias an endpoint subscribed by,
 * money as a number in major units with its currency, and `*_by` naming the person.
 */

let h: TestApp
let receiver: Awaited<ReturnType<typeof startReceiver>>
let deliveryWorker: Worker

beforeAll(async () => {
  h = await testApp({ env: { RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' } })
  receiver = await startReceiver()
  deliveryWorker = await worker(h)
})
afterAll(async () => {
  await deliveryWorker?.stop(1000)
  await receiver?.close()
})

/** The deliveries received since `from` whose body is JSON, with their event header. */
function receivedSince(from: number) {
  return receiver.received.slice(from).map((r) => ({ header: r.headers['x-webhook-event'], body: JSON.parse(r.body) }))
}

describe('subscriptions by alias', () => {
  test('an endpoint subscribed by client_created / client_updated receives the events under those names', async () => {
    const endpoint = (
      await h.api('POST', '/api/v1/webhook_endpoints', {
        url: receiver.url,
        events: ['client_created', 'client_updated', 'deal.created'],
      })
    ).json()
    expect(endpoint.events).toEqual(['contact.created', 'contact.updated', 'lead.updated', 'deal.created'])
    const from = receiver.received.length
    const contact = (await h.api('POST', '/api/v1/contacts', { email: 'alias@example.com' })).json()
    await receiver.waitFor(from + 1)
    const [created] = receivedSince(from)
    expect(created!.header).toBe('client_created')
    expect(created!.body).toMatchObject({ event: 'client_created', type: 'client_created', data: { id: contact.id } })

    // A repeat lead for the known email: the contact is completed, and client_updated hears of it.
    const lead = await h.api('POST', '/api/webhook/leads', { email: 'alias@example.com', name: 'Ada Alias' })
    expect(lead.json()).toMatchObject({ id: contact.id, created: false })
    await receiver.waitFor(from + 2)
    const [, updated] = receivedSince(from)
    expect(updated!.header).toBe('client_updated')
    expect(updated!.body).toMatchObject({
      event: 'client_updated',
      type: 'client_updated',
      data: { id: contact.id, changes: { name: 'Ada Alias' } },
    })

    // A catalog name subscribed as such is delivered under it, without `type`.
    await h.api('POST', '/api/v1/deals', { title: 'Named', value: 10 })
    await receiver.waitFor(from + 3)
    const [, , deal] = receivedSince(from)
    expect(deal!.header).toBe('deal.created')
    expect(deal!.body.event).toBe('deal.created')
    expect(deal!.body.type).toBeUndefined()
    await h.api('DELETE', `/api/v1/webhook_endpoints/${endpoint.id}`)
  })

  test('an alias given beside its own catalog name is delivered under the catalog name', async () => {
    const endpoint = (
      await h.api('POST', '/api/v1/webhook_endpoints', {
        url: receiver.url,
        events: ['contact.created', 'client_created'],
      })
    ).json()
    const from = receiver.received.length
    await h.api('POST', '/api/v1/contacts', { email: 'both@example.com' })
    await receiver.waitFor(from + 1)
    expect(receivedSince(from)[0]!.header).toBe('contact.created')
    await h.api('DELETE', `/api/v1/webhook_endpoints/${endpoint.id}`)
  })
})

describe('event payloads', () => {
  test('deal money is a JSON number in major units with its currency; the API keeps the exact decimal', async () => {
    const deal = (await h.api('POST', '/api/v1/deals', { title: 'Enterprise Plan', value: '12000.50' })).json()
    expect(deal.value).toBe('12000.50')
    const event = await h.deps.db
      .selectFrom('events')
      .select('data')
      .where('org_id', '=', h.org.id)
      .where('type', '=', 'deal.created')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(event.data).toMatchObject({ id: deal.id, value: 12000.5, currency: deal.currency })
  })

  test('completed_by names the user who created the key; an operator’s key names the key', async () => {
    const orgs = new OrgsService(h.deps.db)
    const userId = 'user_01jd3k8m2x7q9v4b6n5t0w1y2z'
    const userKey = (await orgs.createKey(h.org.id, { mode: 'live' }, userId)).key!
    const as = (key: string) => ({ authorization: `Bearer ${key}` })
    const byUser = (await h.api('POST', '/api/v1/tasks', { title: 'By a person' }, as(userKey))).json()
    const done = await h.api('POST', `/api/v1/tasks/${byUser.id}/complete`, undefined, as(userKey))
    expect(done.json().completed_by).toBe(userId)
    const byKey = (await h.api('POST', '/api/v1/tasks', { title: 'By a script' })).json()
    const doneByKey = await h.api('POST', `/api/v1/tasks/${byKey.id}/complete`)
    expect(doneByKey.json().completed_by).toBe(h.org.keyId)
    const events = await h.deps.db
      .selectFrom('events')
      .select('data')
      .where('org_id', '=', h.org.id)
      .where('type', '=', 'task.completed')
      .orderBy('id')
      .execute()
    expect(events.map((e) => e.data.completed_by)).toEqual([userId, h.org.keyId])
  })
})
