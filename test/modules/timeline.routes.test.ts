import { describe, expect, test } from 'vitest'
import { newId } from '../../src/lib/ids.js'
import { insertDeal, insertUser, newContact } from '../fixtures.js'
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
    expect((await h.api('GET', `/api/v1/contacts/${contactId}/timeline?type=meeting`)).statusCode).toBe(400)
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

/** A booking row of `contactId` as guest, written straight to the table at fixed times. */
async function insertBooking(
  h: TestApp,
  contactId: string | null,
  values: { start: string; created_at: string; rescheduled_at?: string; cancelled_at?: string; livemode?: boolean },
) {
  const id = newId('booking')
  const host = await insertUser(h)
  const start = new Date(values.start)
  await h.deps.db
    .insertInto('bookings')
    .values({
      id,
      org_id: h.org.id,
      livemode: values.livemode ?? true,
      event_type_id: null,
      event_type_slug: 'intro',
      event_type_title: 'Intro call',
      location: null,
      user_id: host,
      contact_id: contactId,
      start_time: start,
      end_time: new Date(start.getTime() + 30 * 60_000),
      status: values.cancelled_at ? 'cancelled' : 'confirmed',
      guest_name: 'Guest',
      guest_email: 'guest@example.com',
      guest_timezone: 'UTC',
      cancel_token_hash: id,
      cancelled_at: values.cancelled_at ? new Date(values.cancelled_at) : null,
      cancelled_by: values.cancelled_at ? 'guest' : null,
      rescheduled_at: values.rescheduled_at ? new Date(values.rescheduled_at) : null,
      created_at: new Date(values.created_at),
      updated_at: new Date(values.created_at),
    })
    .execute()
  return id
}

/** An email row to `contactId`, written straight to the table; a queued one is due far in the future. */
async function insertEmail(
  h: TestApp,
  contactId: string | null,
  values: { status: 'queued' | 'delivered' | 'failed'; created_at: string; sent_at?: string; failed_at?: string },
) {
  const id = newId('email')
  await h.deps.db
    .insertInto('emails')
    .values({
      id,
      org_id: h.org.id,
      livemode: true,
      contact_id: contactId,
      to_email: 'jane@example.com',
      to_name: null,
      sender_id: null,
      from_email: 'hello@acme.example',
      from_name: null,
      reply_to: null,
      subject: `Subject ${id}`,
      html: null,
      text: 'Hello',
      template_id: null,
      category: 'api',
      headers: JSON.stringify({}),
      attachments: JSON.stringify([]),
      message_id: `<${id}@acme.example>`,
      status: values.status,
      transport: values.status === 'queued' ? null : 'smtp',
      next_attempt_at: new Date('2100-01-01T00:00:00Z'),
      lease_expires_at: null,
      leased_by: null,
      last_error: values.status === 'failed' ? 'Mailbox unavailable' : null,
      sent_at: values.sent_at ? new Date(values.sent_at) : null,
      delivered_at: values.sent_at ? new Date(values.sent_at) : null,
      failed_at: values.failed_at ? new Date(values.failed_at) : null,
      created_at: new Date(values.created_at),
      updated_at: new Date(values.created_at),
    })
    .execute()
  return id
}

