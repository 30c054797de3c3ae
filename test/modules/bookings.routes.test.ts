import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { book, bookableHost, fixedClock, guest, publicApi } from '../route-tables/scheduling.js'

// Monday 2026-03-02: the host works 09:00-17:00 Paris time, 08:00Z-16:00Z.
const AT_0800 = '2026-03-02T08:00:00.000Z'
const AT_0830 = '2026-03-02T08:30:00.000Z'
const AT_0900 = '2026-03-02T09:00:00.000Z'

async function slotsOn(h: Awaited<ReturnType<typeof testApp>>, username: string, slug = '30-min-call') {
  const res = await publicApi(
    h,
    'GET',
    `/api/public/booking/${username}/${slug}/slots?start=2026-03-02&end=2026-03-02&timezone=UTC`,
  )
  return ((res.json().slots['2026-03-02'] ?? []) as { start: string }[]).map((s) => s.start)
}

describe('booking a slot', () => {
  test('creates the booking, the guest contact, a meeting activity and the events', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host, eventType } = await bookableHost(h, { location: { type: 'video', value: 'https://meet.example/j' } })
    const res = await book(h, host.username, '30-min-call', AT_0800, { notes: 'About pricing' })
    expect(res.statusCode).toBe(201)
    const booking = res.json()
    expect(booking).toMatchObject({
      object: 'booking',
      event_type: '30-min-call',
      event_type_title: 'Intro call',
      host_name: 'Jane Host',
      start_time: AT_0800,
      end_time: AT_0830,
      status: 'confirmed',
      guest_name: guest.name,
      guest_email: guest.email,
      guest_timezone: guest.timezone,
      notes: 'About pricing',
      location: { type: 'video', value: 'https://meet.example/j' },
    })
    expect(booking.id).toMatch(/^bk_[0-9a-z]{26}$/)
    expect(booking.cancel_token.length).toBeGreaterThanOrEqual(32)
    expect(booking.ics_url).toBe(`/api/public/bookings/${booking.id}/ics?token=${booking.cancel_token}`)
    expect(booking).not.toHaveProperty('contact_id')

    const stored = (await h.api('GET', `/api/v1/bookings/${booking.id}`)).json()
    expect(stored).toMatchObject({ id: booking.id, user_id: host.id, event_type_id: eventType.id })
    expect(stored).not.toHaveProperty('cancel_token')
    const contact = (await h.api('GET', `/api/v1/contacts/${stored.contact_id}`)).json()
    expect(contact).toMatchObject({ email: guest.email, name: guest.name, source: 'booking' })
    const activities = (await h.api('GET', `/api/v1/activities?contact_id=${contact.id}`)).json().data
    expect(activities).toHaveLength(1)
    expect(activities[0]).toMatchObject({ type: 'meeting', occurred_at: AT_0800, duration_minutes: 30 })

    expect(await h.eventTypes()).toEqual(['contact.created', 'activity.created', 'booking.created'])
    const event = await h.deps.db
      .selectFrom('events')
      .select('data')
      .where('org_id', '=', h.org.id)
      .where('type', '=', 'booking.created')
      .executeTakeFirstOrThrow()
    expect(event.data).toEqual({
      id: booking.id,
      event_type: '30-min-call',
      guest_email: guest.email,
      start_time: AT_0800,
      end_time: AT_0830,
      host_name: 'Jane Host',
    })
    expect(await slotsOn(h, host.username)).not.toContain(AT_0800)
  })

  test('a returning guest (email in another case) reuses the contact and emits no contact.created', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const first = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const again = await book(h, host.username, '30-min-call', AT_0900, {
      guest: { ...guest, email: guest.email.toUpperCase() },
    })
    expect(again.statusCode).toBe(201)
    const [a, b] = await Promise.all(
      [first.id, again.json().id].map(async (id) => (await h.api('GET', `/api/v1/bookings/${id}`)).json().contact_id),
    )
    expect(b).toBe(a)
    expect((await h.eventTypes()).filter((t) => t === 'contact.created')).toHaveLength(1)
  })

  test('a start that is not offered is a 409 slot_unavailable, and writes nothing', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    for (const start of ['2026-03-02T07:00:00.000Z', '2026-03-02T08:10:00.000Z', '2026-03-01T10:00:00.000Z']) {
      const res = await book(h, host.username, '30-min-call', start)
      expect(res.statusCode, start).toBe(409)
      expect(res.json().error.code).toBe('slot_unavailable')
    }
    expect(await h.eventTypes()).toEqual([])
    const bad = await book(h, host.username, '30-min-call', AT_0800, { guest: { ...guest, timezone: 'Nowhere/Land' } })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('guest.timezone')
    const unknown = await book(h, host.username, '30-min-call', AT_0800, { extra: 1 })
    expect(unknown.statusCode).toBe(422)
  })

  test('20 concurrent requests for one slot: exactly one 201 and 19 slot_unavailable', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        book(h, host.username, '30-min-call', AT_0800, { guest: { ...guest, email: `g${i}@guest.example` } }),
      ),
    )
    const codes = results.map((r) => r.statusCode)
    expect(codes.filter((c) => c === 201)).toHaveLength(1)
    expect(codes.filter((c) => c === 409)).toHaveLength(19)
    const rows = await h.deps.db.selectFrom('bookings').select('id').where('user_id', '=', host.id).execute()
    expect(rows).toHaveLength(1)
  })

  test('overlapping event types of one host never double-book it, even concurrently', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    await h.api('POST', '/api/v1/event_types', { user_id: host.id, slug: 'hour', title: 'Hour', duration_minutes: 60 })
    // 08:30-09:00 (30 min) and 08:00-09:00 (60 min) overlap.
    const [short, long] = await Promise.all([
      book(h, host.username, '30-min-call', AT_0830),
      book(h, host.username, 'hour', AT_0800),
    ])
    expect([short.statusCode, long.statusCode].sort()).toEqual([201, 409])
    const hourSlots = await slotsOn(h, host.username, 'hour')
    expect(hourSlots).not.toContain(AT_0800)
  })
})

