import { describe, expect, test } from 'vitest'
import { withoutTagCreations } from '../fixtures.js'
import { testApp } from '../harness.js'

const jane = { name: 'Jane Doe', email: 'jane@example.com', phone: '+1-555-0100', tags: ['lead', 'enterprise'] }

describe('POST /api/v1/contacts', () => {
  test('creates the seed example verbatim and emits contact.created in the same transaction', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/contacts', jane)
    expect(res.statusCode).toBe(201)
    const contact = res.json()
    expect(contact).toMatchObject({ ...jane, status: 'lead', source: 'api', company: null, custom_fields: {} })
    expect(contact.id).toMatch(/^c_[0-9a-z]{26}$/)
    expect(withoutTagCreations(await h.eventTypes())).toEqual(['contact.created'])
    const events = (await h.api('GET', '/api/v1/events')).json()
    expect(events.data[0]).toMatchObject({
      event: 'contact.created',
      data: { id: contact.id, name: 'Jane Doe', email: jane.email, source: 'api' },
    })
    expect(events.data[0].id).toMatch(/^evt_/)
  })

  test('rejects a second contact with the same email in any letter case with 409, writing nothing', async () => {
    const h = await testApp()
    expect((await h.api('POST', '/api/v1/contacts', jane)).statusCode).toBe(201)
    const dup = await h.api('POST', '/api/v1/contacts', { name: 'Other', email: 'JANE@Example.com' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error).toMatchObject({ code: 'already_exists', details: [{ field: 'email' }] })
    // The first contact's tags were created with it; the refused one added nothing.
    expect(await h.eventTypes()).toEqual(['tag.created', 'tag.created', 'contact.created'])
  })

  test('allows the same email in another organization and in test mode', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    expect((await h.api('POST', '/api/v1/contacts', jane)).statusCode).toBe(201)
    expect((await h.api('POST', '/api/v1/contacts', jane, { authorization: `Bearer ${other.key}` })).statusCode).toBe(
      201,
    )
    expect((await h.api('POST', '/api/v1/contacts', jane, { authorization: `Bearer ${testKey}` })).statusCode).toBe(201)
  })

  test('needs at least one of name, email or phone', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/contacts', { company: 'Acme' })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.code).toBe('validation_failed')
  })

  test('registers tags once per organization and reuses the first spelling', async () => {
    const h = await testApp()
    await h.api('POST', '/api/v1/contacts', { email: 'a@example.com', tags: ['VIP'] })
    const res = await h.api('POST', '/api/v1/contacts', { email: 'b@example.com', tags: ['vip', ' VIP ', 'new'] })
    expect(res.json().tags).toEqual(['VIP', 'new'])
    const tagged = await h.api('GET', '/api/v1/contacts?tag=vip')
    expect(
      tagged
        .json()
        .data.map((c: { email: string }) => c.email)
        .sort(),
    ).toEqual(['a@example.com', 'b@example.com'])
  })

  test('rejects custom_fields larger than 16 KB', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/contacts', {
      email: 'big@example.com',
      custom_fields: { notes: 'x'.repeat(17_000) },
    })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([{ field: 'custom_fields', message: 'Must be at most 16 KB as JSON' }])
  })
})

