import type { InjectOptions } from 'fastify'
import { describe, expect, test } from 'vitest'
import { FormTokens, formTokenKey } from '../../src/modules/leads/public/form-token.js'
import { type TestApp, testApp } from '../harness.js'
import { newForm } from '../route-tables/leads.js'

const ORIGIN = 'https://www.example.com'
const EVIL = 'https://evil.example.net'
/** The master key test/harness.ts gives every test app. */
const TEST_MASTER_KEY = Buffer.alloc(32, 1)
const unique = () => Math.random().toString(36).slice(2, 10)

const FIELDS = [
  { key: 'name', label: 'Your name', type: 'text', required: true },
  { key: 'email', label: 'Your email', type: 'email', required: true },
  { key: 'phone', label: 'Phone', type: 'phone' },
  { key: 'topic', label: 'Topic', type: 'select', options: ['Sales', 'Support'] },
  { key: 'newsletter', label: 'Send me news', type: 'checkbox' },
  { key: 'message', label: 'Message', type: 'textarea' },
  { key: 'consent', label: 'I agree that Acme stores my data to answer me.', type: 'consent', required: true },
]

type Response = Awaited<ReturnType<TestApp['api']>>

interface Site {
  h: TestApp
  formId: string
  pk: string
  pkId: string
  /** GET the public definition (with the pk, from ORIGIN unless told). */
  definition(opts?: { id?: string; headers?: Record<string, string>; ip?: string }): Promise<Response>
  /** POST a submission; `data` is merged over a valid one, token fetched unless given. */
  submit(
    data?: Record<string, unknown>,
    opts?: {
      token?: string
      headers?: Record<string, string>
      body?: Record<string, unknown>
      ip?: string
      id?: string
    },
  ): Promise<Response>
  validData(): Record<string, unknown>
  responsesOfForm(): Promise<number>
}

async function site(h: TestApp, opts: { mode?: 'live' | 'test'; secretKey?: string } = {}): Promise<Site> {
  const secret = opts.secretKey ?? h.org.key
  const auth = { authorization: `Bearer ${secret}` }
  const formId = await newForm(h, secret, {
    name: 'Contact us',
    fields: FIELDS,
    success_message: 'Thanks!',
    redirect_url: 'https://www.example.com/thanks',
  })
  const created = await h.api(
    'POST',
    '/api/v1/api_keys',
    { name: 'Website', type: 'publishable', mode: opts.mode ?? 'live', allowed_origins: [ORIGIN] },
    auth,
  )
  if (created.statusCode !== 201) throw new Error(created.body)
  const pk = created.json().key as string
  const pkId = created.json().id as string
  const send = (o: InjectOptions, ip?: string) => h.app.inject({ ...o, ...(ip ? { remoteAddress: ip } : {}) })
  const definition: Site['definition'] = (o = {}) =>
    send(
      {
        method: 'GET',
        url: `/api/v1/forms/${o.id ?? formId}/public`,
        headers: { 'x-api-key': pk, origin: ORIGIN, ...o.headers },
      },
      o.ip,
    )
  const validData = () => ({
    name: 'Jane Visitor',
    email: `jane.${unique()}@example.com`,
    consent: true,
    website: '',
  })
  const submit: Site['submit'] = async (data = {}, o = {}) => {
    const token = o.token ?? (await definition({ ...(o.ip ? { ip: o.ip } : {}) })).json().token
    return send(
      {
        method: 'POST',
        url: `/api/v1/forms/${o.id ?? formId}/submissions`,
        headers: { 'x-api-key': pk, origin: ORIGIN, ...o.headers },
        payload: { data: { ...validData(), ...data }, token, source_url: 'https://www.example.com/contact', ...o.body },
      },
      o.ip,
    )
  }
  const responsesOfForm = async () =>
    Number(
      (
        await h.deps.db
          .selectFrom('form_responses')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('form_id', '=', formId)
          .executeTakeFirstOrThrow()
      ).n,
    )
  return { h, formId, pk, pkId, definition, submit, validData, responsesOfForm }
}

async function eventsOf(h: TestApp, type: string) {
  const rows = await h.deps.db
    .selectFrom('events')
    .select('data')
    .where('org_id', '=', h.org.id)
    .where('type', '=', type)
    .execute()
  return rows.map((r) => r.data as Record<string, unknown>)
}

const instant = { env: { RAPPORT_FORM_MIN_FILL_MS: '0' } }