describe('cancelling', () => {
  test('the guest cancels with the token; a wrong token is a 404; the slot is offered again', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const url = `/api/public/bookings/${booking.id}/cancel`
    const wrong = await publicApi(h, 'POST', url, { token: 'not-the-token' })
    expect(wrong.statusCode).toBe(404)
    const res = await publicApi(h, 'POST', url, { token: booking.cancel_token, reason: 'Conflict, sorry; really' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'guest',
      cancel_reason: 'Conflict, sorry; really',
    })
    expect((await h.eventTypes()).at(-1)).toBe('booking.cancelled')
    const event = await h.deps.db
      .selectFrom('events')
      .select('data')
      .where('org_id', '=', h.org.id)
      .where('type', '=', 'booking.cancelled')
      .executeTakeFirstOrThrow()
    expect(event.data).toEqual({ id: booking.id, cancelled_by: 'guest', reason: 'Conflict, sorry; really' })
    expect(await slotsOn(h, host.username)).toContain(AT_0800)
    expect((await publicApi(h, 'POST', url, { token: booking.cancel_token })).statusCode).toBe(409)
    expect((await book(h, host.username, '30-min-call', AT_0800)).statusCode).toBe(201)
  })

  test('the host cancels through the API (scope write)', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const res = await h.api('POST', `/api/v1/bookings/${booking.id}/cancel`, { reason: 'Ill' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'cancelled', cancelled_by: 'host', cancel_reason: 'Ill' })
    expect(res.json().cancelled_at).toEqual(expect.any(String))
    expect(await slotsOn(h, host.username)).toContain(AT_0800)
    expect((await h.api('POST', `/api/v1/bookings/${booking.id}/cancel`, {})).statusCode).toBe(409)
  })

  test('an event type with an upcoming booking cannot be deleted (409) until it is cancelled', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host, eventType } = await bookableHost(h)
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const blocked = await h.api('DELETE', `/api/v1/event_types/${eventType.id}`)
    expect(blocked.statusCode).toBe(409)
    await h.api('POST', `/api/v1/bookings/${booking.id}/cancel`, {})
    expect((await h.api('DELETE', `/api/v1/event_types/${eventType.id}`)).statusCode).toBe(200)
    const kept = (await h.api('GET', `/api/v1/bookings/${booking.id}`)).json()
    expect(kept).toMatchObject({ event_type_id: null, event_type: '30-min-call' })
  })
})

describe('removing a host', () => {
  test('a user hosting an upcoming booking cannot be removed (409) until it is cancelled; then their past bookings go with them', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const blocked = await h.api('DELETE', `/api/v1/users/${host.id}`)
    expect(blocked.statusCode).toBe(409)
    expect(blocked.json().error.message).toContain('hosts 1 upcoming confirmed booking(s)')
    expect((await h.api('GET', `/api/v1/bookings/${booking.id}`)).json().status).toBe('confirmed')
    await h.api('POST', `/api/v1/bookings/${booking.id}/cancel`, {})
    expect((await h.api('DELETE', `/api/v1/users/${host.id}`)).statusCode).toBe(200)
    expect((await h.api('GET', `/api/v1/bookings/${booking.id}`)).statusCode).toBe(404)
    // The guest's contact stays.
    const contacts = (await h.api('GET', `/api/v1/contacts?email=${encodeURIComponent(guest.email)}`)).json().data
    expect(contacts).toHaveLength(1)
  })
})

