import { describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'

const as = (key: string) => ({ authorization: `Bearer ${key}` })

async function newContact(h: TestApp, key = h.org.key, name = 'Jane Doe') {
  const res = await h.api('POST', '/api/v1/contacts', { name }, as(key))
  expect(res.statusCode).toBe(201)
  return res.json().id as string
}

async function newWorkOrder(h: TestApp, body: Record<string, unknown> = {}, key = h.org.key) {
  const res = await h.api('POST', '/api/v1/work_orders', { title: 'Fix the boiler', ...body }, as(key))
  expect(res.statusCode).toBe(201)
  return res.json()
}

async function eventsOf(h: TestApp, type: string) {
  return (await h.api('GET', `/api/v1/events?type=${type}`)).json().data as { data: Record<string, unknown> }[]
}

describe('POST /api/v1/work_orders', () => {
  test('creates a scheduled work order and emits work_order.created with the catalog shape', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const res = await h.api('POST', '/api/v1/work_orders', {
      title: 'Fix the boiler',
      description: 'Side door',
      contact_id: contactId,
      scheduled_at: '2025-02-03T08:00:00Z',
    })
    expect(res.statusCode).toBe(201)
    const wo = res.json()
    expect(wo).toMatchObject({
      object: 'work_order',
      title: 'Fix the boiler',
      description: 'Side door',
      contact_id: contactId,
      scheduled_at: '2025-02-03T08:00:00.000Z',
      status: 'scheduled',
      completed_at: null,
      cancelled_at: null,
    })
    expect(wo.id).toMatch(/^wo_[0-9a-z]{26}$/)
    expect(await h.eventTypes()).toEqual(['contact.created', 'work_order.created'])
    expect((await eventsOf(h, 'work_order.created'))[0]!.data).toEqual({
      id: wo.id,
      title: 'Fix the boiler',
      contact_id: contactId,
      scheduled_at: '2025-02-03T08:00:00.000Z',
    })
  })

  test('rejects unknown fields, a blank title and a completed initial status with 422', async () => {
    const h = await testApp()
    const unknown = await h.api('POST', '/api/v1/work_orders', { title: 'x', priority: 'high' })
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json().error.details).toEqual([{ field: 'priority', message: 'Unknown field' }])
    expect((await h.api('POST', '/api/v1/work_orders', { title: '   ' })).statusCode).toBe(422)
    expect((await h.api('POST', '/api/v1/work_orders', { title: 'x', status: 'completed' })).statusCode).toBe(422)
    expect(await h.eventTypes()).toEqual([])
  })

  test('rejects a contact_id of another organization or of test mode with 422 naming contact_id', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    for (const contactId of [await newContact(h, other.key), await newContact(h, testKey), 'c_nope']) {
      const res = await h.api('POST', '/api/v1/work_orders', { title: 'x', contact_id: contactId })
      expect(res.statusCode).toBe(422)
      expect(res.json().error).toMatchObject({ code: 'validation_failed', details: [{ field: 'contact_id' }] })
    }
    expect(await h.eventTypes()).toEqual([])
  })
})