describe('GET/PATCH/DELETE /api/v1/contacts/:id', () => {
  test('reads, updates only changed fields with contact.updated, and deletes with contact.deleted', async () => {
    const h = await testApp()
    const created = (
      await h.api('POST', '/api/v1/contacts', { ...jane, custom_fields: { seats: 3, tier: 'gold' } })
    ).json()
    expect((await h.api('GET', `/api/v1/contacts/${created.id}`)).json()).toEqual(created)

    const patched = await h.api('PATCH', `/api/v1/contacts/${created.id}`, {
      status: 'customer',
      name: 'Jane Doe',
      company: 'Acme',
      custom_fields: { seats: 5, tier: null },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ status: 'customer', company: 'Acme', custom_fields: { seats: 5 } })
    expect(new Date(patched.json().updated_at).getTime()).toBeGreaterThan(new Date(created.updated_at).getTime())

    const events = (await h.api('GET', '/api/v1/events?type=contact.updated')).json().data
    expect(events).toHaveLength(1)
    expect(events[0].data).toEqual({
      id: created.id,
      changes: { status: 'customer', company: 'Acme', custom_fields: { seats: 5 } },
    })

    const deleted = await h.api('DELETE', `/api/v1/contacts/${created.id}`)
    expect(deleted.json()).toEqual({ id: created.id, object: 'contact', deleted: true })
    expect((await h.api('GET', `/api/v1/contacts/${created.id}`)).statusCode).toBe(404)
    expect(withoutTagCreations(await h.eventTypes())).toEqual(['contact.created', 'contact.updated', 'contact.deleted'])
  })

  test('a PATCH that changes nothing emits no event', async () => {
    const h = await testApp()
    const created = (await h.api('POST', '/api/v1/contacts', jane)).json()
    const res = await h.api('PATCH', `/api/v1/contacts/${created.id}`, {
      name: 'Jane Doe',
      tags: ['lead', 'enterprise'],
    })
    expect(res.statusCode).toBe(200)
    expect(withoutTagCreations(await h.eventTypes())).toEqual(['contact.created'])
  })

  test('a PATCH can clear optional fields with null and rejects an email taken by another contact', async () => {
    const h = await testApp()
    const a = (await h.api('POST', '/api/v1/contacts', jane)).json()
    await h.api('POST', '/api/v1/contacts', { email: 'taken@example.com' })
    expect((await h.api('PATCH', `/api/v1/contacts/${a.id}`, { phone: null })).json().phone).toBeNull()
    const clash = await h.api('PATCH', `/api/v1/contacts/${a.id}`, { email: 'Taken@example.com' })
    expect(clash.statusCode).toBe(409)
    expect((await h.api('PATCH', `/api/v1/contacts/${a.id}`, {})).statusCode).toBe(422)
  })
})

describe('GET /api/v1/contacts', () => {
  async function seeded() {
    const h = await testApp()
    const people = [
      {
        name: 'Ada Lovelace',
        email: 'ada@analytical.org',
        company: 'Analytical Engines',
        status: 'customer',
        tags: ['vip'],
      },
      { name: 'Grace Hopper', email: 'grace@navy.mil', phone: '+1-202-555-0199', status: 'prospect', source: 'form' },
      {
        name: 'alan turing',
        email: 'alan@bletchley.uk',
        company: 'Bletchley 100%',
        status: 'lead',
        tags: ['vip', 'uk'],
      },
      { name: 'Linus', phone: '+358-40-555-0101', status: 'churned', source: 'import' },
    ]
    for (const p of people) expect((await h.api('POST', '/api/v1/contacts', p)).statusCode).toBe(201)
    return h
  }
  const names = (res: { json(): { data: { name: string }[] } }) => res.json().data.map((c) => c.name)

  test('lists newest first by default with the pagination envelope', async () => {
    const h = await seeded()
    const res = await h.api('GET', '/api/v1/contacts')
    expect(names(res)).toEqual(['Linus', 'alan turing', 'Grace Hopper', 'Ada Lovelace'])
    expect(res.json().pagination).toEqual({
      page: 1,
      limit: 50,
      total: 4,
      total_is_exact: true,
      has_more: false,
      next_cursor: null,
    })
  })

  test('filters by email (case-insensitive), tag, status and source', async () => {
    const h = await seeded()
    expect(names(await h.api('GET', '/api/v1/contacts?email=ADA@analytical.org'))).toEqual(['Ada Lovelace'])
    expect(names(await h.api('GET', '/api/v1/contacts?tag=vip&sort=name'))).toEqual(['Ada Lovelace', 'alan turing'])
    expect(names(await h.api('GET', '/api/v1/contacts?status=prospect'))).toEqual(['Grace Hopper'])
    expect(names(await h.api('GET', '/api/v1/contacts?source=import'))).toEqual(['Linus'])
    expect((await h.api('GET', '/api/v1/contacts?status=nope')).statusCode).toBe(400)
  })

  test('q searches name, email, phone and company, treating % and _ literally', async () => {
    const h = await seeded()
    expect(names(await h.api('GET', '/api/v1/contacts?q=HOPPER'))).toEqual(['Grace Hopper'])
    expect(names(await h.api('GET', '/api/v1/contacts?q=navy.mil'))).toEqual(['Grace Hopper'])
    expect(names(await h.api('GET', '/api/v1/contacts?q=358-40'))).toEqual(['Linus'])
    expect(names(await h.api('GET', '/api/v1/contacts?q=engines'))).toEqual(['Ada Lovelace'])
    expect(names(await h.api('GET', `/api/v1/contacts?q=${encodeURIComponent('100%')}`))).toEqual(['alan turing'])
    expect(names(await h.api('GET', '/api/v1/contacts?q=%25'))).toEqual(['alan turing'])
  })

  test('sorts by name and updated_at in both directions', async () => {
    const h = await seeded()
    expect(names(await h.api('GET', '/api/v1/contacts?sort=name'))).toEqual([
      'Ada Lovelace',
      'alan turing',
      'Grace Hopper',
      'Linus',
    ])
    expect(names(await h.api('GET', '/api/v1/contacts?sort=-name'))).toEqual([
      'Linus',
      'Grace Hopper',
      'alan turing',
      'Ada Lovelace',
    ])
    expect(names(await h.api('GET', '/api/v1/contacts?sort=updated_at'))).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'alan turing',
      'Linus',
    ])
  })

  test('created_after and created_before bound the creation time', async () => {
    const h = await seeded()
    const all = (await h.api('GET', '/api/v1/contacts?sort=created_at')).json().data
    const third = all[2].created_at
    expect(
      names(await h.api('GET', `/api/v1/contacts?created_after=${encodeURIComponent(third)}&sort=created_at`)),
    ).toEqual(['alan turing', 'Linus'])
    expect(
      names(await h.api('GET', `/api/v1/contacts?created_before=${encodeURIComponent(third)}&sort=created_at`)),
    ).toEqual(['Ada Lovelace', 'Grace Hopper'])
    expect((await h.api('GET', '/api/v1/contacts?created_after=yesterday')).statusCode).toBe(400)
  })

  test('shows only the caller’s organization and mode', async () => {
    const h = await seeded()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    await h.api('POST', '/api/v1/contacts', { email: 'sandbox@example.com' }, { authorization: `Bearer ${testKey}` })
    expect(
      (await h.api('GET', '/api/v1/contacts', undefined, { authorization: `Bearer ${other.key}` })).json().data,
    ).toEqual([])
    const sandbox = await h.api('GET', '/api/v1/contacts', undefined, { authorization: `Bearer ${testKey}` })
    expect(sandbox.json().data.map((c: { email: string }) => c.email)).toEqual(['sandbox@example.com'])
    expect((await h.api('GET', '/api/v1/contacts')).json().pagination.total).toBe(4)
  })
})

