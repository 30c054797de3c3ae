import { describe, expect, test } from 'vitest'
import { insertDeal, newContact } from '../fixtures.js'
import { type TestApp, testApp } from '../harness.js'

async function eventsOf(h: TestApp, type: string, headers: Record<string, string> = {}) {
  return (await h.api('GET', `/api/v1/events?type=${type}`, undefined, headers))
    .json()
    .data.map((e: { data: unknown }) => e.data)
}

describe('POST /api/v1/notes', () => {
  test('writes a note on a contact and a deal, and emits note.created in the catalog shape', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const dealId = await insertDeal(h, contactId)
    const res = await h.api('POST', '/api/v1/notes', { body: 'Prefers email.', contact_id: contactId, deal_id: dealId })
    expect(res.statusCode).toBe(201)
    const note = res.json()
    expect(note).toMatchObject({ object: 'note', body: 'Prefers email.', contact_id: contactId, deal_id: dealId })
    expect(note.id).toMatch(/^n_[0-9a-z]{26}$/)
    const events = (await h.api('GET', '/api/v1/events?type=note.created')).json().data
    expect(events.map((e: { data: unknown }) => e.data)).toEqual([
      { id: note.id, contact_id: contactId, deal_id: dealId, body: 'Prefers email.' },
    ])
  })

  test('requires a contact of the organization: missing is 422, another organization’s is 422 naming contact_id', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const missing = await h.api('POST', '/api/v1/notes', { body: 'x' })
    expect(missing.statusCode).toBe(422)
    expect(missing.json().error.details).toEqual([{ field: 'contact_id', message: 'This field is required' }])
    const foreign = await newContact(h, { authorization: `Bearer ${other.key}` })
    const res = await h.api('POST', '/api/v1/notes', { body: 'x', contact_id: foreign })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('contact_id')
    const blank = await h.api('POST', '/api/v1/notes', { body: '   ', contact_id: await newContact(h) })
    expect(blank.json().error.details[0].field).toBe('body')
    expect(await h.eventTypes()).toEqual(['contact.created'])
  })
})

describe('GET /api/v1/notes', () => {
  test('lists notes newest first by contact or by deal', async () => {
    const h = await testApp()
    const jane = await newContact(h)
    const joe = await newContact(h)
    const dealId = await insertDeal(h, jane)
    const write = async (body: Record<string, unknown>) =>
      (await h.api('POST', '/api/v1/notes', body)).json().id as string
    const a = await write({ body: 'a', contact_id: jane })
    const b = await write({ body: 'b', contact_id: jane, deal_id: dealId })
    const c = await write({ body: 'c', contact_id: joe })
    const ids = async (qs: string) =>
      (await h.api('GET', `/api/v1/notes?${qs}`)).json().data.map((n: { id: string }) => n.id)
    expect(await ids(`contact_id=${jane}`)).toEqual([b, a])
    expect(await ids(`deal_id=${dealId}`)).toEqual([b])
    expect(await ids('sort=created_at')).toEqual([a, b, c])
  })

  test('deleting the contact keeps its notes with contact_id cleared', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const id = (await h.api('POST', '/api/v1/notes', { body: 'keep me', contact_id: contactId })).json().id
    await h.api('DELETE', `/api/v1/contacts/${contactId}`)
    expect((await h.api('GET', `/api/v1/notes/${id}`)).json()).toMatchObject({ body: 'keep me', contact_id: null })
    expect((await h.api('GET', '/api/v1/notes')).json().data).toHaveLength(1)
  })
})