describe('status moves', () => {
  test('POST …/complete stamps completed_at and emits work_order.completed; a second one is a 409', async () => {
    const h = await testApp()
    const wo = await newWorkOrder(h)
    const res = await h.api('POST', `/api/v1/work_orders/${wo.id}/complete`)
    expect(res.statusCode).toBe(200)
    const done = res.json()
    expect(done.status).toBe('completed')
    expect(Date.parse(done.completed_at)).toBeGreaterThanOrEqual(Date.parse(wo.created_at))
    expect((await eventsOf(h, 'work_order.completed'))[0]!.data).toEqual({
      id: wo.id,
      title: 'Fix the boiler',
      completed_at: done.completed_at,
    })
    const again = await h.api('POST', `/api/v1/work_orders/${wo.id}/complete`)
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('conflict')
    expect(await h.eventTypes()).toEqual(['work_order.created', 'work_order.completed'])
  })

  test('completed and cancelled are final: moving out of them is a 409 and changes nothing', async () => {
    const h = await testApp()
    const done = await newWorkOrder(h)
    await h.api('POST', `/api/v1/work_orders/${done.id}/complete`)
    const cancelled = await newWorkOrder(h)
    const c = await h.api('PATCH', `/api/v1/work_orders/${cancelled.id}`, { status: 'cancelled' })
    expect(c.json()).toMatchObject({ status: 'cancelled', completed_at: null })
    expect(c.json().cancelled_at).not.toBeNull()

    for (const [id, status] of [
      [done.id, 'scheduled'],
      [done.id, 'cancelled'],
      [cancelled.id, 'in_progress'],
      [cancelled.id, 'completed'],
    ]) {
      const res = await h.api('PATCH', `/api/v1/work_orders/${id}`, { status })
      expect(res.statusCode).toBe(409)
      expect(res.json().error.code).toBe('conflict')
    }
    expect((await h.api('POST', `/api/v1/work_orders/${cancelled.id}/complete`)).statusCode).toBe(409)
    expect((await h.api('GET', `/api/v1/work_orders/${cancelled.id}`)).json().status).toBe('cancelled')
    expect(await h.eventTypes()).toEqual([
      'work_order.created',
      'work_order.completed',
      'work_order.created',
      'work_order.cancelled',
    ])
  })

  test('PATCH moves scheduled → in_progress → scheduled → completed, the last one emitting work_order.completed', async () => {
    const h = await testApp()
    const wo = await newWorkOrder(h)
    for (const status of ['in_progress', 'scheduled', 'completed']) {
      const res = await h.api('PATCH', `/api/v1/work_orders/${wo.id}`, { status })
      expect(res.statusCode).toBe(200)
      expect(res.json().status).toBe(status)
    }
    expect(await h.eventTypes()).toEqual(['work_order.created', 'work_order.completed'])
  })
})

describe('GET/PATCH/DELETE /api/v1/work_orders/:id', () => {
  test('GET sends an ETag; PATCH with a stale If-Match is a 412 and with the current one applies', async () => {
    const h = await testApp()
    const wo = await newWorkOrder(h)
    const got = await h.api('GET', `/api/v1/work_orders/${wo.id}`)
    expect(got.json()).toEqual(wo)
    const etag = got.headers.etag as string
    expect(etag).toMatch(/^"/)
    expect(
      (await h.api('PATCH', `/api/v1/work_orders/${wo.id}`, { title: 'Renamed' }, { 'if-match': etag })).statusCode,
    ).toBe(200)
    const stale = await h.api('PATCH', `/api/v1/work_orders/${wo.id}`, { title: 'Again' }, { 'if-match': etag })
    expect(stale.statusCode).toBe(412)
    expect(stale.json().error.code).toBe('precondition_failed')
    expect((await h.api('GET', `/api/v1/work_orders/${wo.id}`)).json().title).toBe('Renamed')
  })

  test('PATCH clears optional fields with null, validates a new contact_id and rejects an empty body', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const wo = await newWorkOrder(h, { description: 'x', contact_id: contactId, scheduled_at: '2025-02-03T08:00:00Z' })
    const cleared = await h.api('PATCH', `/api/v1/work_orders/${wo.id}`, {
      description: null,
      contact_id: null,
      scheduled_at: null,
    })
    expect(cleared.json()).toMatchObject({ description: null, contact_id: null, scheduled_at: null })
    const bad = await h.api('PATCH', `/api/v1/work_orders/${wo.id}`, { contact_id: 'c_missing' })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('contact_id')
    expect((await h.api('PATCH', `/api/v1/work_orders/${wo.id}`, {})).statusCode).toBe(422)
  })

  test('deleting the contact keeps the work order with contact_id cleared', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const wo = await newWorkOrder(h, { contact_id: contactId })
    expect((await h.api('DELETE', `/api/v1/contacts/${contactId}`)).statusCode).toBe(200)
    const after = await h.api('GET', `/api/v1/work_orders/${wo.id}`)
    expect(after.statusCode).toBe(200)
    expect(after.json().contact_id).toBeNull()
  })

  test('DELETE removes the work order', async () => {
    const h = await testApp()
    const wo = await newWorkOrder(h)
    const res = await h.api('DELETE', `/api/v1/work_orders/${wo.id}`)
    expect(res.json()).toEqual({ id: wo.id, object: 'work_order', deleted: true })
    expect((await h.api('GET', `/api/v1/work_orders/${wo.id}`)).statusCode).toBe(404)
    expect((await h.api('DELETE', `/api/v1/work_orders/${wo.id}`)).statusCode).toBe(404)
  })
})

