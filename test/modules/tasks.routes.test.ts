import { describe, expect, test } from 'vitest'
import { insertDeal, insertUser, newContact } from '../fixtures.js'
import { type TestApp, testApp } from '../harness.js'

async function eventsOf(h: TestApp, type: string, headers: Record<string, string> = {}) {
  return (await h.api('GET', `/api/v1/events?type=${type}`, undefined, headers))
    .json()
    .data.map((e: { data: unknown }) => e.data)
}

describe('POST /api/v1/tasks', () => {
  test('creates a task linked to a contact, a deal and a user, and emits task.created in the catalog shape', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const dealId = await insertDeal(h, contactId)
    const userId = await insertUser(h)
    const res = await h.api('POST', '/api/v1/tasks', {
      title: 'Follow up with Jane',
      description: 'Send pricing',
      due_at: '2025-01-20T17:00:00+02:00',
      contact_id: contactId,
      deal_id: dealId,
      assignee_id: userId,
    })
    expect(res.statusCode).toBe(201)
    const task = res.json()
    expect(task).toMatchObject({
      object: 'task',
      title: 'Follow up with Jane',
      description: 'Send pricing',
      due_at: '2025-01-20T15:00:00.000Z',
      status: 'open',
      contact_id: contactId,
      deal_id: dealId,
      assignee_id: userId,
      completed_at: null,
      completed_by: null,
    })
    expect(task.id).toMatch(/^t_[0-9a-z]{26}$/)
    expect(await eventsOf(h, 'task.created')).toEqual([
      { id: task.id, title: 'Follow up with Jane', due_at: '2025-01-20T15:00:00.000Z', assignee_id: userId },
    ])
    const got = await h.api('GET', `/api/v1/tasks/${task.id}`)
    expect(got.json()).toEqual(task)
    expect(got.headers.etag).toMatch(/^"/)
  })

  test('answers 422 naming the field for a contact, deal or user outside the organization or mode, writing nothing', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const otherContact = await newContact(h, { authorization: `Bearer ${other.key}` })
    const testModeContact = await newContact(h, { authorization: `Bearer ${testKey}` })
    const testModeDeal = await insertDeal(h, null, { livemode: false })
    const otherUser = await insertUser(h, other.id)
    const cases: [string, Record<string, string>][] = [
      ['contact_id', { contact_id: otherContact }],
      ['contact_id', { contact_id: testModeContact }],
      ['contact_id', { contact_id: 'c_nope' }],
      ['deal_id', { deal_id: testModeDeal }],
      ['assignee_id', { assignee_id: otherUser }],
    ]
    for (const [field, link] of cases) {
      const res = await h.api('POST', '/api/v1/tasks', { title: 'x', ...link })
      expect(res.statusCode).toBe(422)
      expect(res.json().error).toMatchObject({ code: 'validation_failed', details: [{ field }] })
    }
    expect(await h.eventTypes()).toEqual([])
  })

  test('rejects unknown fields, a missing title and a malformed due_at with 422 naming each field', async () => {
    const h = await testApp()
    const unknown = await h.api('POST', '/api/v1/tasks', { title: 'x', priority: 'high' })
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json().error.details).toEqual([{ field: 'priority', message: 'Unknown field' }])
    const missing = await h.api('POST', '/api/v1/tasks', { due_at: 'tomorrow' })
    expect(missing.statusCode).toBe(422)
    expect(
      missing
        .json()
        .error.details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['due_at', 'title'])
  })
})

describe('completing tasks', () => {
  test('PATCH status completed sets completed_at and completed_by, emitting task.updated and task.completed', async () => {
    const h = await testApp()
    const task = (await h.api('POST', '/api/v1/tasks', { title: 'Call Jane' })).json()
    const res = await h.api('PATCH', `/api/v1/tasks/${task.id}`, { status: 'completed' })
    expect(res.statusCode).toBe(200)
    const done = res.json()
    expect(done).toMatchObject({ status: 'completed', completed_by: h.org.keyId })
    expect(Date.parse(done.completed_at)).toBeGreaterThan(Date.now() - 60_000)
    expect(await h.eventTypes()).toEqual(['task.created', 'task.updated', 'task.completed'])
    expect(await eventsOf(h, 'task.updated')).toEqual([
      {
        id: task.id,
        changes: { status: 'completed', completed_at: done.completed_at, completed_by: h.org.keyId },
      },
    ])
    expect(await eventsOf(h, 'task.completed')).toEqual([
      { id: task.id, title: 'Call Jane', completed_by: h.org.keyId },
    ])

    const reopened = await h.api('PATCH', `/api/v1/tasks/${task.id}`, { status: 'open' })
    expect(reopened.json()).toMatchObject({ status: 'open', completed_at: null, completed_by: null })
    expect((await h.eventTypes()).filter((t) => t === 'task.completed')).toHaveLength(1)
  })

  test('POST /complete completes once; completing again changes nothing and emits nothing', async () => {
    const h = await testApp()
    const task = (await h.api('POST', '/api/v1/tasks', { title: 'Send contract' })).json()
    const first = await h.api('POST', `/api/v1/tasks/${task.id}/complete`)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({ status: 'completed', completed_by: h.org.keyId })
    const second = await h.api('POST', `/api/v1/tasks/${task.id}/complete`)
    expect(second.json()).toEqual(first.json())
    expect(await h.eventTypes()).toEqual(['task.created', 'task.updated', 'task.completed'])
    expect((await h.api('POST', '/api/v1/tasks/t_missing/complete')).statusCode).toBe(404)
  })
})

