import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { newDomain, newForm, submission } from '../route-tables/leads.js'

const seedBody = (domainId: string) => ({
  form_response: {
    domain_id: domainId,
    form_data: {
      name: 'John Doe',
      email: `john.${Math.random().toString(36).slice(2)}@example.com`,
      phone: '+1234567890',
      message: 'I am interested in your services',
      budget: '10k',
    },
    form_type: 'contact',
    source_url: 'https://example.com/contact',
    user_agent: 'Mozilla/5.0',
    ip_address: '192.168.1.1',
  },
})

describe('POST /api/v1/form_responses', () => {
  test('answers the contract shape, creates the lead as a contact and emits the events in one transaction', async () => {
    const h = await testApp()
    const body = seedBody(await newDomain(h))
    const res = await h.api('POST', '/api/v1/form_responses', body)
    expect(res.statusCode).toBe(201)
    const answer = res.json()
    expect(Object.keys(answer).sort()).toEqual(['callback_scheduled', 'created_at', 'id', 'lead_id', 'status'])
    expect(answer).toMatchObject({ status: 'created', callback_scheduled: false })
    expect(answer.id).toMatch(/^fr_[0-9a-z]{26}$/)
    expect(answer.lead_id).toMatch(/^c_/)
    const contact = (await h.api('GET', `/api/v1/contacts/${answer.lead_id}`)).json()
    expect(contact).toMatchObject({
      name: 'John Doe',
      email: body.form_response.form_data.email,
      phone: '+1234567890',
      status: 'lead',
      source: 'lead_capture',
    })
    expect(await h.eventTypes()).toEqual(['contact.created', 'activity.created', 'form_response.created'])
    const events = (await h.api('GET', '/api/v1/events?limit=5')).json().data
    const created = events.find((e: { event: string }) => e.event === 'form_response.created')
    expect(created.data).toMatchObject({
      id: answer.id,
      lead_id: answer.lead_id,
      form_data: { name: 'John Doe', email: body.form_response.form_data.email },
      created_at: answer.created_at,
    })
  })

  test('keeps extra form_data fields and the request details with the response', async () => {
    const h = await testApp()
    const domainId = await newDomain(h)
    const body = seedBody(domainId)
    const id = (await h.api('POST', '/api/v1/form_responses', body)).json().id
    const res = await h.api('GET', `/api/v1/form_responses/${id}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers.etag).toMatch(/^"/)
    expect(res.json()).toMatchObject({
      id,
      object: 'form_response',
      domain_id: domainId,
      form_type: 'contact',
      form_data: { budget: '10k', message: 'I am interested in your services' },
      source_url: 'https://example.com/contact',
      ip_address: '192.168.1.1',
      callback_id: null,
    })
  })

  test('adds a "Form submitted" activity to the contact and a notification for the organization', async () => {
    const h = await testApp()
    const leadId = (await h.api('POST', '/api/v1/form_responses', submission({ message: 'Hello' }))).json().lead_id
    const activities = (await h.api('GET', `/api/v1/activities?contact_id=${leadId}`)).json().data
    expect(activities).toMatchObject([{ type: 'other', summary: 'Form submitted: Contact', body: 'Hello' }])
    const notifications = (await h.api('GET', '/api/v1/notifications')).json().data
    expect(notifications).toMatchObject([
      { type: 'form_response.created', title: 'New form response from John Doe', contact_id: leadId, read: false },
    ])
  })

  test('matches an existing contact case-insensitively, fills only its empty fields and emits lead.updated', async () => {
    const h = await testApp()
    const email = `Jane.${Math.random().toString(36).slice(2)}@Example.com`
    const existing = (
      await h.api('POST', '/api/v1/contacts', { email, name: 'Jane Original', status: 'customer' })
    ).json()
    const res = await h.api(
      'POST',
      '/api/v1/form_responses',
      submission({ email: email.toLowerCase(), name: 'Someone Else', phone: '+1 555 0100', company: 'Acme' }),
    )
    expect(res.json().lead_id).toBe(existing.id)
    const contact = (await h.api('GET', `/api/v1/contacts/${existing.id}`)).json()
    expect(contact).toMatchObject({ name: 'Jane Original', phone: '+1 555 0100', company: 'Acme', status: 'customer' })
    expect(contact.source).toBe('api')
    const events = (await h.api('GET', '/api/v1/events')).json().data
    const updated = events.find((e: { event: string }) => e.event === 'lead.updated')
    expect(updated.data).toEqual({ id: existing.id, changes: { phone: '+1 555 0100', company: 'Acme' } })
    expect((await h.api('GET', `/api/v1/contacts?email=${encodeURIComponent(email)}`)).json().data).toHaveLength(1)
  })

  test('10 concurrent submissions of one new email make one contact', async () => {
    const h = await testApp()
    const email = `burst.${Math.random().toString(36).slice(2)}@example.com`
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => h.api('POST', '/api/v1/form_responses', submission({ email }))),
    )
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(201))
    expect(new Set(answers.map((r) => r.json().lead_id)).size).toBe(1)
    const contacts = (await h.api('GET', `/api/v1/contacts?email=${email}`)).json().data
    expect(contacts).toHaveLength(1)
    const types = await h.eventTypes()
    expect(types.filter((t) => t === 'contact.created')).toHaveLength(1)
    expect(types.filter((t) => t === 'lead.updated')).toHaveLength(9)
    expect((await h.api('GET', '/api/v1/form_responses')).json().pagination.total).toBe(10)
  })

  test('rejects an invalid email and phone with a 422 naming each path, writing nothing', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/form_responses', submission({ email: 'not-an-email', phone: 'call me' }))
    expect(res.statusCode).toBe(422)
    expect(res.json()).toMatchObject({ error: 'Validation failed', code: 'validation_failed' })
    expect(Object.keys(res.json().details)).toEqual(expect.arrayContaining(['form_data.email', 'form_data.phone']))
    expect(res.json().details['form_data.email']).toEqual(['is invalid'])
    expect(res.json().request_id).toBe(res.headers['x-request-id'])
    expect(await h.eventTypes()).toEqual([])
  })

  test('requires form_data.email', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/form_responses', { form_response: { form_data: { name: 'No Email' } } })
    expect(res.statusCode).toBe(422)
    expect(res.json().details).toEqual({ 'form_data.email': ['is required'] })
  })

  test('rejects unknown fields outside form_data', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/form_responses', submission({}, { colour: 'blue' }))
    expect(res.statusCode).toBe(422)
    expect(Object.keys(res.json().details)).toEqual(['colour'])
  })

  test('rejects a domain of another organization or mode with a 422 naming domain_id', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    for (const key of [other.key, testKey]) {
      const domainId = await newDomain(h, key)
      const res = await h.api('POST', '/api/v1/form_responses', submission({}, { domain_id: domainId }))
      expect(res.statusCode).toBe(422)
      expect(Object.keys(res.json().details)).toEqual(['domain_id'])
      expect(res.json().details.domain_id[0]).toMatch(/POST \/api\/v1\/domains/)
    }
    expect(await h.eventTypes()).toEqual([])
  })

  test('validates form_data against the form: required fields, types and select options', async () => {
    const h = await testApp()
    const formId = await newForm(h, h.org.key, {
      fields: [
        { key: 'email', label: 'Email', type: 'email', required: true },
        { key: 'topic', label: 'Topic', type: 'select', options: ['Sales', 'Support'], required: true },
        { key: 'newsletter', label: 'Newsletter', type: 'checkbox' },
        { key: 'consent', label: 'I agree to be contacted.', type: 'consent', required: true },
      ],
    })
    const bad = await h.api(
      'POST',
      '/api/v1/form_responses',
      submission({ topic: 'Billing', newsletter: 'yes', consent: false }, { form_id: formId }),
    )
    expect(bad.statusCode).toBe(422)
    expect(Object.keys(bad.json().details)).toEqual(['form_data.topic', 'form_data.newsletter', 'form_data.consent'])
    const good = await h.api(
      'POST',
      '/api/v1/form_responses',
      submission({ topic: 'Sales', consent: true }, { form_id: formId }),
    )
    expect(good.statusCode).toBe(201)
    const stored = (await h.api('GET', `/api/v1/form_responses/${good.json().id}`)).json()
    expect(stored.form_id).toBe(formId)
    const activities = (await h.api('GET', `/api/v1/activities?contact_id=${good.json().lead_id}`)).json().data
    expect(activities[0].summary).toBe('Form submitted: Contact us')
  })

  test('rejects an unknown form_id with a 422 naming form_id', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/form_responses', submission({}, { form_id: 'form_nope' }))
    expect(res.statusCode).toBe(422)
    expect(Object.keys(res.json().details)).toEqual(['form_id'])
  })

  test('takes domain_id as the domain’s id, its hostname in any case, or a URL of the site, and stores the id', async () => {
    const h = await testApp()
    const created = await h.api('POST', '/api/v1/domains', { hostname: 'www.shop-example.com' })
    const domainId = created.json().id
    for (const reference of [
      domainId,
      'www.shop-example.com',
      'WWW.Shop-Example.com.',
      'https://www.shop-example.com/contact',
    ]) {
      const res = await h.api('POST', '/api/v1/form_responses', submission({}, { domain_id: reference }))
      expect(res.statusCode).toBe(201)
      const stored = (await h.api('GET', `/api/v1/form_responses/${res.json().id}`)).json()
      expect(stored.domain_id).toBe(domainId)
    }
    const unknown = await h.api('POST', '/api/v1/form_responses', submission({}, { domain_id: 'your-domain-id' }))
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json().details.domain_id[0]).toMatch(/no domain "your-domain-id".*POST \/api\/v1\/domains/i)
  })

  test('answers 401 in the CallMeBack dialect, with the request id in the body and the header', async () => {
    const h = await testApp()
    for (const headers of [{ authorization: 'Bearer rk_live_notakeynotakeynotakeynotakey00' }, { authorization: '' }]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/form_responses', headers, payload: submission() })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ error: 'Invalid API key' })
      expect(res.json().request_id).toMatch(/^req_/)
      expect(res.json().request_id).toBe(res.headers['x-request-id'])
    }
    expect(await h.eventTypes()).toEqual([])
  })

  test('answers 429 in the CallMeBack dialect with retry_after and Retry-After', async () => {
    const h = await testApp({ plan: 'free' })
    let last = await h.api('POST', '/api/v1/form_responses', submission())
    for (let i = 0; i < 10 && last.statusCode !== 429; i++)
      last = await h.api('POST', '/api/v1/form_responses', submission())
    expect(last.statusCode).toBe(429)
    expect(last.json()).toMatchObject({ error: 'Rate limit exceeded', code: 'rate_limited' })
    expect(last.json().retry_after).toBeGreaterThan(0)
    expect(last.headers['retry-after']).toBe(String(last.json().retry_after))
    expect(last.json().request_id).toBe(last.headers['x-request-id'])
  })

  test('a free organization’s key captures leads: lead capture is on every plan', async () => {
    const h = await testApp({ plan: 'free' })
    const res = await h.api('POST', '/api/v1/form_responses', submission())
    expect(res.statusCode).toBe(201)
  })

  test('keeps live and test mode apart', async () => {
    const h = await testApp()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const id = (
      await h.api('POST', '/api/v1/form_responses', submission(), { authorization: `Bearer ${testKey}` })
    ).json().id
    expect((await h.api('GET', `/api/v1/form_responses/${id}`)).statusCode).toBe(404)
    expect((await h.api('GET', '/api/v1/form_responses')).json().data).toEqual([])
    expect(await h.eventTypes(h.org, false)).toContain('form_response.created')
    expect(await h.eventTypes()).toEqual([])
  })
})

describe('GET /api/v1/form_responses', () => {
  test('filters by form, domain and creation time, and pages', async () => {
    const h = await testApp()
    const formId = await newForm(h)
    const domainId = await newDomain(h)
    await h.api('POST', '/api/v1/form_responses', submission({}, { form_id: formId }))
    await h.api('POST', '/api/v1/form_responses', submission({}, { domain_id: domainId }))
    await h.api('POST', '/api/v1/form_responses', submission())
    const all = (await h.api('GET', '/api/v1/form_responses?limit=2')).json()
    expect(all.data).toHaveLength(2)
    expect(all.pagination).toMatchObject({ total: 3, has_more: true })
    const byForm = (await h.api('GET', `/api/v1/form_responses?form_id=${formId}`)).json().data
    expect(byForm.map((r: { form_id: string }) => r.form_id)).toEqual([formId])
    const byDomain = (await h.api('GET', `/api/v1/form_responses?domain_id=${domainId}`)).json().data
    expect(byDomain.map((r: { domain_id: string }) => r.domain_id)).toEqual([domainId])
    const future = (await h.api('GET', '/api/v1/form_responses?created_after=2999-01-01T00:00:00Z')).json()
    expect(future.pagination.total).toBe(0)
    const past = (await h.api('GET', '/api/v1/form_responses?created_before=2999-01-01T00:00:00Z')).json()
    expect(past.pagination.total).toBe(3)
  })
})

describe('the contact timeline', () => {
  test('shows each form response of the contact as form_response.created, filterable by type', async () => {
    const h = await testApp()
    const email = `tl.${Math.random().toString(36).slice(2)}@example.com`
    const first = (await h.api('POST', '/api/v1/form_responses', submission({ email }))).json()
    await h.api('POST', '/api/v1/form_responses', submission({ email }))
    const timeline = (
      await h.api('GET', `/api/v1/contacts/${first.lead_id}/timeline?type=form_response.created`)
    ).json()
    expect(timeline.data).toHaveLength(2)
    expect(timeline.data[1]).toMatchObject({
      type: 'form_response.created',
      occurred_at: first.created_at,
      object: { id: first.id, object: 'form_response', lead_id: first.lead_id },
    })
    const everything = (await h.api('GET', `/api/v1/contacts/${first.lead_id}/timeline`)).json()
    expect(everything.data.map((e: { type: string }) => e.type).sort()).toEqual([
      'activity',
      'activity',
      'form_response.created',
      'form_response.created',
    ])
  })
})
