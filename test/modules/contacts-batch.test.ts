import { describe, expect, test } from 'vitest'
import { withoutTagCreations } from '../fixtures.js'
import { testApp } from '../harness.js'

const URL = '/api/v1/contacts/batch'

describe('POST /api/v1/contacts/batch', () => {
  test('creates new contacts and updates those matched by email, with one event per written item', async () => {
    const h = await testApp()
    const jane = (await h.api('POST', '/api/v1/contacts', { name: 'Jane', email: 'jane@example.com' })).json()
    const res = await h.api('POST', URL, {
      contacts: [
        { email: 'JANE@example.com', status: 'customer' },
        { email: 'sam@example.com', name: 'Sam', tags: ['lead'] },
      ],
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ created: 1, updated: 1, failed: 0 })
    expect(body.results[0]).toEqual({ index: 0, status: 'updated', id: jane.id, error: null })
    expect(body.results[1]).toMatchObject({ index: 1, status: 'created', error: null })
    expect(body.results[1].id).toMatch(/^c_/)
    const after = (await h.api('GET', `/api/v1/contacts/${jane.id}`)).json()
    expect(after).toMatchObject({ name: 'Jane', status: 'customer', email: 'JANE@example.com' })
    expect(withoutTagCreations(await h.eventTypes())).toEqual(['contact.created', 'contact.updated', 'contact.created'])
    const updated = (await h.api('GET', '/api/v1/events?type=contact.updated')).json().data[0]
    expect(updated.data).toEqual({ id: jane.id, changes: { email: 'JANE@example.com', status: 'customer' } })
  })

  test('one bad item fails alone, with the error body and the field at fault', async () => {
    const h = await testApp()
    const res = await h.api('POST', URL, {
      contacts: [
        { email: 'ok@example.com' },
        { email: 'not-an-email' },
        { name: 'No email' },
        { email: 'x@example.com', color: 'red' },
        { email: 'ok2@example.com' },
      ],
    })
    expect(res.statusCode).toBe(200)
    const { results, created, failed } = res.json()
    expect({ created, failed }).toEqual({ created: 2, failed: 3 })
    expect(results.map((r: { status: string }) => r.status)).toEqual(['created', 'error', 'error', 'error', 'created'])
    expect(results[1]).toMatchObject({
      id: null,
      error: { code: 'validation_failed', details: [{ field: 'email', message: 'Must be a valid email' }] },
    })
    expect(results[2].error.details).toEqual([{ field: 'email', message: 'Required to match on email' }])
    expect(results[3].error.details).toEqual([{ field: 'color', message: 'Unknown field' }])
    expect(await h.eventTypes()).toEqual(['contact.created', 'contact.created'])
  })

  test('matches on external_id when asked, and reports an email taken by another contact as a 409 item', async () => {
    const h = await testApp()
    const a = (await h.api('POST', '/api/v1/contacts', { email: 'a@example.com', external_id: 'ext-1' })).json()
    await h.api('POST', '/api/v1/contacts', { email: 'taken@example.com' })
    const res = await h.api('POST', URL, {
      match_on: 'external_id',
      contacts: [
        { external_id: 'ext-1', name: 'Renamed' },
        { external_id: 'ext-2', email: 'new@example.com' },
        { external_id: 'ext-1', email: 'taken@example.com' },
        { email: 'nokey@example.com' },
      ],
    })
    const { results } = res.json()
    expect(results.map((r: { status: string }) => r.status)).toEqual(['updated', 'created', 'error', 'error'])
    expect(results[0].id).toBe(a.id)
    expect(results[2].error).toMatchObject({ code: 'already_exists', details: [{ field: 'email' }] })
    expect(results[3].error.details[0].field).toBe('external_id')
    expect((await h.api('GET', `/api/v1/contacts/${a.id}`)).json()).toMatchObject({
      name: 'Renamed',
      email: 'a@example.com',
      external_id: 'ext-1',
    })
  })

  test('an item that changes nothing is "updated" without an event', async () => {
    const h = await testApp()
    await h.api('POST', '/api/v1/contacts', { email: 'same@example.com', name: 'Same' })
    const res = await h.api('POST', URL, { contacts: [{ email: 'same@example.com', name: 'Same' }] })
    expect(res.json().results[0].status).toBe('updated')
    expect(await h.eventTypes()).toEqual(['contact.created'])
  })

  test('rejects an empty list, more than 100 items and unknown top-level fields with 422', async () => {
    const h = await testApp()
    expect((await h.api('POST', URL, { contacts: [] })).statusCode).toBe(422)
    const many = Array.from({ length: 101 }, (_, i) => ({ email: `c${i}@example.com` }))
    const tooMany = await h.api('POST', URL, { contacts: many })
    expect(tooMany.statusCode).toBe(422)
    expect(tooMany.json().error.details[0].field).toBe('contacts')
    const unknown = await h.api('POST', URL, { contacts: [{ email: 'a@example.com' }], upsert: true })
    expect(unknown.json().error.details).toEqual([{ field: 'upsert', message: 'Unknown field' }])
    expect((await h.api('POST', URL, { contacts: [1] })).statusCode).toBe(422)
  })

  test('never matches a contact of another organization or of the other mode', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    await h.api('POST', '/api/v1/contacts', { email: 'shared@example.com' }, { authorization: `Bearer ${other.key}` })
    await h.api('POST', '/api/v1/contacts', { email: 'shared@example.com' }, { authorization: `Bearer ${testKey}` })
    const res = await h.api('POST', URL, { contacts: [{ email: 'shared@example.com' }] })
    expect(res.json().results[0].status).toBe('created')
  })
})
