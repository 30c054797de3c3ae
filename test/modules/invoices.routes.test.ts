import { describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'

const as = (key: string) => ({ authorization: `Bearer ${key}` })
const VALVE = { description: 'Boiler valve', quantity: 2, unit_amount: 4550 }
const FEE = { description: 'Call-out fee', quantity: 1, unit_amount: 6000 }

async function newContact(h: TestApp, key = h.org.key, name = 'Jane Doe') {
  const res = await h.api('POST', '/api/v1/contacts', { name }, as(key))
  expect(res.statusCode).toBe(201)
  return res.json().id as string
}

async function newInvoice(h: TestApp, body: Record<string, unknown> = { line_items: [FEE] }, key = h.org.key) {
  const res = await h.api('POST', '/api/v1/invoices', body, as(key))
  expect(res.statusCode).toBe(201)
  return res.json()
}

async function eventsOf(h: TestApp, type: string) {
  return (await h.api('GET', `/api/v1/events?type=${type}`)).json().data as { data: Record<string, unknown> }[]
}

describe('POST /api/v1/invoices', () => {
  test('creates a draft with priced lines, exact integer totals, the first number and the contact’s name', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const wo = (await h.api('POST', '/api/v1/work_orders', { title: 'Boiler', contact_id: contactId })).json()
    const res = await h.api('POST', '/api/v1/invoices', {
      contact_id: contactId,
      work_order_id: wo.id,
      line_items: [VALVE, FEE],
      due_date: '2025-02-28',
    })
    expect(res.statusCode).toBe(201)
    const inv = res.json()
    expect(inv).toMatchObject({
      object: 'invoice',
      number: 'INV-000001',
      status: 'draft',
      contact_id: contactId,
      customer_name: 'Jane Doe',
      work_order_id: wo.id,
      currency: 'USD',
      line_items: [
        { ...VALVE, amount: 9100 },
        { ...FEE, amount: 6000 },
      ],
      subtotal: 15100,
      total: 15100,
      due_date: '2025-02-28',
      sent_at: null,
      paid_at: null,
      voided_at: null,
    })
    expect(inv.id).toMatch(/^inv_[0-9a-z]{26}$/)
    expect((await h.api('GET', `/api/v1/invoices/${inv.id}`)).json()).toEqual(inv)
  })

  test('defaults the currency to the organization’s and accepts another ISO 4217 code', async () => {
    const h = await testApp()
    await h.deps.db.updateTable('organizations').set({ currency: 'EUR' }).where('id', '=', h.org.id).execute()
    expect((await newInvoice(h, {})).currency).toBe('EUR')
    expect((await newInvoice(h, { currency: 'JPY' })).currency).toBe('JPY')
    for (const currency of ['ABC', 'usd', 'EURO']) {
      const res = await h.api('POST', '/api/v1/invoices', { currency })
      expect(res.statusCode).toBe(422)
      expect(res.json().error.details[0].field).toBe('currency')
    }
  })

  test('keeps totals exact up to 2^53 - 1 and rejects any line or total beyond it with 422', async () => {
    const h = await testApp()
    const big = await newInvoice(h, {
      line_items: [
        { description: 'a', quantity: 2, unit_amount: 4_503_599_627_370_495 },
        { description: 'b', quantity: 1, unit_amount: 1 },
      ],
    })
    expect(big.line_items[0].amount).toBe(9_007_199_254_740_990)
    expect(big.total).toBe(Number.MAX_SAFE_INTEGER)

    const lineOverflow = await h.api('POST', '/api/v1/invoices', {
      line_items: [FEE, { description: 'x', quantity: 3, unit_amount: 4_503_599_627_370_495 }],
    })
    expect(lineOverflow.statusCode).toBe(422)
    expect(lineOverflow.json().error.details[0].field).toBe('line_items.1')

    const totalOverflow = await h.api('POST', '/api/v1/invoices', {
      line_items: [
        { description: 'x', quantity: 1, unit_amount: Number.MAX_SAFE_INTEGER },
        { description: 'y', quantity: 1, unit_amount: 1 },
      ],
    })
    expect(totalOverflow.statusCode).toBe(422)
    expect(totalOverflow.json().error.details[0].field).toBe('line_items')

    const tooBigUnit = await h.api('POST', '/api/v1/invoices', {
      line_items: [{ description: 'x', quantity: 1, unit_amount: 2 ** 60 }],
    })
    expect(tooBigUnit.statusCode).toBe(422)
    expect(tooBigUnit.json().error.details[0].field).toBe('line_items.0.unit_amount')
  })

  test('requires positive integer quantities, integer non-negative amounts and known fields', async () => {
    const h = await testApp()
    const cases: [Record<string, unknown>, string][] = [
      [{ ...FEE, quantity: 0 }, 'line_items.0.quantity'],
      [{ ...FEE, quantity: 1.5 }, 'line_items.0.quantity'],
      [{ ...FEE, unit_amount: 10.25 }, 'line_items.0.unit_amount'],
      [{ ...FEE, unit_amount: -1 }, 'line_items.0.unit_amount'],
      [{ ...FEE, unit_amount: '6000' }, 'line_items.0.unit_amount'],
      [{ ...FEE, amount: 1 }, 'line_items.0.amount'],
      [{ quantity: 1, unit_amount: 1 }, 'line_items.0.description'],
    ]
    for (const [line, field] of cases) {
      const res = await h.api('POST', '/api/v1/invoices', { line_items: [line] })
      expect(res.statusCode).toBe(422)
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field)
    }
    const unknown = await h.api('POST', '/api/v1/invoices', { total: 5 })
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json().error.details).toEqual([{ field: 'total', message: 'Unknown field' }])
  })

  test('rejects a contact or work order of another organization or mode with 422 naming the field', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const foreignContact = await newContact(h, other.key)
    const sandboxContact = await newContact(h, testKey)
    const sandboxWo = (await h.api('POST', '/api/v1/work_orders', { title: 'x' }, as(testKey))).json().id
    for (const [body, field] of [
      [{ contact_id: foreignContact }, 'contact_id'],
      [{ contact_id: sandboxContact }, 'contact_id'],
      [{ work_order_id: sandboxWo }, 'work_order_id'],
      [{ work_order_id: 'wo_missing' }, 'work_order_id'],
    ] as const) {
      const res = await h.api('POST', '/api/v1/invoices', body)
      expect(res.statusCode).toBe(422)
      expect(res.json().error.details).toEqual([{ field, message: expect.any(String) }])
    }
    expect((await h.api('GET', '/api/v1/invoices')).json().data).toEqual([])
  })
})

