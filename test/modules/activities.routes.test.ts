import { describe, expect, test } from 'vitest'
import { newContact } from '../fixtures.js'
import { type TestApp, testApp } from '../harness.js'

async function eventsOf(h: TestApp, type: string, headers: Record<string, string> = {}) {
  return (await h.api('GET', `/api/v1/events?type=${type}`, undefined, headers))
    .json()
    .data.map((e: { data: unknown }) => e.data)
}

describe('POST /api/v1/activities', () => {
  test('logs an activity occurring now by default and emits activity.created in the catalog shape', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const before = Date.now()
    const res = await h.api('POST', '/api/v1/activities', {
      type: 'call',
      summary: 'Discussed pricing options',
      duration_minutes: 25,
      contact_id: contactId,
    })
    expect(res.statusCode).toBe(201)
    const activity = res.json()
    expect(activity).toMatchObject({
      object: 'activity',
      type: 'call',
      summary: 'Discussed pricing options',
      body: null,
      duration_minutes: 25,
      contact_id: contactId,
      deal_id: null,
    })
    expect(activity.id).toMatch(/^a_[0-9a-z]{26}$/)
    expect(Date.parse(activity.occurred_at)).toBeGreaterThanOrEqual(before - 1000)
    const events = (await h.api('GET', '/api/v1/events?type=activity.created')).json().data
    expect(events.map((e: { data: unknown }) => e.data)).toEqual([
      { id: activity.id, type: 'call', contact_id: contactId, summary: 'Discussed pricing options' },
    ])
    expect((await h.api('GET', `/api/v1/activities/${activity.id}`)).json()).toEqual(activity)
  })

  test('rejects an unknown type, an unknown field and a contact of the other mode with 422 naming the field', async () => {
    const h = await testApp()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const sandboxContact = await newContact(h, { authorization: `Bearer ${testKey}` })
    const badType = await h.api('POST', '/api/v1/activities', { type: 'fax', summary: 'x' })
    expect(badType.json().error.details[0].field).toBe('type')
    const extra = await h.api('POST', '/api/v1/activities', { type: 'call', summary: 'x', mood: 'good' })
    expect(extra.json().error.details).toEqual([{ field: 'mood', message: 'Unknown field' }])
    const foreign = await h.api('POST', '/api/v1/activities', {
      type: 'call',
      summary: 'x',
      contact_id: sandboxContact,
    })
    expect(foreign.statusCode).toBe(422)
    expect(foreign.json().error.details[0].field).toBe('contact_id')
    expect(await h.eventTypes()).toEqual([])
  })
})

describe('GET /api/v1/activities', () => {
  test('lists newest first by occurred_at and filters by contact, type and time range', async () => {
    const h = await testApp()
    const jane = await newContact(h)
    const joe = await newContact(h)
    const log = async (body: Record<string, unknown>) =>
      (await h.api('POST', '/api/v1/activities', body)).json().id as string
    const oldCall = await log({ type: 'call', summary: 'old', occurred_at: '2025-01-01T10:00:00Z', contact_id: jane })
    const email = await log({ type: 'email', summary: 'mid', occurred_at: '2025-02-01T10:00:00Z', contact_id: jane })
    const newCall = await log({ type: 'call', summary: 'new', occurred_at: '2025-03-01T10:00:00Z', contact_id: joe })
    const ids = async (qs: string) =>
      (await h.api('GET', `/api/v1/activities?${qs}`)).json().data.map((a: { id: string }) => a.id)
    expect(await ids('')).toEqual([newCall, email, oldCall])
    expect(await ids('sort=occurred_at')).toEqual([oldCall, email, newCall])
    expect(await ids(`contact_id=${jane}`)).toEqual([email, oldCall])
    expect(await ids('type=call')).toEqual([newCall, oldCall])
    expect(await ids('occurred_after=2025-01-15T00:00:00Z&occurred_before=2025-03-01T10:00:00Z')).toEqual([email])
    const first = (await h.api('GET', '/api/v1/activities?limit=2')).json()
    expect(first.pagination).toMatchObject({ total: 3, has_more: true })
    const rest = (await h.api('GET', `/api/v1/activities?limit=2&cursor=${first.pagination.next_cursor}`)).json()
    expect(rest.data.map((a: { id: string }) => a.id)).toEqual([oldCall])
  })

  test('deleting the contact keeps its activities with contact_id cleared, and the list keeps working', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const id = (
      await h.api('POST', '/api/v1/activities', { type: 'meeting', summary: 'Demo', contact_id: contactId })
    ).json().id
    expect((await h.api('DELETE', `/api/v1/contacts/${contactId}`)).statusCode).toBe(200)
    const list = (await h.api('GET', '/api/v1/activities')).json()
    expect(list.data).toHaveLength(1)
    expect(list.data[0]).toMatchObject({ id, contact_id: null })
  })
})