describe('rescheduling', () => {
  test('the guest moves the booking to another offered slot; the old one frees up', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h, { duration_minutes: 60, slot_step_minutes: 30 })
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const url = `/api/public/bookings/${booking.id}/reschedule`
    // 08:30-09:30 overlaps the booking's own 08:00-09:00: its own time does not block it.
    const res = await publicApi(h, 'POST', url, { token: booking.cancel_token, start: AT_0830 })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ start_time: AT_0830, end_time: '2026-03-02T09:30:00.000Z', status: 'confirmed' })
    expect(res.json().rescheduled_at).toEqual(expect.any(String))
    const moves = (await h.api('GET', '/api/v1/events?type=booking.rescheduled')).json().data
    expect(moves.map((e: { data: unknown }) => e.data)).toEqual([
      {
        id: booking.id,
        previous_start_time: AT_0800,
        start_time: AT_0830,
        end_time: res.json().end_time,
        rescheduled_by: 'guest',
      },
    ])
    const slots = await slotsOn(h, host.username)
    expect(slots).not.toContain(AT_0830)
    expect(slots).toContain('2026-03-02T09:30:00.000Z')
    expect((await publicApi(h, 'POST', url, { token: 'wrong', start: AT_0900 })).statusCode).toBe(404)
    const notOffered = await publicApi(h, 'POST', url, { token: booking.cancel_token, start: '2026-03-02T20:00:00Z' })
    expect(notOffered.statusCode).toBe(409)
    expect(notOffered.json().error.code).toBe('slot_unavailable')
  })

  test('the host moves a booking through the API; a taken slot is a 409', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const a = (await book(h, host.username, '30-min-call', AT_0800)).json()
    await book(h, host.username, '30-min-call', AT_0900)
    const taken = await h.api('POST', `/api/v1/bookings/${a.id}/reschedule`, { start: AT_0900 })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error.code).toBe('slot_unavailable')
    const moved = await h.api('POST', `/api/v1/bookings/${a.id}/reschedule`, { start: AT_0830 })
    expect(moved.statusCode).toBe(200)
    expect(moved.json()).toMatchObject({ start_time: AT_0830, end_time: AT_0900 })
    const moves = (await h.api('GET', '/api/v1/events?type=booking.rescheduled')).json().data
    expect(moves[0].data).toMatchObject({ id: a.id, rescheduled_by: 'host', previous_start_time: AT_0800 })
    await h.api('POST', `/api/v1/bookings/${a.id}/cancel`, {})
    const cancelled = await h.api('POST', `/api/v1/bookings/${a.id}/reschedule`, { start: AT_0800 })
    expect(cancelled.statusCode).toBe(409)
    expect(cancelled.json().error.code).toBe('conflict')
  })
})

describe('calendar file', () => {
  test('serves an RFC 5545 event: CRLF, folded lines, escaped text, UTC times', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h, {
      title: 'Intro call, long title; with \\ backslash and more words to make it fold past seventy-five octets é',
      location: { type: 'address', value: '1 Main St, Springfield' },
    })
    const booking = (await book(h, host.username, '30-min-call', AT_0800, { notes: 'Line one\nLine two' })).json()
    const res = await publicApi(h, 'GET', booking.ics_url)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/calendar/)
    const ics = res.body
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true)
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true)
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75)
    const unfolded = ics.replace(/\r\n /g, '')
    expect(unfolded).toContain('METHOD:PUBLISH')
    expect(unfolded).toContain(`UID:${booking.id}@rapport`)
    expect(unfolded).toMatch(/DTSTAMP:\d{8}T\d{6}Z/)
    expect(unfolded).toContain('DTSTART:20260302T080000Z')
    expect(unfolded).toContain('DTEND:20260302T083000Z')
    expect(unfolded).toContain(
      'SUMMARY:Intro call\\, long title\\; with \\\\ backslash and more words to make it fold past seventy-five octets é with Jane Host',
    )
    expect(unfolded).toContain('DESCRIPTION:Line one\\nLine two')
    expect(unfolded).toContain('LOCATION:1 Main St\\, Springfield')
    expect(unfolded).toContain(`ORGANIZER;CN="Jane Host":mailto:${host.email}`)
    expect(unfolded).toContain(`mailto:${guest.email}`)
    expect((await publicApi(h, 'GET', `/api/public/bookings/${booking.id}/ics?token=nope`)).statusCode).toBe(404)
    await h.api('POST', `/api/v1/bookings/${booking.id}/cancel`, {})
    const cancelled = (await publicApi(h, 'GET', booking.ics_url)).body.replace(/\r\n /g, '')
    expect(cancelled).toContain('METHOD:CANCEL')
    expect(cancelled).toContain('STATUS:CANCELLED')
    expect(cancelled).toContain('SEQUENCE:1')
  })
})