describe('GET /api/v1/forms/:id/public', () => {
  test('answers what a widget needs and nothing private, with a token and a honeypot', async () => {
    const s = await site(await testApp(instant))
    const res = await s.definition()
    expect(res.statusCode).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN)
    expect(res.headers['cache-control']).toBe('no-store')
    const form = res.json()
    expect(Object.keys(form).sort()).toEqual([
      'fields',
      'honeypot',
      'id',
      'min_fill_ms',
      'name',
      'object',
      'redirect_url',
      'submit_url',
      'success_message',
      'token',
      'token_expires_at',
    ])
    expect(form).toMatchObject({
      id: s.formId,
      object: 'public_form',
      name: 'Contact us',
      success_message: 'Thanks!',
      redirect_url: 'https://www.example.com/thanks',
      honeypot: 'website',
      // The test app's RAPPORT_FORM_MIN_FILL_MS: a well-behaved client waits this long.
      min_fill_ms: 0,
    })
    expect(form.fields).toHaveLength(FIELDS.length)
    expect(form.fields[3]).toEqual({
      key: 'topic',
      label: 'Topic',
      type: 'select',
      required: false,
      options: ['Sales', 'Support'],
    })
    expect(form.submit_url).toMatch(new RegExp(`/api/v1/forms/${s.formId}/submissions$`))
    expect(form.token.split('.')).toHaveLength(4)
    expect(JSON.stringify(form)).not.toMatch(/team_ids|callback_enabled|org_/)
  })

  test('takes the key in ?key= too', async () => {
    const s = await site(await testApp(instant))
    const res = await s.h.app.inject({
      method: 'GET',
      url: `/api/v1/forms/${s.formId}/public?key=${s.pk}`,
      headers: { origin: ORIGIN },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().id).toBe(s.formId)
  })

  test('`default` is the oldest form of the organization; none yet is a 404', async () => {
    const h = await testApp(instant)
    const s = await site(h)
    await newForm(h)
    const res = await s.definition({ id: 'default' })
    expect(res.statusCode).toBe(200)
    expect(res.json().id).toBe(s.formId)
    const submitted = await s.submit({}, { id: 'default', token: res.json().token })
    expect(submitted.statusCode).toBe(201)

    const other = await h.newOrg()
    const pk = (
      await h.api(
        'POST',
        '/api/v1/api_keys',
        { type: 'publishable', allowed_origins: [ORIGIN] },
        { authorization: `Bearer ${other.key}` },
      )
    ).json().key
    const none = await h.app.inject({
      method: 'GET',
      url: '/api/v1/forms/default/public',
      headers: { 'x-api-key': pk, origin: ORIGIN },
    })
    expect(none.statusCode).toBe(404)
  })

  test('another organization’s form is a 404', async () => {
    const h = await testApp(instant)
    const s = await site(h)
    const other = await h.newOrg()
    const theirs = await newForm(h, other.key)
    expect((await s.definition({ id: theirs })).statusCode).toBe(404)
  })

  test('a secret key (valid, revoked or unknown) is a 401 telling to use a publishable key, and records nothing', async () => {
    const s = await site(await testApp(instant))
    const before = await s.h.eventTypes()
    const revoked = (await s.h.api('POST', '/api/v1/api_keys', { name: 'gone' })).json()
    await s.h.api('DELETE', `/api/v1/api_keys/${revoked.id}`)
    for (const key of [s.h.org.key, revoked.key, 'rk_test_notarealkeynotarealkey000']) {
      for (const res of [
        await s.definition({ headers: { 'x-api-key': key } }),
        await s.submit({}, { token: 'x', headers: { 'x-api-key': key } }),
      ]) {
        expect(res.statusCode).toBe(401)
        expect(res.json().error.code).toBe('invalid_api_key')
        expect(res.json().error.message).toMatch(/secret key .* cannot be used from a web page/)
        expect(res.json().error.message).toMatch(/publishable key \(pk_live_/)
        expect(res.headers['access-control-allow-origin']).toBeUndefined()
      }
    }
    expect((await s.h.eventTypes()).length).toBe(before.length)
  })

  test('no key, or a revoked one, is a 401', async () => {
    const s = await site(await testApp(instant))
    expect((await s.definition({ headers: { 'x-api-key': '' } })).statusCode).toBe(401)
    await s.h.api('DELETE', `/api/v1/api_keys/${s.pkId}`)
    await new Promise((r) => setTimeout(r, s.h.deps.config.keyCacheMs + 50))
    expect((await s.definition()).statusCode).toBe(401)
  })
})

describe('origins and CORS', () => {
  test('a preflight from an allowed origin is answered with the CORS headers', async () => {
    const s = await site(await testApp(instant))
    for (const [path, method] of [
      ['submissions', 'POST'],
      ['public', 'GET'],
    ] as const) {
      const res = await s.h.app.inject({
        method: 'OPTIONS',
        url: `/api/v1/forms/${s.formId}/${path}`,
        headers: { origin: ORIGIN, 'access-control-request-method': method },
      })
      expect(res.statusCode).toBe(204)
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN)
      expect(res.headers['access-control-allow-methods']).toBe(method)
      expect(res.headers['access-control-allow-headers']).toBe('content-type, x-api-key, idempotency-key')
      expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0)
      expect(res.headers.vary).toMatch(/Origin/)
    }
    const byKey = await s.h.app.inject({
      method: 'OPTIONS',
      url: `/api/v1/forms/default/submissions?key=${s.pk}`,
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    })
    expect(byKey.headers['access-control-allow-origin']).toBe(ORIGIN)
  })

  test('a preflight from another origin gets no CORS headers', async () => {
    const s = await site(await testApp(instant))
    for (const url of [
      `/api/v1/forms/${s.formId}/submissions`,
      `/api/v1/forms/default/submissions?key=${s.pk}`,
      `/api/v1/forms/default/submissions`,
      `/api/v1/forms/form_doesnotexist/submissions`,
    ]) {
      const res = await s.h.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: EVIL, 'access-control-request-method': 'POST' },
      })
      expect(res.statusCode, url).toBe(204)
      expect(res.headers['access-control-allow-origin'], url).toBeUndefined()
      expect(res.headers['access-control-allow-methods'], url).toBeUndefined()
    }
  })

  test('a forged or missing Origin is a 403 and nothing is stored', async () => {
    const s = await site(await testApp(instant))
    const token = (await s.definition()).json().token
    const forged = await s.submit({}, { token, headers: { origin: EVIL } })
    expect(forged.statusCode).toBe(403)
    expect(forged.json().error.message).toMatch(/not allowed for this publishable key/)
    expect(forged.headers['access-control-allow-origin']).toBeUndefined()
    const noOrigin = await s.h.app.inject({
      method: 'POST',
      url: `/api/v1/forms/${s.formId}/submissions`,
      headers: { 'x-api-key': s.pk },
      payload: { data: s.validData(), token },
    })
    expect(noOrigin.statusCode).toBe(403)
    expect((await s.definition({ headers: { origin: EVIL } })).statusCode).toBe(403)
    expect(await s.responsesOfForm()).toBe(0)
  })
})