describe('PATCH and DELETE /api/v1/activities/:id', () => {
  test('corrects fields with If-Match (412 when stale) and deletes', async () => {
    const h = await testApp()
    const activity = (await h.api('POST', '/api/v1/activities', { type: 'call', summary: 'Call', body: 'x' })).json()
    const etag = (await h.api('GET', `/api/v1/activities/${activity.id}`)).headers.etag as string
    const patched = await h.api(
      'PATCH',
      `/api/v1/activities/${activity.id}`,
      { summary: 'Long call', duration_minutes: 40, body: null },
      { 'if-match': etag },
    )
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ summary: 'Long call', duration_minutes: 40, body: null })
    const stale = await h.api('PATCH', `/api/v1/activities/${activity.id}`, { summary: 'x' }, { 'if-match': etag })
    expect(stale.statusCode).toBe(412)
    expect((await h.api('DELETE', `/api/v1/activities/${activity.id}`)).json()).toEqual({
      id: activity.id,
      object: 'activity',
      deleted: true,
    })
    expect((await h.api('GET', `/api/v1/activities/${activity.id}`)).statusCode).toBe(404)
    expect(await h.eventTypes()).toEqual(['activity.created', 'activity.updated', 'activity.deleted'])
  })

  test('PATCH emits one activity.updated with only the changed fields, in the key’s mode; a no-op PATCH emits nothing', async () => {
    const h = await testApp()
    const sandbox = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    const activity = (
      await h.api(
        'POST',
        '/api/v1/activities',
        { type: 'call', summary: 'Call', occurred_at: '2025-01-03T09:00:00Z', duration_minutes: 10 },
        sandbox,
      )
    ).json()
    const same = { summary: 'Call', occurred_at: '2025-01-03T11:00:00+02:00', duration_minutes: 10 }
    expect((await h.api('PATCH', `/api/v1/activities/${activity.id}`, same, sandbox)).json()).toEqual(activity)
    const res = await h.api(
      'PATCH',
      `/api/v1/activities/${activity.id}`,
      { type: 'meeting', summary: 'Call', occurred_at: '2025-01-03T10:30:00+01:00', body: 'Notes' },
      sandbox,
    )
    expect(res.statusCode).toBe(200)
    expect(await eventsOf(h, 'activity.updated', sandbox)).toEqual([
      { id: activity.id, changes: { type: 'meeting', occurred_at: '2025-01-03T09:30:00.000Z', body: 'Notes' } },
    ])
    expect(await h.eventTypes(h.org, false)).toEqual(['activity.created', 'activity.updated'])
    expect(await h.eventTypes(h.org, true)).toEqual([])
  })

  test('DELETE emits one activity.deleted with the activity as it was, in the key’s organization only', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const contactId = await newContact(h)
    const created = await h.api('POST', '/api/v1/activities', {
      type: 'email',
      summary: 'Sent the proposal',
      body: 'Attached v2',
      duration_minutes: 5,
      contact_id: contactId,
    })
    const activity = (await h.api('GET', `/api/v1/activities/${created.json().id}`)).json()
    expect((await h.api('DELETE', `/api/v1/activities/${activity.id}`)).statusCode).toBe(200)
    expect(await eventsOf(h, 'activity.deleted')).toEqual([activity])
    expect(await h.eventTypes()).toEqual(['contact.created', 'activity.created', 'activity.deleted'])
    expect(await h.eventTypes(other)).toEqual([])
  })

  test('a PATCH or DELETE that fails (stale If-Match, bad link, unknown id, another organization’s activity) emits nothing', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const foreign = { authorization: `Bearer ${other.key}` }
    const activity = (await h.api('POST', '/api/v1/activities', { type: 'call', summary: 'Call' })).json()
    const stale = { 'if-match': '"stale"' }
    const url = `/api/v1/activities/${activity.id}`
    expect((await h.api('PATCH', url, { summary: 'x' }, stale)).statusCode).toBe(412)
    expect((await h.api('DELETE', url, undefined, stale)).statusCode).toBe(412)
    expect((await h.api('PATCH', url, { contact_id: 'c_missing' })).statusCode).toBe(422)
    expect((await h.api('PATCH', '/api/v1/activities/a_missing', { summary: 'x' })).statusCode).toBe(404)
    expect((await h.api('DELETE', '/api/v1/activities/a_missing')).statusCode).toBe(404)
    expect((await h.api('PATCH', url, { summary: 'x' }, foreign)).statusCode).toBe(404)
    expect((await h.api('DELETE', url, undefined, foreign)).statusCode).toBe(404)
    expect((await h.api('GET', url)).json()).toEqual(activity)
    expect(await h.eventTypes()).toEqual(['activity.created'])
    expect(await h.eventTypes(other)).toEqual([])
  })
})
