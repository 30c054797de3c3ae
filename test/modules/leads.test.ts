import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

const lead = () => ({
  name: 'John Doe',
  email: `lead.${Math.random().toString(36).slice(2)}@example.com`,
  phone: '+1234567890',
  message: 'Please call me about a quote',
  source: 'google_ads',
})

describe('POST /api/webhook/leads', () => {
  test('creates a lead contact (201, created: true) with the key as Bearer, emitting contact.created', async () => {
    const h = await testApp()
    const body = lead()
    const res = await h.api('POST', '/api/webhook/leads', body)
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      object: 'contact',
      name: 'John Doe',
      email: body.email,
      phone: '+1234567890',
      status: 'lead',
      source: 'lead_capture',
      created: true,
    })
    expect(await h.eventTypes()).toEqual(['contact.created', 'activity.created'])
    const activities = (await h.api('GET', `/api/v1/activities?contact_id=${res.json().id}`)).json().data
    expect(activities).toMatchObject([{ summary: 'Lead captured: google_ads', body: body.message }])
    expect((await h.api('GET', '/api/v1/notifications')).json().data).toMatchObject([
      { type: 'lead.captured', title: 'New lead: John Doe', contact_id: res.json().id },
    ])
  })

  test('accepts the key as X-API-Key', async () => {
    const h = await testApp()
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/webhook/leads',
      headers: { 'x-api-key': h.org.key },
      payload: lead(),
    })
    expect(res.statusCode).toBe(201)
  })

  test('answers 401 without a key and 403 to a key without the write scope', async () => {
    const h = await testApp()
    const none = await h.app.inject({ method: 'POST', url: '/api/webhook/leads', payload: lead() })
    expect(none.statusCode).toBe(401)
    const readOnly = await h.newKey(h.org.id, { scopes: ['read'] })
    expect(
      (await h.api('POST', '/api/webhook/leads', lead(), { authorization: `Bearer ${readOnly}` })).statusCode,
    ).toBe(403)
  })

  test('an existing email answers 201 with created: false, fills empty fields, merges new custom fields, emits lead.updated', async () => {
    const h = await testApp()
    const body = lead()
    const existing = (
      await h.api('POST', '/api/v1/contacts', {
        email: body.email.toUpperCase(),
        name: 'Kept Name',
        custom_fields: { plan: 'pro' },
      })
    ).json()
    const res = await h.api('POST', '/api/webhook/leads', {
      ...body,
      company: 'Acme',
      custom_fields: { plan: 'free', seats: 3 },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      id: existing.id,
      created: false,
      name: 'Kept Name',
      phone: '+1234567890',
      company: 'Acme',
      source: 'api',
      custom_fields: { plan: 'pro', seats: 3 },
    })
    const events = (await h.api('GET', '/api/v1/events')).json().data
    expect(events.find((e: { event: string }) => e.event === 'lead.updated').data).toEqual({
      id: existing.id,
      changes: { phone: '+1234567890', company: 'Acme', custom_fields: { plan: 'pro', seats: 3 } },
    })
  })

  test('10 concurrent captures of one new email make one contact', async () => {
    const h = await testApp()
    const body = lead()
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.api('POST', '/api/webhook/leads', body)))
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(201))
    expect(answers.filter((r) => r.json().created)).toHaveLength(1)
    expect(new Set(answers.map((r) => r.json().id)).size).toBe(1)
    expect((await h.api('GET', `/api/v1/contacts?email=${body.email}`)).json().data).toHaveLength(1)
  })

  test('rejects unknown fields and a bad email with a 422 naming the field', async () => {
    const h = await testApp()
    const unknown = await h.api('POST', '/api/webhook/leads', { ...lead(), favourite: 'x' })
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json().error.details[0].field).toBe('favourite')
    const bad = await h.api('POST', '/api/webhook/leads', { ...lead(), email: 'nope' })
    expect(bad.json().error.details[0].field).toBe('email')
    expect(await h.eventTypes()).toEqual([])
  })

  test('a lead in test mode is a test-mode contact', async () => {
    const h = await testApp()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const res = await h.api('POST', '/api/webhook/leads', lead(), { authorization: `Bearer ${testKey}` })
    expect(res.statusCode).toBe(201)
    expect((await h.api('GET', `/api/v1/contacts/${res.json().id}`)).statusCode).toBe(404)
  })
})