describe('PATCH and DELETE /api/v1/notes/:id', () => {
  test('edits the body with If-Match, refuses a null contact, and deletes', async () => {
    const h = await testApp()
    const note = (await h.api('POST', '/api/v1/notes', { body: 'v1', contact_id: await newContact(h) })).json()
    const etag = (await h.api('GET', `/api/v1/notes/${note.id}`)).headers.etag as string
    const edited = await h.api('PATCH', `/api/v1/notes/${note.id}`, { body: 'v2' }, { 'if-match': etag })
    expect(edited.json()).toMatchObject({ body: 'v2' })
    expect(edited.headers.etag).not.toBe(etag)
    expect((await h.api('PATCH', `/api/v1/notes/${note.id}`, { body: 'v3' }, { 'if-match': etag })).statusCode).toBe(
      412,
    )
    const unlinked = await h.api('PATCH', `/api/v1/notes/${note.id}`, { contact_id: null })
    expect(unlinked.statusCode).toBe(422)
    expect(unlinked.json().error.details[0].field).toBe('contact_id')
    expect((await h.api('DELETE', `/api/v1/notes/${note.id}`)).json()).toEqual({
      id: note.id,
      object: 'note',
      deleted: true,
    })
    expect((await h.api('GET', `/api/v1/notes/${note.id}`)).statusCode).toBe(404)
  })

  test('PATCH emits one note.updated with only the changed fields, in the key’s mode; a no-op PATCH emits nothing', async () => {
    const h = await testApp()
    const sandbox = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    const jane = await newContact(h, sandbox)
    const joe = await newContact(h, sandbox)
    const note = (await h.api('POST', '/api/v1/notes', { body: 'v1', contact_id: jane }, sandbox)).json()
    const url = `/api/v1/notes/${note.id}`
    expect((await h.api('PATCH', url, { body: 'v1', contact_id: jane }, sandbox)).json()).toEqual(note)
    expect((await h.api('PATCH', url, { body: 'v2', contact_id: joe, deal_id: null }, sandbox)).statusCode).toBe(200)
    expect(await eventsOf(h, 'note.updated', sandbox)).toEqual([
      { id: note.id, changes: { body: 'v2', contact_id: joe } },
    ])
    expect((await h.eventTypes(h.org, false)).filter((t) => t !== 'contact.created')).toEqual([
      'note.created',
      'note.updated',
    ])
    expect(await h.eventTypes(h.org, true)).toEqual([])
  })

  test('DELETE emits one note.deleted with the note as it was, in the key’s organization only', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const contactId = await newContact(h)
    const dealId = await insertDeal(h, contactId)
    const created = await h.api('POST', '/api/v1/notes', {
      body: 'Call back in May',
      contact_id: contactId,
      deal_id: dealId,
    })
    const note = (await h.api('GET', `/api/v1/notes/${created.json().id}`)).json()
    expect((await h.api('DELETE', `/api/v1/notes/${note.id}`)).statusCode).toBe(200)
    expect(await eventsOf(h, 'note.deleted')).toEqual([note])
    expect(await h.eventTypes()).toEqual(['contact.created', 'note.created', 'note.deleted'])
    expect(await h.eventTypes(other)).toEqual([])
  })

  test('a PATCH or DELETE that fails (stale If-Match, null contact, unknown id, another organization’s note) emits nothing', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const foreign = { authorization: `Bearer ${other.key}` }
    const note = (await h.api('POST', '/api/v1/notes', { body: 'v1', contact_id: await newContact(h) })).json()
    const stale = { 'if-match': '"stale"' }
    const url = `/api/v1/notes/${note.id}`
    expect((await h.api('PATCH', url, { body: 'x' }, stale)).statusCode).toBe(412)
    expect((await h.api('DELETE', url, undefined, stale)).statusCode).toBe(412)
    expect((await h.api('PATCH', url, { contact_id: null })).statusCode).toBe(422)
    expect((await h.api('PATCH', '/api/v1/notes/n_missing', { body: 'x' })).statusCode).toBe(404)
    expect((await h.api('DELETE', '/api/v1/notes/n_missing')).statusCode).toBe(404)
    expect((await h.api('PATCH', url, { body: 'x' }, foreign)).statusCode).toBe(404)
    expect((await h.api('DELETE', url, undefined, foreign)).statusCode).toBe(404)
    expect((await h.api('GET', url)).json()).toEqual(note)
    expect(await h.eventTypes()).toEqual(['contact.created', 'note.created'])
    expect(await h.eventTypes(other)).toEqual([])
  })
})