describe('PATCH and DELETE /api/v1/tasks/:id', () => {
  test('emits task.updated with only the changed fields, and nothing for a no-op PATCH', async () => {
    const h = await testApp()
    const task = (await h.api('POST', '/api/v1/tasks', { title: 'A', due_at: '2025-03-01T10:00:00Z' })).json()
    const same = await h.api('PATCH', `/api/v1/tasks/${task.id}`, { title: 'A', due_at: '2025-03-01T10:00:00.000Z' })
    expect(same.json()).toEqual(task)
    await h.api('PATCH', `/api/v1/tasks/${task.id}`, { title: 'B', due_at: null, description: 'more' })
    expect(await eventsOf(h, 'task.updated')).toEqual([
      { id: task.id, changes: { title: 'B', due_at: null, description: 'more' } },
    ])
  })

  test('a PATCH with a stale If-Match answers 412 and changes nothing', async () => {
    const h = await testApp()
    const task = (await h.api('POST', '/api/v1/tasks', { title: 'A' })).json()
    const etag = (await h.api('GET', `/api/v1/tasks/${task.id}`)).headers.etag as string
    const ok = await h.api('PATCH', `/api/v1/tasks/${task.id}`, { title: 'B' }, { 'if-match': etag })
    expect(ok.statusCode).toBe(200)
    expect(ok.headers.etag).not.toBe(etag)
    const stale = await h.api('PATCH', `/api/v1/tasks/${task.id}`, { title: 'C' }, { 'if-match': etag })
    expect(stale.statusCode).toBe(412)
    expect(stale.json().error.code).toBe('precondition_failed')
    expect((await h.api('GET', `/api/v1/tasks/${task.id}`)).json().title).toBe('B')
  })

  test('a PATCH linking another organization’s contact is a 422 naming contact_id', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const foreign = await newContact(h, { authorization: `Bearer ${other.key}` })
    const task = (await h.api('POST', '/api/v1/tasks', { title: 'A' })).json()
    const res = await h.api('PATCH', `/api/v1/tasks/${task.id}`, { contact_id: foreign })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('contact_id')
  })

  test('DELETE removes the task', async () => {
    const h = await testApp()
    const task = (await h.api('POST', '/api/v1/tasks', { title: 'A' })).json()
    expect((await h.api('DELETE', `/api/v1/tasks/${task.id}`)).json()).toEqual({
      id: task.id,
      object: 'task',
      deleted: true,
    })
    expect((await h.api('GET', `/api/v1/tasks/${task.id}`)).statusCode).toBe(404)
  })

  test('DELETE emits one task.deleted with the task as it was, in the key’s organization and mode only', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const sandbox = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    const created = await h.api(
      'POST',
      '/api/v1/tasks',
      { title: 'Send contract', description: 'PDF', due_at: '2025-03-01T10:00:00Z', status: 'completed' },
      sandbox,
    )
    const task = (await h.api('GET', `/api/v1/tasks/${created.json().id}`, undefined, sandbox)).json()
    expect((await h.api('DELETE', `/api/v1/tasks/${task.id}`, undefined, sandbox)).statusCode).toBe(200)
    expect(await eventsOf(h, 'task.deleted', sandbox)).toEqual([task])
    expect(await h.eventTypes(h.org, false)).toEqual(['task.created', 'task.completed', 'task.deleted'])
    expect(await h.eventTypes(h.org, true)).toEqual([])
    expect(await h.eventTypes(other, false)).toEqual([])
  })

  test('a DELETE that fails (stale If-Match, unknown id, another organization’s or mode’s task) emits nothing', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const task = (await h.api('POST', '/api/v1/tasks', { title: 'A' })).json()
    const etag = (await h.api('GET', `/api/v1/tasks/${task.id}`)).headers.etag as string
    await h.api('PATCH', `/api/v1/tasks/${task.id}`, { title: 'B' })
    expect((await h.api('DELETE', `/api/v1/tasks/${task.id}`, undefined, { 'if-match': etag })).statusCode).toBe(412)
    expect((await h.api('DELETE', '/api/v1/tasks/t_missing')).statusCode).toBe(404)
    const foreign = { authorization: `Bearer ${other.key}` }
    expect((await h.api('DELETE', `/api/v1/tasks/${task.id}`, undefined, foreign)).statusCode).toBe(404)
    const otherMode = { authorization: `Bearer ${testKey}` }
    expect((await h.api('DELETE', `/api/v1/tasks/${task.id}`, undefined, otherMode)).statusCode).toBe(404)
    expect((await h.api('GET', `/api/v1/tasks/${task.id}`)).statusCode).toBe(200)
    expect(await h.eventTypes()).toEqual(['task.created', 'task.updated'])
    expect(await h.eventTypes(h.org, false)).toEqual([])
    expect(await h.eventTypes(other)).toEqual([])
  })

  test('deleting the linked contact, deal or user keeps the task with the link cleared', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const dealId = await insertDeal(h, contactId)
    const userId = await insertUser(h)
    const task = (
      await h.api('POST', '/api/v1/tasks', { title: 'A', contact_id: contactId, deal_id: dealId, assignee_id: userId })
    ).json()
    expect((await h.api('DELETE', `/api/v1/contacts/${contactId}`)).statusCode).toBe(200)
    await h.deps.db.deleteFrom('deals').where('id', '=', dealId).execute()
    await h.deps.db.deleteFrom('users').where('id', '=', userId).execute()
    expect((await h.api('GET', `/api/v1/tasks/${task.id}`)).json()).toMatchObject({
      contact_id: null,
      deal_id: null,
      assignee_id: null,
    })
    const list = (await h.api('GET', '/api/v1/tasks')).json()
    expect(list.data.map((t: { id: string }) => t.id)).toEqual([task.id])
    expect((await h.api('GET', `/api/v1/tasks?contact_id=${contactId}`)).json().data).toEqual([])
  })
})