describe('listing and isolation', () => {
  test('lists bookings filtered by host, event type, status and time; paged', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host, eventType } = await bookableHost(h)
    const a = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const b = (await book(h, host.username, '30-min-call', AT_0900)).json()
    await h.api('POST', `/api/v1/bookings/${a.id}/cancel`, {})
    const ids = async (q: string) =>
      (await h.api('GET', `/api/v1/bookings?${q}`)).json().data.map((x: { id: string }) => x.id)
    expect(await ids(`user_id=${host.id}`)).toEqual([a.id, b.id])
    expect(await ids(`user_id=${host.id}&sort=-start_time`)).toEqual([b.id, a.id])
    expect(await ids(`event_type_id=${eventType.id}&status=confirmed`)).toEqual([b.id])
    expect(await ids(`user_id=${host.id}&starts_after=2026-03-02T08:30:00Z`)).toEqual([b.id])
    expect(await ids(`user_id=${host.id}&starts_before=2026-03-02T08:30:00Z`)).toEqual([a.id])
    const page = (await h.api('GET', `/api/v1/bookings?user_id=${host.id}&limit=1`)).json()
    expect(page.pagination).toMatchObject({ total: 2, has_more: true })
    expect((await h.api('GET', '/api/v1/bookings?status=maybe')).statusCode).toBe(400)
  })

  test('lists the bookings of one contact with contact_id, only within the organization and live mode', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const sam = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const kim = (
      await book(h, host.username, '30-min-call', AT_0900, {
        guest: { ...guest, name: 'Kim Guest', email: 'kim@guest.example' },
      })
    ).json()
    const samAgain = (await book(h, host.username, '30-min-call', '2026-03-02T10:00:00.000Z')).json()
    const contactOf = async (id: string) => (await h.api('GET', `/api/v1/bookings/${id}`)).json().contact_id as string
    const samContact = await contactOf(sam.id)
    const kimContact = await contactOf(kim.id)
    expect(samContact).not.toBe(kimContact)
    const list = async (q: string, headers: Record<string, string> = {}) =>
      (await h.api('GET', `/api/v1/bookings?${q}`, undefined, headers)).json()
    const ids = async (q: string) => (await list(q)).data.map((x: { id: string }) => x.id)
    expect(await ids(`contact_id=${samContact}`)).toEqual([sam.id, samAgain.id])
    expect(await ids(`contact_id=${kimContact}`)).toEqual([kim.id])
    expect((await list(`contact_id=${samContact}&limit=1`)).pagination).toMatchObject({ total: 2, has_more: true })
    expect(await ids(`contact_id=${samContact}&sort=-start_time&status=confirmed`)).toEqual([samAgain.id, sam.id])
    expect(await ids('contact_id=c_00000000000000000000000000')).toEqual([])

    // The same guest books a host of another organization: a contact of that organization.
    const other = await h.newOrg()
    const otherAuth = { authorization: `Bearer ${other.key}` }
    const otherHost = await bookableHost(h, {}, { key: other.key })
    const elsewhere = (await book(h, otherHost.host.username, '30-min-call', AT_0800)).json()
    const otherContact = (await h.api('GET', `/api/v1/bookings/${elsewhere.id}`, undefined, otherAuth)).json()
      .contact_id as string
    expect(otherContact).not.toBe(samContact)
    expect(await ids(`contact_id=${otherContact}`)).toEqual([])
    expect((await list(`contact_id=${samContact}`, otherAuth)).data).toEqual([])
    expect((await list(`contact_id=${otherContact}`, otherAuth)).data.map((x: { id: string }) => x.id)).toEqual([
      elsewhere.id,
    ])
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    expect((await list(`contact_id=${samContact}`, { authorization: `Bearer ${testKey}` })).data).toEqual([])

    const tooLong = await h.api('GET', `/api/v1/bookings?contact_id=${'c'.repeat(65)}`)
    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.json().error.details[0].field).toBe('contact_id')
  })

  test("another organization's booking is a 404; test keys see no bookings", async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    for (const key of [other.key, testKey]) {
      const auth = { authorization: `Bearer ${key}` }
      expect((await h.api('GET', `/api/v1/bookings/${booking.id}`, undefined, auth)).statusCode).toBe(404)
      expect((await h.api('POST', `/api/v1/bookings/${booking.id}/cancel`, {}, auth)).statusCode).toBe(404)
      expect(
        (await h.api('POST', `/api/v1/bookings/${booking.id}/reschedule`, { start: AT_0900 }, auth)).statusCode,
      ).toBe(404)
      expect((await h.api('GET', '/api/v1/bookings', undefined, auth)).json().data).toEqual([])
    }
    expect((await h.api('GET', `/api/v1/bookings/${booking.id}`)).statusCode).toBe(200)
    expect(await h.eventTypes(h.org, false)).toEqual([])
  })
})