describe('invoice numbers', () => {
  test('concurrent creates get distinct consecutive numbers', async () => {
    const h = await testApp()
    const results = await Promise.all(Array.from({ length: 12 }, () => h.api('POST', '/api/v1/invoices', {})))
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(201))
    const numbers = results.map((r) => r.json().number as string).sort()
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`))
  })

  test('count separately per organization and mode, and never reuse a deleted draft’s number', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const first = await newInvoice(h, {})
    const second = await newInvoice(h, {})
    expect((await h.api('DELETE', `/api/v1/invoices/${second.id}`)).statusCode).toBe(200)
    expect((await newInvoice(h, {})).number).toBe('INV-000003')
    expect(first.number).toBe('INV-000001')
    expect((await newInvoice(h, {}, testKey)).number).toBe('INV-000001')
    expect((await newInvoice(h, {}, other.key)).number).toBe('INV-000001')
  })
})

describe('invoice lifecycle', () => {
  test('send stamps sent_at and emits invoice.sent; mark_paid stamps paid_at and emits invoice.paid', async () => {
    const h = await testApp()
    const inv = await newInvoice(h, { line_items: [VALVE], currency: 'EUR' })
    const sent = await h.api('POST', `/api/v1/invoices/${inv.id}/send`)
    expect(sent.statusCode).toBe(200)
    expect(sent.json().status).toBe('sent')
    expect(sent.json().sent_at).not.toBeNull()
    expect((await eventsOf(h, 'invoice.sent'))[0]!.data).toEqual({
      id: inv.id,
      number: 'INV-000001',
      total: 91,
      currency: 'EUR',
      sent_at: sent.json().sent_at,
    })
    const paid = await h.api('POST', `/api/v1/invoices/${inv.id}/mark_paid`)
    expect(paid.statusCode).toBe(200)
    expect(paid.json()).toMatchObject({ status: 'paid', sent_at: sent.json().sent_at })
    expect((await eventsOf(h, 'invoice.paid'))[0]!.data).toEqual({
      id: inv.id,
      number: 'INV-000001',
      total: 91,
      currency: 'EUR',
      paid_at: paid.json().paid_at,
    })
    expect(await h.eventTypes()).toEqual(['invoice.sent', 'invoice.paid'])
  })

  test('a draft without line items cannot be sent: 422 naming line_items', async () => {
    const h = await testApp()
    const inv = await newInvoice(h, {})
    const res = await h.api('POST', `/api/v1/invoices/${inv.id}/send`)
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([
      { field: 'line_items', message: 'Add at least one line item before sending' },
    ])
    expect((await h.api('GET', `/api/v1/invoices/${inv.id}`)).json().status).toBe('draft')
    expect(await h.eventTypes()).toEqual([])
  })

  test('every illegal move is a 409 conflict and changes nothing', async () => {
    const h = await testApp()
    const draft = await newInvoice(h)
    const sent = await newInvoice(h)
    await h.api('POST', `/api/v1/invoices/${sent.id}/send`)
    const paid = await newInvoice(h)
    await h.api('POST', `/api/v1/invoices/${paid.id}/send`)
    await h.api('POST', `/api/v1/invoices/${paid.id}/mark_paid`)
    const voided = await newInvoice(h)
    await h.api('POST', `/api/v1/invoices/${voided.id}/void`)
    const before = await h.eventTypes()

    const illegal: [string, string][] = [
      ['POST', `/api/v1/invoices/${draft.id}/mark_paid`],
      ['POST', `/api/v1/invoices/${sent.id}/send`],
      ['POST', `/api/v1/invoices/${paid.id}/send`],
      ['POST', `/api/v1/invoices/${paid.id}/mark_paid`],
      ['POST', `/api/v1/invoices/${paid.id}/void`],
      ['POST', `/api/v1/invoices/${voided.id}/void`],
      ['POST', `/api/v1/invoices/${voided.id}/send`],
      ['POST', `/api/v1/invoices/${voided.id}/mark_paid`],
      ['PATCH', `/api/v1/invoices/${sent.id}`],
      ['PATCH', `/api/v1/invoices/${paid.id}`],
      ['DELETE', `/api/v1/invoices/${sent.id}`],
      ['DELETE', `/api/v1/invoices/${voided.id}`],
    ]
    for (const [method, url] of illegal) {
      const res = await h.api(method as 'POST', url, method === 'PATCH' ? { due_date: '2030-01-01' } : undefined)
      expect(res.statusCode, `${method} ${url}`).toBe(409)
      expect(res.json().error.code).toBe('conflict')
    }
    expect(await h.eventTypes()).toEqual(before)
    expect((await h.api('GET', `/api/v1/invoices/${sent.id}`)).json()).toMatchObject({ status: 'sent', due_date: null })
  })

  test('void works from draft and from sent, stamps voided_at and emits invoice.voided', async () => {
    const h = await testApp()
    const draft = await newInvoice(h)
    const sent = await newInvoice(h)
    await h.api('POST', `/api/v1/invoices/${sent.id}/send`)
    for (const inv of [draft, sent]) {
      const res = await h.api('POST', `/api/v1/invoices/${inv.id}/void`)
      expect(res.statusCode).toBe(200)
      expect(res.json().status).toBe('void')
      expect(res.json().voided_at).not.toBeNull()
    }
    const events = (await h.api('GET', '/api/v1/events?type=invoice.voided')).json().data
    expect(events.map((e: { data: { id: string } }) => e.data.id).sort()).toEqual([draft.id, sent.id].sort())
    expect(events[0].data).toMatchObject({ number: expect.stringMatching(/^INV-/), voided_at: expect.any(String) })
  })
})

describe('GET/PATCH/DELETE /api/v1/invoices/:id', () => {
  test('PATCH replaces the lines and recomputes totals; GET sends an ETag and a stale If-Match is a 412', async () => {
    const h = await testApp()
    const inv = await newInvoice(h, { line_items: [FEE] })
    const etag = (await h.api('GET', `/api/v1/invoices/${inv.id}`)).headers.etag as string
    const patched = await h.api(
      'PATCH',
      `/api/v1/invoices/${inv.id}`,
      { line_items: [FEE, VALVE] },
      { 'if-match': etag },
    )
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ subtotal: 15100, total: 15100 })
    expect(patched.headers.etag).not.toBe(etag)
    const stale = await h.api('PATCH', `/api/v1/invoices/${inv.id}`, { line_items: [] }, { 'if-match': etag })
    expect(stale.statusCode).toBe(412)
    expect((await h.api('GET', `/api/v1/invoices/${inv.id}`)).json().total).toBe(15100)
  })

  test('a PATCH that repeats the current values writes nothing: updated_at and the ETag stay', async () => {
    const h = await testApp()
    const inv = await newInvoice(h, { line_items: [VALVE, FEE], due_date: '2025-02-28' })
    const etag = (await h.api('GET', `/api/v1/invoices/${inv.id}`)).headers.etag
    const same = await h.api('PATCH', `/api/v1/invoices/${inv.id}`, {
      line_items: [VALVE, FEE],
      due_date: '2025-02-28',
      currency: 'USD',
    })
    expect(same.statusCode).toBe(200)
    expect(same.json().updated_at).toBe(inv.updated_at)
    expect(same.headers.etag).toBe(etag)
  })

  test('PATCH links and unlinks contact and work order, validating them', async () => {
    const h = await testApp()
    const contactId = await newContact(h, h.org.key, 'Ada')
    const wo = (await h.api('POST', '/api/v1/work_orders', { title: 'x' })).json()
    const inv = await newInvoice(h, {})
    const linked = await h.api('PATCH', `/api/v1/invoices/${inv.id}`, { contact_id: contactId, work_order_id: wo.id })
    expect(linked.json()).toMatchObject({ contact_id: contactId, customer_name: 'Ada', work_order_id: wo.id })
    const bad = await h.api('PATCH', `/api/v1/invoices/${inv.id}`, { work_order_id: 'wo_nope' })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('work_order_id')
    const unlinked = await h.api('PATCH', `/api/v1/invoices/${inv.id}`, { contact_id: null, work_order_id: null })
    expect(unlinked.json()).toMatchObject({ contact_id: null, customer_name: null, work_order_id: null })
    expect((await h.api('PATCH', `/api/v1/invoices/${inv.id}`, {})).statusCode).toBe(422)
  })

  test('deleting the contact or the work order keeps the invoice, unlinked, with the customer name', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const wo = (await h.api('POST', '/api/v1/work_orders', { title: 'x' })).json()
    const inv = await newInvoice(h, { contact_id: contactId, work_order_id: wo.id, line_items: [FEE] })
    await h.api('POST', `/api/v1/invoices/${inv.id}/send`)
    expect((await h.api('DELETE', `/api/v1/contacts/${contactId}`)).statusCode).toBe(200)
    expect((await h.api('DELETE', `/api/v1/work_orders/${wo.id}`)).statusCode).toBe(200)
    const after = (await h.api('GET', `/api/v1/invoices/${inv.id}`)).json()
    expect(after).toMatchObject({ contact_id: null, work_order_id: null, customer_name: 'Jane Doe', status: 'sent' })
  })

  test('DELETE removes a draft', async () => {
    const h = await testApp()
    const inv = await newInvoice(h)
    expect((await h.api('DELETE', `/api/v1/invoices/${inv.id}`)).json()).toEqual({
      id: inv.id,
      object: 'invoice',
      deleted: true,
    })
    expect((await h.api('GET', `/api/v1/invoices/${inv.id}`)).statusCode).toBe(404)
  })
})

describe('GET /api/v1/invoices', () => {
  const numbers = (res: { json(): { data: { number: string }[] } }) => res.json().data.map((i) => i.number)

  async function seeded() {
    const h = await testApp()
    const ada = await newContact(h, h.org.key, 'Ada')
    const wo = (await h.api('POST', '/api/v1/work_orders', { title: 'x' })).json()
    await newInvoice(h, { contact_id: ada, due_date: '2025-03-01', line_items: [FEE] })
    const second = await newInvoice(h, { work_order_id: wo.id, due_date: '2025-02-01', line_items: [FEE] })
    await newInvoice(h, { contact_id: ada, due_date: '2025-02-15' })
    await newInvoice(h, {})
    await h.api('POST', `/api/v1/invoices/${second.id}/send`)
    return { h, ada, wo }
  }

  test('lists newest first and filters by status, contact, work order and due date range', async () => {
    const { h, ada, wo } = await seeded()
    const all = await h.api('GET', '/api/v1/invoices')
    expect(numbers(all)).toEqual(['INV-000004', 'INV-000003', 'INV-000002', 'INV-000001'])
    expect(all.json().pagination).toMatchObject({ total: 4, has_more: false })
    expect(numbers(await h.api('GET', '/api/v1/invoices?status=sent'))).toEqual(['INV-000002'])
    expect(numbers(await h.api('GET', `/api/v1/invoices?contact_id=${ada}`))).toEqual(['INV-000003', 'INV-000001'])
    expect(numbers(await h.api('GET', `/api/v1/invoices?work_order_id=${wo.id}`))).toEqual(['INV-000002'])
    expect(numbers(await h.api('GET', '/api/v1/invoices?due_after=2025-02-01&due_before=2025-03-01'))).toEqual([
      'INV-000003',
      'INV-000002',
    ])
    expect((await h.api('GET', '/api/v1/invoices?due_after=soon')).statusCode).toBe(400)
  })

  test('sorts by due date, undated last, and pages through it by cursor', async () => {
    const { h } = await seeded()
    expect(numbers(await h.api('GET', '/api/v1/invoices?sort=due_date'))).toEqual([
      'INV-000002',
      'INV-000003',
      'INV-000001',
      'INV-000004',
    ])
    const first = await h.api('GET', '/api/v1/invoices?sort=-due_date&limit=2')
    expect(numbers(first)).toEqual(['INV-000001', 'INV-000003'])
    const next = await h.api(
      'GET',
      `/api/v1/invoices?sort=-due_date&limit=2&cursor=${first.json().pagination.next_cursor}`,
    )
    expect(numbers(next)).toEqual(['INV-000002', 'INV-000004'])
  })

  test('shows only the caller’s organization and mode', async () => {
    const { h } = await seeded()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    await newInvoice(h, {}, testKey)
    expect((await h.api('GET', '/api/v1/invoices', undefined, as(other.key))).json().data).toEqual([])
    expect((await h.api('GET', '/api/v1/invoices', undefined, as(testKey))).json().pagination.total).toBe(1)
    expect((await h.api('GET', '/api/v1/invoices')).json().pagination.total).toBe(4)
  })
})