describe('external_id', () => {
  test('is set on create, unique per organization and mode (409), changed or cleared by PATCH, and filters the list', async () => {
    const h = await testApp()
    const created = await h.api('POST', '/api/v1/contacts', { email: 'ext@example.com', external_id: 'crm-1' })
    expect(created.statusCode).toBe(201)
    expect(created.json().external_id).toBe('crm-1')
    expect((await h.api('POST', '/api/v1/contacts', { email: 'plain@example.com' })).json().external_id).toBeNull()

    const dup = await h.api('POST', '/api/v1/contacts', { email: 'other@example.com', external_id: 'crm-1' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error).toMatchObject({ code: 'already_exists', details: [{ field: 'external_id' }] })
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const sandbox = await h.api(
      'POST',
      '/api/v1/contacts',
      { email: 'ext@example.com', external_id: 'crm-1' },
      { authorization: `Bearer ${testKey}` },
    )
    expect(sandbox.statusCode).toBe(201)

    const list = await h.api('GET', '/api/v1/contacts?external_id=crm-1')
    expect(list.json().data.map((c: { id: string }) => c.id)).toEqual([created.json().id])

    const id = created.json().id
    const changed = await h.api('PATCH', `/api/v1/contacts/${id}`, { external_id: 'crm-2' })
    expect(changed.json().external_id).toBe('crm-2')
    const events = (await h.api('GET', '/api/v1/events?type=contact.updated')).json().data
    expect(events[0].data).toEqual({ id, changes: { external_id: 'crm-2' } })
    expect((await h.api('PATCH', `/api/v1/contacts/${id}`, { external_id: null })).json().external_id).toBeNull()
    expect((await h.api('POST', '/api/v1/contacts', { email: 'e@example.com', external_id: ' ' })).statusCode).toBe(422)
  })
})