describe('GET /api/v1/work_orders', () => {
  const titles = (res: { json(): { data: { title: string }[] } }) => res.json().data.map((w) => w.title)

  async function seeded() {
    const h = await testApp()
    const ada = await newContact(h, h.org.key, 'Ada')
    await newWorkOrder(h, { title: 'A', scheduled_at: '2025-02-03T08:00:00Z', contact_id: ada })
    await newWorkOrder(h, { title: 'B', scheduled_at: '2025-01-10T08:00:00Z' })
    const c = await newWorkOrder(h, { title: 'C', scheduled_at: '2025-03-01T08:00:00Z', contact_id: ada })
    await newWorkOrder(h, { title: 'D' })
    await h.api('POST', `/api/v1/work_orders/${c.id}/complete`)
    return { h, ada }
  }

  test('lists newest first, filters by status, contact and scheduled range, and sorts by scheduled_at', async () => {
    const { h, ada } = await seeded()
    const all = await h.api('GET', '/api/v1/work_orders')
    expect(titles(all)).toEqual(['D', 'C', 'B', 'A'])
    expect(all.json().pagination).toMatchObject({ page: 1, total: 4, has_more: false })
    expect(titles(await h.api('GET', '/api/v1/work_orders?status=completed'))).toEqual(['C'])
    expect(titles(await h.api('GET', `/api/v1/work_orders?contact_id=${ada}&sort=created_at`))).toEqual(['A', 'C'])
    expect(
      titles(
        await h.api(
          'GET',
          '/api/v1/work_orders?scheduled_after=2025-02-01T00:00:00Z&scheduled_before=2025-03-01T08:00:00Z',
        ),
      ),
    ).toEqual(['A'])
    expect(titles(await h.api('GET', '/api/v1/work_orders?sort=scheduled_at'))).toEqual(['B', 'A', 'C', 'D'])
    expect(titles(await h.api('GET', '/api/v1/work_orders?sort=-scheduled_at'))).toEqual(['C', 'A', 'B', 'D'])
    expect((await h.api('GET', '/api/v1/work_orders?status=done')).statusCode).toBe(400)
  })

  test('pages by cursor through the scheduled_at sort without repeats', async () => {
    const { h } = await seeded()
    const first = await h.api('GET', '/api/v1/work_orders?sort=scheduled_at&limit=3')
    expect(titles(first)).toEqual(['B', 'A', 'C'])
    const cursor = first.json().pagination.next_cursor
    const second = await h.api('GET', `/api/v1/work_orders?sort=scheduled_at&limit=3&cursor=${cursor}`)
    expect(titles(second)).toEqual(['D'])
    expect(second.json().pagination.has_more).toBe(false)
  })

  test('shows only the caller’s organization and mode', async () => {
    const { h } = await seeded()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    await newWorkOrder(h, { title: 'Sandbox' }, testKey)
    expect((await h.api('GET', '/api/v1/work_orders', undefined, as(other.key))).json().data).toEqual([])
    expect(titles(await h.api('GET', '/api/v1/work_orders', undefined, as(testKey)))).toEqual(['Sandbox'])
    expect((await h.api('GET', '/api/v1/work_orders')).json().pagination.total).toBe(4)
  })
})