describe('POST /api/v1/forms/:id/submissions', () => {
  test('stores the response, creates the contact visible through the API, and never names it', async () => {
    const h = await testApp(instant)
    const s = await site(h)
    const email = `Jane.${unique()}@Example.com`
    const res = await s.submit({ email, phone: '+44 20 7946 0958', topic: 'Sales', newsletter: true, message: 'Hi' })
    expect(res.statusCode).toBe(201)
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN)
    const answer = res.json()
    expect(Object.keys(answer).sort()).toEqual(['id', 'redirect_url', 'status', 'success_message'])
    expect(answer).toMatchObject({
      status: 'created',
      success_message: 'Thanks!',
      redirect_url: 'https://www.example.com/thanks',
    })
    expect(answer.id).toMatch(/^fr_/)
    const stored = await h.api('GET', `/api/v1/form_responses/${answer.id}`)
    expect(stored.statusCode).toBe(200)
    expect(stored.json()).toMatchObject({
      form_id: s.formId,
      source_url: 'https://www.example.com/contact',
      ip_address: '127.0.0.1',
      form_data: { name: 'Jane Visitor', topic: 'Sales', newsletter: true, consent: true },
    })
    expect(stored.json().form_data.website).toBeUndefined()
    const contact = (await h.api('GET', `/api/v1/contacts/${stored.json().lead_id}`)).json()
    expect(contact).toMatchObject({ name: 'Jane Visitor', status: 'lead', source: 'lead_capture' })
    expect(contact.email.toLowerCase()).toBe(email.toLowerCase())
    const types = await h.eventTypes()
    expect(types).toEqual(expect.arrayContaining(['contact.created', 'activity.created', 'form_response.created']))
  })

  test('stores each consent with the text shown, the time and the page', async () => {
    const h = await testApp(instant)
    const s = await site(h)
    const before = Date.now()
    const res = await s.submit()
    const stored = (await h.api('GET', `/api/v1/form_responses/${res.json().id}`)).json()
    const [consent] = stored.form_data._consents
    expect(consent).toMatchObject({
      key: 'consent',
      text: 'I agree that Acme stores my data to answer me.',
      source_url: 'https://www.example.com/contact',
    })
    expect(Date.parse(consent.accepted_at)).toBeGreaterThanOrEqual(before - 1000)
  })

  test('validates each field by type; the 422 names data.<key> and nothing is stored', async () => {
    const s = await site(await testApp(instant))
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'not-an-email' }, 'data.email'],
      [{ email: '' }, 'data.email'],
      [{ name: '' }, 'data.name'],
      [{ phone: 'call me maybe' }, 'data.phone'],
      [{ topic: 'Hiring' }, 'data.topic'],
      [{ newsletter: 'yes' }, 'data.newsletter'],
      [{ consent: false }, 'data.consent'],
      [{ message: true }, 'data.message'],
      [{ favourite_colour: 'blue' }, 'data.favourite_colour'],
    ]
    for (const [data, field] of cases) {
      const res = await s.submit(data)
      expect(res.statusCode, JSON.stringify(data)).toBe(422)
      // The widget can read the error: the CORS header is on errors too.
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN)
      expect(
        res.json().error.details.map((d: { field: string }) => d.field),
        JSON.stringify(data),
      ).toContain(field)
    }
    expect(await s.responsesOfForm()).toBe(0)
  })

  test('a strict body: unknown top-level fields and a non-web source_url are 422', async () => {
    const s = await site(await testApp(instant))
    const extra = await s.submit({}, { body: { form_id: 'x' } })
    expect(extra.statusCode).toBe(422)
    const url = await s.submit({}, { body: { source_url: 'javascript:alert(1)' } })
    expect(url.statusCode).toBe(422)
    expect(url.json().error.details[0].field).toBe('source_url')
    expect(await s.responsesOfForm()).toBe(0)
  })

  test('scripts in values are stored as plain text and only ever answered as JSON', async () => {
    const h = await testApp(instant)
    const s = await site(h)
    const script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    const res = await s.submit({ name: script, message: script })
    expect(res.statusCode).toBe(201)
    const stored = await h.api('GET', `/api/v1/form_responses/${res.json().id}`)
    expect(stored.headers['content-type']).toMatch(/^application\/json/)
    expect(stored.json().form_data.message).toBe(script)
    expect((await h.api('GET', `/api/v1/contacts/${stored.json().lead_id}`)).json().name).toBe(script)
  })

  test('an oversized submission is a 413 and nothing is stored', async () => {
    const s = await site(await testApp(instant))
    const res = await s.submit({ message: 'x'.repeat(70 * 1024) })
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toMatchObject({ code: 'payload_too_large' })
    expect(res.json().error.message).toMatch(/64 KB/)
    expect(await s.responsesOfForm()).toBe(0)
  })

  test('a filled honeypot gets a normal-looking 201, stores nothing, and records form_response.rejected', async () => {
    const h = await testApp(instant)
    const s = await site(h)
    const res = await s.submit({ website: 'https://spam.example' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ status: 'created', success_message: 'Thanks!' })
    expect(res.json().id).toMatch(/^fr_/)
    expect((await h.api('GET', `/api/v1/form_responses/${res.json().id}`)).statusCode).toBe(404)
    expect(await s.responsesOfForm()).toBe(0)
    const types = await h.eventTypes()
    expect(types).not.toContain('contact.created')
    const [rejected] = await eventsOf(h, 'form_response.rejected')
    expect(rejected).toMatchObject({ form_id: s.formId, reason: 'honeypot' })
    expect(Number.isNaN(Date.parse(rejected!.rejected_at as string))).toBe(false)
  })

  test('a submission sooner than RAPPORT_FORM_MIN_FILL_MS gets a fake 201 and is rejected as too_fast', async () => {
    const h = await testApp({ env: { RAPPORT_FORM_MIN_FILL_MS: '60000' } })
    const s = await site(h)
    const res = await s.submit()
    expect(res.statusCode).toBe(201)
    expect(res.json().status).toBe('created')
    expect(await s.responsesOfForm()).toBe(0)
    const [rejected] = await eventsOf(h, 'form_response.rejected')
    expect(rejected).toMatchObject({ form_id: s.formId, reason: 'too_fast' })
  })

  test('the minimum fill time defaults to 3 s', async () => {
    const h = await testApp()
    expect(h.deps.config.formMinFillMs).toBe(3000)
    const s = await site(h)
    expect((await s.submit()).statusCode).toBe(201)
    expect(await s.responsesOfForm()).toBe(0)
  })

  test('an expired, forged or foreign token is a 422 naming token', async () => {
    const h = await testApp(instant)
    const s = await site(h)
    const token: string = (await s.definition()).json().token
    const [, keyId] = token.split('.')
    const tokens = new FormTokens(() => formTokenKey(TEST_MASTER_KEY))
    const expired = tokens.sign({ formId: s.formId, keyId: keyId!, issuedAtMs: Date.now() - 25 * 3600_000 })
    const otherForm = await newForm(h)
    const foreign = tokens.sign({ formId: otherForm, keyId: keyId!, issuedAtMs: Date.now() - 10_000 })
    const wrongSecret = new FormTokens(() => formTokenKey(Buffer.alloc(32, 2))).sign({
      formId: s.formId,
      keyId: keyId!,
      issuedAtMs: Date.now() - 10_000,
    })
    const tampered = token.replace(/\.\d+\./, `.${Date.now() - 10_000}.`)
    for (const [bad, message] of [
      [expired, /expired/],
      [foreign, /Invalid/],
      [wrongSecret, /Invalid/],
      [tampered, /Invalid/],
      ['garbage', /Invalid/],
    ] as const) {
      const res = await s.submit({}, { token: bad })
      expect(res.statusCode, bad).toBe(422)
      expect(res.json().error.details[0].field).toBe('token')
      expect(res.json().error.message).toMatch(message)
    }
    expect(tampered).not.toBe(token)
    expect(await s.responsesOfForm()).toBe(0)
  })

  test('a double click with one Idempotency-Key stores one response', async () => {
    const s = await site(await testApp(instant))
    const token = (await s.definition()).json().token
    const data = s.validData()
    const headers = { 'idempotency-key': `submit-${unique()}` }
    const first = await s.submit(data, { token, headers })
    const second = await s.submit(data, { token, headers })
    expect(first.statusCode).toBe(201)
    expect(second.statusCode).toBe(201)
    expect(second.json().id).toBe(first.json().id)
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect(await s.responsesOfForm()).toBe(1)
  })

  test('a test-mode publishable key writes test-mode data only', async () => {
    const h = await testApp(instant)
    const testSecret = await h.newKey(h.org.id, { mode: 'test' })
    const s = await site(h, { mode: 'test', secretKey: testSecret })
    const res = await s.submit()
    expect(res.statusCode).toBe(201)
    const id = res.json().id
    expect((await h.api('GET', `/api/v1/form_responses/${id}`)).statusCode).toBe(404)
    const inTest = await h.api('GET', `/api/v1/form_responses/${id}`, undefined, {
      authorization: `Bearer ${testSecret}`,
    })
    expect(inTest.statusCode).toBe(200)
    const row = await h.deps.db
      .selectFrom('form_responses')
      .select('livemode')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.livemode).toBe(false)
  })

  test('a flood from one address is cut at the public write budget with 429 and Retry-After', async () => {
    const h = await testApp(instant)
    const s = await site(h)
    // A /64 of its own: with Redis, counters outlive a test run.
    const ip = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}::5`
    const token = (await s.definition({ ip })).json().token
    const limit = h.deps.config.publicRateLimits.write
    const statuses: number[] = []
    for (let i = 0; i <= limit; i++) statuses.push((await s.submit({}, { token, ip })).statusCode)
    expect(statuses.slice(0, limit).every((c) => c === 201)).toBe(true)
    const over = await s.submit({}, { token, ip })
    expect(over.statusCode).toBe(429)
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0)
    expect(await s.responsesOfForm()).toBe(limit)
    // Another address, and another organization, are unaffected.
    expect((await s.submit({}, { token, ip: '198.51.100.9' })).statusCode).toBe(201)
  })

  test('one publishable key is cut at 60 submissions a minute; its definitions and other organizations are unaffected', async () => {
    const h = await testApp(instant)
    const s = await site(h)
    const token = (await s.definition()).json().token
    const codes: number[] = []
    for (let i = 0; i < 60; i++) codes.push((await s.submit({}, { token: 'bad' })).statusCode)
    expect(codes.every((c) => c === 422)).toBe(true)
    const over = await s.submit({}, { token })
    expect(over.statusCode).toBe(429)
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0)
    expect(over.json().error.message).toMatch(/publishable key/)
    expect((await s.definition()).statusCode).toBe(200)

    const other = await h.newOrg()
    const otherSite = await site({
      ...h,
      org: other,
      api: (m, u, b, hd) => h.api(m, u, b, { authorization: `Bearer ${other.key}`, ...hd }),
    })
    expect((await otherSite.submit()).statusCode).toBe(201)
  })
})
