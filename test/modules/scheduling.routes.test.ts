import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { bookableHost, fixedClock, newHost, publicApi, WEEKDAYS_9_TO_5 } from '../route-tables/scheduling.js'

describe('event types', () => {
  test('creates an event type with defaults, gets it with an ETag and lists it both ways', async () => {
    const h = await testApp()
    const host = await newHost(h)
    const res = await h.api('POST', '/api/v1/event_types', {
      user_id: host.id,
      slug: '30-min-call',
      title: 'Intro call',
      duration_minutes: 30,
      location: { type: 'video', value: 'https://meet.example.com/jane' },
    })
    expect(res.statusCode).toBe(201)
    const et = res.json()
    expect(et).toMatchObject({
      object: 'event_type',
      user_id: host.id,
      slug: '30-min-call',
      description: null,
      buffer_before_minutes: 0,
      buffer_after_minutes: 0,
      minimum_notice_minutes: 0,
      slot_step_minutes: null,
      max_per_day: null,
      booking_window_days: null,
      active: true,
      location: { type: 'video', value: 'https://meet.example.com/jane' },
    })
    expect(et.id).toMatch(/^et_[0-9a-z]{26}$/)
    const got = await h.api('GET', `/api/v1/event_types/${et.id}`)
    expect(got.json()).toEqual(et)
    expect(got.headers.etag).toMatch(/^"/)
    const inactive = await h.api('POST', '/api/v1/event_types', {
      user_id: host.id,
      slug: 'old',
      title: 'Old',
      duration_minutes: 60,
      active: false,
    })
    const ofHost = (await h.api('GET', `/api/v1/users/${host.id}/event_types?active=true`)).json()
    expect(ofHost.data.map((e: { id: string }) => e.id)).toEqual([et.id])
    const all = (await h.api('GET', `/api/v1/booking_event_types?user_id=${host.id}`)).json()
    expect(all.data.map((e: { id: string }) => e.id)).toEqual([et.id, inactive.json().id])
    expect(all.pagination.total).toBe(2)
    const paged = (await h.api('GET', `/api/v1/booking_event_types?user_id=${host.id}&limit=1`)).json()
    expect(paged.pagination.has_more).toBe(true)
  })

  test('GET /api/v1/event_types stays the webhook event catalog', async () => {
    const h = await testApp()
    const res = await h.api('GET', '/api/v1/event_types')
    expect(res.statusCode).toBe(200)
    expect(JSON.stringify(res.json())).toContain('booking.created')
  })

  test('rejects unknown fields, bad settings and an unknown host with 422 naming the field', async () => {
    const h = await testApp()
    const host = await newHost(h)
    const base = { user_id: host.id, slug: 'call', title: 'Call', duration_minutes: 30 }
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, colour: 'red' }, 'colour'],
      [{ ...base, duration_minutes: 2 }, 'duration_minutes'],
      [{ ...base, slug: 'Not A Slug' }, 'slug'],
      [{ ...base, location: { type: 'pigeon', value: 'x' } }, 'location'],
      [{ ...base, user_id: 'user_00000000000000000000000000' }, 'user_id'],
    ]
    for (const [body, field] of cases) {
      const res = await h.api('POST', '/api/v1/event_types', body)
      expect(res.statusCode, JSON.stringify(body)).toBe(422)
      expect(res.json().error.details[0].field).toMatch(new RegExp(`^${field}`))
    }
  })

  test('a slug is unique per host, case-insensitively (409), but two hosts may share one', async () => {
    const h = await testApp()
    const [a, b] = [await newHost(h), await newHost(h)]
    const body = { slug: 'call', title: 'Call', duration_minutes: 30 }
    expect((await h.api('POST', '/api/v1/event_types', { ...body, user_id: a.id })).statusCode).toBe(201)
    expect((await h.api('POST', '/api/v1/event_types', { ...body, user_id: b.id })).statusCode).toBe(201)
    const taken = await h.api('POST', '/api/v1/event_types', { ...body, user_id: a.id })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error.details[0].field).toBe('slug')
  })

  test('PATCH changes fields, honours If-Match and validates the merged settings', async () => {
    const h = await testApp()
    const { eventType } = await bookableHost(h)
    const etag = (await h.api('GET', `/api/v1/event_types/${eventType.id}`)).headers.etag as string
    const stale = await h.api('PATCH', `/api/v1/event_types/${eventType.id}`, { title: 'X' }, { 'if-match': '"nope"' })
    expect(stale.statusCode).toBe(412)
    const ok = await h.api(
      'PATCH',
      `/api/v1/event_types/${eventType.id}`,
      { title: 'Renamed', buffer_after_minutes: 10, max_per_day: null },
      { 'if-match': etag },
    )
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ title: 'Renamed', buffer_after_minutes: 10 })
    expect(ok.headers.etag).not.toBe(etag)
    const bad = await h.api('PATCH', `/api/v1/event_types/${eventType.id}`, { slot_step_minutes: 1 })
    expect(bad.statusCode).toBe(422)
    expect((await h.api('PATCH', `/api/v1/event_types/${eventType.id}`, {})).statusCode).toBe(422)
  })

  test('DELETE removes an event type without upcoming bookings', async () => {
    const h = await testApp()
    const { eventType } = await bookableHost(h)
    const res = await h.api('DELETE', `/api/v1/event_types/${eventType.id}`)
    expect(res.json()).toEqual({ id: eventType.id, object: 'event_type', deleted: true })
    expect((await h.api('GET', `/api/v1/event_types/${eventType.id}`)).statusCode).toBe(404)
  })

  test('another organization sees a 404; a test key reads but cannot change event types', async () => {
    const h = await testApp()
    const { host, eventType } = await bookableHost(h)
    const other = await h.newOrg()
    const asOther = { authorization: `Bearer ${other.key}` }
    expect((await h.api('GET', `/api/v1/event_types/${eventType.id}`, undefined, asOther)).statusCode).toBe(404)
    expect((await h.api('PATCH', `/api/v1/event_types/${eventType.id}`, { title: 'x' }, asOther)).statusCode).toBe(404)
    expect((await h.api('DELETE', `/api/v1/event_types/${eventType.id}`, undefined, asOther)).statusCode).toBe(404)
    expect((await h.api('GET', `/api/v1/users/${host.id}/event_types`, undefined, asOther)).statusCode).toBe(404)
    expect((await h.api('GET', '/api/v1/booking_event_types', undefined, asOther)).json().data).toEqual([])
    const testKey = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    expect((await h.api('GET', `/api/v1/event_types/${eventType.id}`, undefined, testKey)).statusCode).toBe(200)
    const write = await h.api('PATCH', `/api/v1/event_types/${eventType.id}`, { title: 'x' }, testKey)
    expect(write.statusCode).toBe(403)
  })
})

