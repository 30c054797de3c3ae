import { describe, expect, test } from 'vitest'
import { insertDeal, newContact } from '../fixtures.js'
import { type TestApp, testApp } from '../harness.js'

type Entry = { type: string; occurred_at: string; object: { id: string; object: string } }

/** Builds a history for one contact at fixed times, oldest first; returns the expected entries newest first. */
async function history(h: TestApp, contactId: string) {
  const won = await insertDeal(h, contactId, {
    title: 'Won deal',
    created_at: '2025-01-01T09:00:00Z',
    won_at: '2025-01-05T09:00:00Z',
  })
  const lost = await insertDeal(h, contactId, {
    title: 'Lost deal',
    created_at: '2025-01-02T09:00:00Z',
    lost_at: '2025-01-06T09:00:00Z',
    lost_reason: 'Budget',
  })
  const activity = (
    await h.api('POST', '/api/v1/activities', {
      type: 'call',
      summary: 'Intro call',
      occurred_at: '2025-01-03T09:00:00Z',
      contact_id: contactId,
    })
  ).json().id
  const note = (await h.api('POST', '/api/v1/notes', { body: 'Likes us', contact_id: contactId })).json().id
  const task = (await h.api('POST', '/api/v1/tasks', { title: 'Send quote', contact_id: contactId })).json().id
  await h.api('POST', `/api/v1/tasks/${task}/complete`)
  await h.deps.db.updateTable('notes').set({ created_at: '2025-01-04T09:00:00Z' }).where('id', '=', note).execute()
  await h.deps.db
    .updateTable('tasks')
    .set({ created_at: '2025-01-07T09:00:00Z', completed_at: '2025-01-08T09:00:00Z' })
    .where('id', '=', task)
    .execute()
  return [
    ['task.completed', task, '2025-01-08T09:00:00.000Z'],
    ['task.created', task, '2025-01-07T09:00:00.000Z'],
    ['deal.lost', lost, '2025-01-06T09:00:00.000Z'],
    ['deal.won', won, '2025-01-05T09:00:00.000Z'],
    ['note', note, '2025-01-04T09:00:00.000Z'],
    ['activity', activity, '2025-01-03T09:00:00.000Z'],
    ['deal.created', lost, '2025-01-02T09:00:00.000Z'],
    ['deal.created', won, '2025-01-01T09:00:00.000Z'],
  ]
}

const summary = (entries: Entry[]) => entries.map((e) => [e.type, e.object.id, e.occurred_at])

describe('GET /api/v1/contacts/:id/timeline', () => {
  test('mixes activities, notes, deals created/won/lost and tasks created/completed, newest first, with full objects', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const otherContact = await newContact(h)
    await h.api('POST', '/api/v1/notes', { body: 'not about this contact', contact_id: otherContact })
    const expected = await history(h, contactId)
    const res = await h.api('GET', `/api/v1/contacts/${contactId}/timeline`)
    expect(res.statusCode).toBe(200)
    const page = res.json()
    expect(summary(page.data)).toEqual(expected)
    expect(page.pagination).toMatchObject({ total: 8, has_more: false })
    const byType = Object.fromEntries(page.data.map((e: Entry) => [e.type, e.object]))
    expect(byType['task.completed']).toMatchObject({ object: 'task', status: 'completed', title: 'Send quote' })
    expect(byType['deal.lost']).toMatchObject({
      object: 'deal',
      title: 'Lost deal',
      value: '12000.00',
      stage: 'Lead',
      status: 'lost',
      lost_reason: 'Budget',
    })
    expect(byType.note).toEqual((await h.api('GET', `/api/v1/notes/${byType.note.id}`)).json())
    expect(byType.activity).toEqual((await h.api('GET', `/api/v1/activities/${byType.activity.id}`)).json())
  })

  test('pages with a cursor through every entry exactly once, and filters by entry type', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const expected = await history(h, contactId)
    const seen: unknown[] = []
    let url = `/api/v1/contacts/${contactId}/timeline?limit=3`
    for (;;) {
      const page = (await h.api('GET', url)).json()
      seen.push(...summary(page.data))
      if (!page.pagination.next_cursor) break
      url = `/api/v1/contacts/${contactId}/timeline?limit=3&cursor=${page.pagination.next_cursor}`
    }
    expect(seen).toEqual(expected)
    const offset = (await h.api('GET', `/api/v1/contacts/${contactId}/timeline?limit=3&page=2`)).json()
    expect(summary(offset.data)).toEqual(expected.slice(3, 6))
    const filtered = (
      await h.api('GET', `/api/v1/contacts/${contactId}/timeline?type=deal.won&type=note&type=task.completed`)
    ).json()
    expect(filtered.data.map((e: Entry) => e.type)).toEqual(['task.completed', 'deal.won', 'note'])
    expect((await h.api('GET', `/api/v1/contacts/${contactId}/timeline?type=booking`)).statusCode).toBe(400)
  })

  test('answers 404 for an unknown contact and for another organization’s contact', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const foreign = await newContact(h, { authorization: `Bearer ${other.key}` })
    for (const id of ['c_missing', foreign]) {
      const res = await h.api('GET', `/api/v1/contacts/${id}/timeline`)
      expect(res.statusCode).toBe(404)
      expect(res.json().error.code).toBe('not_found')
    }
  })

  test('an item whose deal loses its contact leaves the timeline; a deleted task’s entries disappear', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const expected = await history(h, contactId)
    const task = expected[0]![1]!
    await h.api('DELETE', `/api/v1/tasks/${task}`)
    const dealId = expected[2]![1]!
    await h.deps.db.updateTable('deals').set({ contact_id: null }).where('id', '=', dealId).execute()
    const page = (await h.api('GET', `/api/v1/contacts/${contactId}/timeline`)).json()
    expect(summary(page.data)).toEqual(expected.filter(([, id]) => id !== task && id !== dealId))
  })
})