describe('GET /api/public/bookings/:id (the guest reads the booking with the token)', () => {
  const PUBLIC_KEYS = [
    'cancel_reason',
    'cancelled_at',
    'cancelled_by',
    'created_at',
    'end_time',
    'event_type',
    'event_type_title',
    'guest_email',
    'guest_name',
    'guest_timezone',
    'host_name',
    'host_username',
    'ics_url',
    'id',
    'location',
    'notes',
    'object',
    'rescheduled_at',
    'start_time',
    'status',
  ]

  test('answers the booking as its guest saw it when booking, without the token or any CRM id, never cached', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h, { location: { type: 'video', value: 'https://meet.example/j' } })
    const { cancel_token: token, ...booked } = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const res = await publicApi(h, 'GET', `/api/public/bookings/${booked.id}?token=${encodeURIComponent(token)}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(res.json()).toEqual(booked)
    expect(Object.keys(res.json()).sort()).toEqual(PUBLIC_KEYS)
    expect(res.json()).toMatchObject({ host_username: host.username, event_type: '30-min-call', status: 'confirmed' })

    await publicApi(h, 'POST', `/api/public/bookings/${booked.id}/cancel`, { token, reason: 'Ill' })
    const after = await publicApi(h, 'GET', `/api/public/bookings/${booked.id}?token=${encodeURIComponent(token)}`)
    expect(after.json()).toMatchObject({ status: 'cancelled', cancelled_by: 'guest', cancel_reason: 'Ill' })
  })

  test('a wrong token is the same 404 as an unknown id; a missing token is a 400', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    const unknownId = `bk_${'0'.repeat(26)}`
    const wrong = await publicApi(h, 'GET', `/api/public/bookings/${booking.id}?token=${booking.cancel_token}x`)
    const unknown = await publicApi(h, 'GET', `/api/public/bookings/${unknownId}?token=${booking.cancel_token}`)
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(404)
      expect(res.json().error.code).toBe('not_found')
      expect(res.body).not.toContain(booking.guest_email)
    }
    // Same message but for the id the caller sent: nothing tells a wrong token from an unknown id.
    expect(wrong.json().error.message.replace(booking.id, 'ID')).toBe(
      unknown.json().error.message.replace(unknownId, 'ID'),
    )
    const missing = await publicApi(h, 'GET', `/api/public/bookings/${booking.id}`)
    expect(missing.statusCode).toBe(400)
    expect(missing.body).not.toContain(booking.guest_email)
  })

  test("across organizations nothing leaks: one booking's token opens no other booking", async () => {
    const h = await testApp({ clock: fixedClock })
    const other = await h.newOrg()
    const mine = await bookableHost(h)
    const theirs = await bookableHost(h, {}, { key: other.key })
    const a = (await book(h, mine.host.username, '30-min-call', AT_0800)).json()
    const b = (
      await book(h, theirs.host.username, '30-min-call', AT_0800, { guest: { ...guest, email: 'b@other.example' } })
    ).json()
    const read = (id: string, token: string) =>
      publicApi(h, 'GET', `/api/public/bookings/${id}?token=${encodeURIComponent(token)}`)
    for (const [id, token] of [
      [b.id, a.cancel_token],
      [a.id, b.cancel_token],
    ]) {
      const res = await read(id, token)
      expect(res.statusCode).toBe(404)
      expect(res.body).not.toMatch(/@(guest|other)\.example|Jane Host|Intro call/)
    }
    const own = (await read(b.id, b.cancel_token)).json()
    expect(own).toMatchObject({ id: b.id, guest_email: 'b@other.example', host_username: theirs.host.username })
    expect(JSON.stringify(own)).not.toMatch(/org_|user_|c_[0-9a-z]{26}|et_/)
  })
})