describe('availability', () => {
  test('a host without availability has empty lists; PUT replaces it and GET returns it', async () => {
    const h = await testApp()
    const host = await newHost(h)
    const empty = (await h.api('GET', `/api/v1/users/${host.id}/availability`)).json()
    expect(empty).toEqual({
      object: 'availability',
      user_id: host.id,
      timezone: 'Europe/Paris',
      weekly: [],
      overrides: [],
      updated_at: null,
    })
    const body = { weekly: WEEKDAYS_9_TO_5, overrides: [{ date: '2026-03-10', ranges: [] }] }
    const put = await h.api('PUT', `/api/v1/users/${host.id}/availability`, body)
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject(body)
    const got = await h.api('GET', `/api/v1/users/${host.id}/availability`)
    expect(got.json()).toEqual(put.json())
    const stale = await h.api('PUT', `/api/v1/users/${host.id}/availability`, { weekly: [] }, { 'if-match': '"x"' })
    expect(stale.statusCode).toBe(412)
    const fresh = await h.api(
      'PUT',
      `/api/v1/users/${host.id}/availability`,
      { weekly: [] },
      { 'if-match': got.headers.etag as string },
    )
    expect(fresh.json()).toMatchObject({ weekly: [], overrides: [] })
  })

  test('PUT answers 422 naming every bad field, engine-style', async () => {
    const h = await testApp()
    const host = await newHost(h)
    const res = await h.api('PUT', `/api/v1/users/${host.id}/availability`, {
      weekly: [
        { day: 'mon', start: '09:00', end: '12:00' },
        { day: 'mon', start: '11:00', end: '13:00' },
        { day: 'tue', start: '17:00', end: '09:00' },
        { day: 'funday', start: '09:00', end: '10:00' },
      ],
      overrides: [{ date: '2026-02-30', ranges: [] }],
      holidays: [],
    })
    expect(res.statusCode).toBe(422)
    const fields = res.json().error.details.map((d: { field: string }) => d.field)
    expect(fields).toEqual(
      expect.arrayContaining(['weekly[1].start', 'weekly[2].end', 'weekly[3].day', 'overrides[0].date', 'holidays']),
    )
    expect((await h.api('PUT', `/api/v1/users/${host.id}/availability`, [])).statusCode).toBe(422)
  })

  test('another organization gets a 404, a test key a 403 on PUT', async () => {
    const h = await testApp()
    const host = await newHost(h)
    const other = await h.newOrg()
    const asOther = { authorization: `Bearer ${other.key}` }
    expect((await h.api('GET', `/api/v1/users/${host.id}/availability`, undefined, asOther)).statusCode).toBe(404)
    const put = await h.api('PUT', `/api/v1/users/${host.id}/availability`, { weekly: [] }, asOther)
    expect(put.statusCode).toBe(404)
    const testKey = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    expect((await h.api('PUT', `/api/v1/users/${host.id}/availability`, { weekly: [] }, testKey)).statusCode).toBe(403)
  })
})