describe('GET /api/v1/contacts/:id/timeline: bookings and emails', () => {
  test('shows bookings made, moved and cancelled, and emails sent or given up, as their API objects', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const otherContact = await newContact(h)
    const kept = await insertBooking(h, contactId, {
      start: '2025-03-10T10:00:00Z',
      created_at: '2025-03-01T09:00:00Z',
      rescheduled_at: '2025-03-03T09:00:00Z',
    })
    const dropped = await insertBooking(h, contactId, {
      start: '2025-03-11T10:00:00Z',
      created_at: '2025-03-02T09:00:00Z',
      cancelled_at: '2025-03-04T09:00:00Z',
    })
    await insertBooking(h, otherContact, { start: '2025-03-12T10:00:00Z', created_at: '2025-03-02T10:00:00Z' })
    await insertBooking(h, contactId, {
      start: '2025-03-13T10:00:00Z',
      created_at: '2025-03-02T11:00:00Z',
      livemode: false,
    })
    const sent = await insertEmail(h, contactId, {
      status: 'delivered',
      created_at: '2025-03-05T08:59:00Z',
      sent_at: '2025-03-05T09:00:00Z',
    })
    const failed = await insertEmail(h, contactId, {
      status: 'failed',
      created_at: '2025-03-06T08:00:00Z',
      failed_at: '2025-03-06T09:00:00Z',
    })
    await insertEmail(h, contactId, { status: 'queued', created_at: '2025-03-07T09:00:00Z' })
    await insertEmail(h, otherContact, {
      status: 'delivered',
      created_at: '2025-03-07T09:00:00Z',
      sent_at: '2025-03-07T09:00:01Z',
    })

    const res = await h.api('GET', `/api/v1/contacts/${contactId}/timeline`)
    expect(res.statusCode).toBe(200)
    expect(summary(res.json().data)).toEqual([
      ['email.failed', failed, '2025-03-06T09:00:00.000Z'],
      ['email.sent', sent, '2025-03-05T09:00:00.000Z'],
      ['booking.cancelled', dropped, '2025-03-04T09:00:00.000Z'],
      ['booking.rescheduled', kept, '2025-03-03T09:00:00.000Z'],
      ['booking.created', dropped, '2025-03-02T09:00:00.000Z'],
      ['booking.created', kept, '2025-03-01T09:00:00.000Z'],
    ])
    const byType = Object.fromEntries(res.json().data.map((e: Entry) => [e.type, e.object]))
    expect(byType['booking.cancelled']).toEqual((await h.api('GET', `/api/v1/bookings/${dropped}`)).json())
    const { events: _history, ...email } = (await h.api('GET', `/api/v1/emails/${sent}`)).json()
    expect(byType['email.sent']).toEqual(email)
    expect(byType['email.failed']).toMatchObject({
      object: 'email',
      status: 'failed',
      last_error: 'Mailbox unavailable',
    })

    const onlyBookings = await h.api(
      'GET',
      `/api/v1/contacts/${contactId}/timeline?type=booking.created&type=email.sent`,
    )
    expect(summary(onlyBookings.json().data).map(([type, id]) => [type, id])).toEqual([
      ['email.sent', sent],
      ['booking.created', dropped],
      ['booking.created', kept],
    ])
  })

  test('pages bookings and emails mixed with the other entries by cursor, each once', async () => {
    const h = await testApp()
    const contactId = await newContact(h)
    const older = await history(h, contactId)
    const booking = await insertBooking(h, contactId, {
      start: '2025-02-10T10:00:00Z',
      created_at: '2025-01-05T09:00:00Z',
    })
    const email = await insertEmail(h, contactId, {
      status: 'delivered',
      created_at: '2025-01-08T08:00:00Z',
      sent_at: '2025-01-08T09:00:00Z',
    })
    const seen: unknown[] = []
    let url = `/api/v1/contacts/${contactId}/timeline?limit=2`
    for (;;) {
      const page = (await h.api('GET', url)).json()
      seen.push(...summary(page.data))
      if (!page.pagination.next_cursor) break
      url = `/api/v1/contacts/${contactId}/timeline?limit=2&cursor=${page.pagination.next_cursor}`
    }
    // Same instants as a task completion and a deal win: ties are ordered by type and id, newest first.
    expect(seen).toEqual([
      ['task.completed', older[0]![1], '2025-01-08T09:00:00.000Z'],
      ['email.sent', email, '2025-01-08T09:00:00.000Z'],
      ...older.slice(1, 3),
      ['deal.won', older[3]![1], '2025-01-05T09:00:00.000Z'],
      ['booking.created', booking, '2025-01-05T09:00:00.000Z'],
      ...older.slice(4),
    ])
  })
})