describe('GET /api/v1/tasks', () => {
  test('filters by status, due range, contact, deal and assignee, and sorts by due time with undated last', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const dealId = await insertDeal(h, contactId)
    const userId = await insertUser(h)
    const mk = async (title: string, extra: Record<string, unknown> = {}) =>
      (await h.api('POST', '/api/v1/tasks', { title, ...extra })).json().id as string
    const early = await mk('early', { due_at: '2025-01-01T00:00:00Z', contact_id: contactId })
    const late = await mk('late', { due_at: '2025-06-01T00:00:00Z', deal_id: dealId, assignee_id: userId })
    const undated = await mk('undated', { status: 'completed' })
    const ids = async (qs: string) =>
      (await h.api('GET', `/api/v1/tasks?${qs}`)).json().data.map((t: { id: string }) => t.id)
    expect(await ids('status=completed')).toEqual([undated])
    expect(await ids('status=open&sort=due_at')).toEqual([early, late])
    expect(await ids('due_after=2025-02-01T00:00:00Z')).toEqual([late])
    expect(await ids('due_before=2025-02-01T00:00:00Z')).toEqual([early])
    expect(await ids(`contact_id=${contactId}`)).toEqual([early])
    expect(await ids(`deal_id=${dealId}`)).toEqual([late])
    expect(await ids(`assignee_id=${userId}`)).toEqual([late])
    expect(await ids('sort=due_at')).toEqual([early, late, undated])
    expect(await ids('sort=-due_at')).toEqual([late, early, undated])
    expect(await ids('')).toEqual([undated, late, early])
  })

  test('pages with a cursor across every task exactly once, and never shows the other mode’s tasks', async () => {
    const h = await testApp()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    await h.api('POST', '/api/v1/tasks', { title: 'sandbox' }, { authorization: `Bearer ${testKey}` })
    const created: string[] = []
    for (let i = 0; i < 5; i++) created.push((await h.api('POST', '/api/v1/tasks', { title: `t${i}` })).json().id)
    const seen: string[] = []
    let url = '/api/v1/tasks?limit=2'
    for (;;) {
      const page = (await h.api('GET', url)).json()
      expect(page.pagination.total).toBe(5)
      seen.push(...page.data.map((t: { id: string }) => t.id))
      if (!page.pagination.next_cursor) break
      url = `/api/v1/tasks?limit=2&cursor=${page.pagination.next_cursor}`
    }
    expect(seen).toEqual([...created].reverse())
    expect((await h.api('GET', '/api/v1/tasks?limit=100&status=late')).statusCode).toBe(400)
  })
})