describe('public booking pages', () => {
  test('the page shows what a booking page needs and nothing private', async () => {
    const h = await testApp()
    const { host } = await bookableHost(h, {
      description: 'Let us talk',
      location: { type: 'phone', value: '+1 555 0100' },
    })
    const res = await publicApi(h, 'GET', `/api/public/booking/${host.username.toUpperCase()}/30-min-call`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      host_name: 'Jane Host',
      host_username: host.username,
      host_timezone: 'Europe/Paris',
      slug: '30-min-call',
      title: 'Intro call',
      description: 'Let us talk',
      duration_minutes: 30,
      location_type: 'phone',
    })
    expect(res.body).not.toContain('@')
    expect(res.body).not.toContain('555')
  })

  test('an unknown host, an unknown slug and an inactive event type are 404s', async () => {
    const h = await testApp()
    const { host, eventType } = await bookableHost(h)
    expect((await publicApi(h, 'GET', '/api/public/booking/nobody-here-x/30-min-call')).statusCode).toBe(404)
    expect((await publicApi(h, 'GET', `/api/public/booking/${host.username}/nope`)).statusCode).toBe(404)
    await h.api('PATCH', `/api/v1/event_types/${eventType.id}`, { active: false })
    const slots = `/api/public/booking/${host.username}/30-min-call/slots?start=2026-03-02&end=2026-03-02&timezone=UTC`
    expect((await publicApi(h, 'GET', slots)).statusCode).toBe(404)
    expect((await publicApi(h, 'GET', `/api/public/booking/${host.username}/30-min-call`)).statusCode).toBe(404)
  })

  test('slots follow the host availability over a date range, in the visitor time zone', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h, { duration_minutes: 60 })
    const res = await publicApi(
      h,
      'GET',
      `/api/public/booking/${host.username}/30-min-call/slots?start=2026-03-01&end=2026-03-07&timezone=America/New_York`,
    )
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.timezone).toBe('America/New_York')
    // Monday to Friday, 09:00-17:00 in Paris (UTC+1): 08:00Z to 16:00Z, eight one-hour slots a day.
    expect(Object.keys(body.slots)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'])
    expect(body.slots['2026-03-02'][0]).toEqual({ start: '2026-03-02T08:00:00.000Z', end: '2026-03-02T09:00:00.000Z' })
    expect(body.slots['2026-03-02']).toHaveLength(8)
    const none = await newHost(h)
    await h.api('POST', '/api/v1/event_types', { user_id: none.id, slug: 'x', title: 'X', duration_minutes: 30 })
    const empty = await publicApi(
      h,
      'GET',
      `/api/public/booking/${none.username}/x/slots?start=2026-03-02&end=2026-03-06&timezone=UTC`,
    )
    expect(empty.json()).toEqual({ timezone: 'UTC', slots: {} })
  })

  test('a bad slot query is a 422 naming the parameter', async () => {
    const h = await testApp({ clock: fixedClock })
    const { host } = await bookableHost(h)
    const url = (q: string) => `/api/public/booking/${host.username}/30-min-call/slots?${q}`
    const cases: [string, string][] = [
      ['start=2026-02-30&end=2026-03-02&timezone=UTC', 'start'],
      ['start=2026-03-05&end=2026-03-02&timezone=UTC', 'end'],
      ['start=2026-01-01&end=2026-12-31&timezone=UTC', 'end'],
      ['start=2026-03-01&end=2026-03-02&timezone=Mars/Base', 'timezone'],
    ]
    for (const [q, field] of cases) {
      const res = await publicApi(h, 'GET', url(q))
      expect(res.statusCode, q).toBe(422)
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field)
    }
    const missing = await publicApi(h, 'GET', url('start=2026-03-01&end=2026-03-02'))
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.details[0].field).toBe('timezone')
  })
})
