import { createHmac } from 'node:crypto'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sarbacaneErrorHandler } from '../../src/modules/sarbacane/sarbacane.errors.js'
import type { Worker } from '../../src/webhook-worker/worker.js'
import { worker } from '../delivery/fixtures.js'
import { type TestApp, testApp } from '../harness.js'
import { startReceiver } from '../receiver.js'
import { listenOnLoopback, runCurl, type Swaps } from './examples.js'

/*
 * The curl examples of the email and form tool's API document (Sarbacane), run as written with a
 * real curl against Rapport on loopback. Swapped: the host, YOUR_ACCOUNTID / YOUR_API_KEY, the
 * {webhookId} / {formId} placeholders, the placeholder team ids, and the receiving `url` in the
 * body (the document's is a public site; tests talk to loopback only).
 */
const DOC_HOST = 'https://api.sarbacane.com'
const DOC_HOOK_URL = 'https://help.sarbacane.com/suite/'
const DOC_TEAM_IDS = ['9cee994b1836fe00018126b1', '9cee994b1836fe00018126b2']

const EXAMPLES = {
  createWebhookBasic: `curl -X POST "https://api.sarbacane.com/v1/webhooks"
-u "YOUR_ACCOUNTID:YOUR_API_KEY"
-d '{"url":"https://help.sarbacane.com/suite/","displayName":"webhook description","kinds":["HARD_BOUNCE", "FORM_SUBMIT"]}'`,
  createWebhookHeaders: `curl -X POST "https://api.sarbacane.com/v1/webhooks"
-H "accountId: YOUR_ACCOUNTID"
-H "apiKey: YOUR_API_KEY"
-d '{"url":"https://help.sarbacane.com/suite/","displayName":"webhook description","kinds":["HARD_BOUNCE", "FORM_SUBMIT"]}'`,
  listWebhooksBasic: `curl -X GET "https://api.sarbacane.com/v1/webhooks"
-u "YOUR_ACCOUNTID:YOUR_API_KEY"`,
  listWebhooksHeaders: `curl -X GET "https://api.sarbacane.com/v1/webhooks"
-H "accountId: YOUR_ACCOUNTID"
-H "apiKey: YOUR_API_KEY"`,
  getWebhookBasic: `curl -X GET "https://api.sarbacane.com/v1/webhooks/{webhookId}"
-u "YOUR_ACCOUNTID:YOUR_API_KEY"`,
  getWebhookHeaders: `curl -X GET "https://api.sarbacane.com/v1/webhooks/{webhookId}"
-H "accountId: YOUR_ACCOUNTID"
-H "apiKey: YOUR_API_KEY"`,
  listFormsBasic: `curl -X GET "https://api.sarbacane.com/v1/forms"
-u "YOUR_ACCOUNTID:YOUR_API_KEY"`,
  listFormsHeaders: `curl -X GET "https://api.sarbacane.com/v1/forms"
-H "accountId: YOUR_ACCOUNTID"
-H "apiKey: YOUR_API_KEY"`,
  getFormBasic: `curl -X GET "https://api.sarbacane.com/v1/forms/{formId}"
-u "YOUR_ACCOUNTID:YOUR_API_KEY"`,
  getFormHeaders: `curl -X GET "https://api.sarbacane.com/v1/forms/{formId}"
-H "accountId: YOUR_ACCOUNTID"
-H "apiKey: YOUR_API_KEY"`,
  renameFormBasic: `curl -X PUT "https://api.sarbacane.com/v1/forms/{formId}/name"
-u "YOUR_ACCOUNTID:YOUR_API_KEY"
-d '{"name": ["Name 1"]}'`,
  renameFormHeaders: `curl -X PUT "https://api.sarbacane.com/v1/forms/{formId}/name"
-H "accountId: YOUR_ACCOUNTID"
-H "apiKey: YOUR_API_KEY"
-d '{"name": ["Name 1"]}'`,
  // The document's Basic example under "List the teams of a form" is a PUT with a `name` body.
  listTeamsBasicAsPrinted: `curl -X PUT "https://api.sarbacane.com/v1/forms/{formId}/teams"
-u "YOUR_ACCOUNTID:YOUR_API_KEY"
-d '{"name": ["Name 1"]}'`,
  listTeamsHeaders: `curl -X GET "https://api.sarbacane.com/v1/forms/{formId}/teams"
-H "accountId: YOUR_ACCOUNTID"
-H "apiKey: YOUR_API_KEY"`,
  setTeamsBasic: `curl -X PUT "https://api.sarbacane.com/v1/forms/{formId}/teams"
-u "YOUR_ACCOUNTID:YOUR_API_KEY"
-d '{"teams": ["9cee994b1836fe00018126b1", "9cee994b1836fe00018126b2"]}'`,
  setTeamsHeaders: `curl -X PUT "https://api.sarbacane.com/v1/forms/{formId}/teams"
-H "accountId: YOUR_ACCOUNTID"
-H "apiKey: YOUR_API_KEY"
-d '{"teams": ["9cee994b1836fe00018126b1", "9cee994b1836fe00018126b2"]}'`,
}

let h: TestApp
let base: string
let receiver: Awaited<ReturnType<typeof startReceiver>>
let deliveryWorker: Worker
let swaps: Swaps

beforeAll(async () => {
  h = await testApp({ env: { RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' } })
  base = await listenOnLoopback(h.app)
  receiver = await startReceiver()
  deliveryWorker = await worker(h)
  swaps = { [DOC_HOST]: base, YOUR_ACCOUNTID: h.org.id, YOUR_API_KEY: h.org.key }
})
afterAll(async () => {
  await deliveryWorker?.stop(1000)
  await receiver?.close()
})

/** The example with its placeholders swapped (the hook URL only where the example has it). */
function run(example: string, extra: Swaps = {}) {
  const hook: Swaps = example.includes(DOC_HOOK_URL) ? { [DOC_HOOK_URL]: receiver.url } : {}
  return runCurl(example, { ...swaps, ...hook, ...extra })
}

async function newForm(name = 'Contact us') {
  const res = await h.api('POST', '/api/v1/forms', {
    name,
    fields: [
      { key: 'email', label: 'Email', type: 'email', required: true },
      { key: 'phone', label: 'Phone', type: 'phone' },
      { key: 'company', label: 'Company', type: 'text' },
    ],
  })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: string; name: string }
}

describe('the document’s webhook examples', () => {
  test('create (Basic and headers) answers 200 with the webhook object; list is a bare array; get answers one', async () => {
    const ids: string[] = []
    for (const example of [EXAMPLES.createWebhookBasic, EXAMPLES.createWebhookHeaders]) {
      const res = await run(example)
      expect(res.status).toBe(200)
      const webhook = res.json()
      expect(webhook).toEqual({
        id: expect.stringMatching(/^we_/),
        accountId: h.org.id,
        displayName: 'webhook description',
        url: receiver.url,
        kinds: ['HARD_BOUNCE', 'FORM_SUBMIT'],
        creationDate: expect.any(String),
      })
      expect(Number.isNaN(Date.parse(webhook.creationDate))).toBe(false)
      ids.push(webhook.id)
    }
    for (const example of [EXAMPLES.listWebhooksBasic, EXAMPLES.listWebhooksHeaders]) {
      const list = await run(example)
      expect(list.status).toBe(200)
      expect(Array.isArray(list.json())).toBe(true)
      expect(list.json().map((w: { id: string }) => w.id)).toEqual(expect.arrayContaining(ids))
    }
    for (const example of [EXAMPLES.getWebhookBasic, EXAMPLES.getWebhookHeaders]) {
      const one = await run(example, { '{webhookId}': ids[0]! })
      expect(one.status).toBe(200)
      expect(one.json()).toMatchObject({ id: ids[0], accountId: h.org.id, kinds: ['HARD_BOUNCE', 'FORM_SUBMIT'] })
    }
    const removed = await h.app.inject({
      method: 'DELETE',
      url: `/v1/webhooks/${ids[1]}`,
      headers: { accountid: h.org.id, apikey: h.org.key },
    })
    expect(removed.statusCode).toBe(200)
    expect(removed.json().id).toBe(ids[1])
    const gone = await run(EXAMPLES.getWebhookHeaders, { '{webhookId}': ids[1]! })
    expect(gone.status).toBe(404)
    expect(gone.json()).toMatchObject({ message: 'NOT_FOUND', code: 'not_found' })
  })

  test('a FORM_SUBMIT delivery to a webhook made by the example carries the form envelope, signed', async () => {
    const created = (await run(EXAMPLES.createWebhookHeaders)).json()
    const secret = (await h.api('GET', `/api/v1/webhook_endpoints/${created.id}/secret`)).json().secret
    const form = await newForm('Quote request')
    const before = receiver.received.length
    const res = await h.api('POST', '/api/v1/form_responses', {
      form_response: {
        form_id: form.id,
        form_data: { email: 'lead@example.com', phone: '+33 1 23 45 67 89', company: 'Acme' },
      },
    })
    expect(res.statusCode).toBe(201)
    // The webhook the first test made (FORM_SUBMIT to the same receiver) gets its own copy, signed
    // with its own secret, and the two arrive in either order: wait for this webhook's.
    const signedWithSecret = (r: { headers: Record<string, unknown>; body: string }) =>
      r.headers['x-webhook-signature'] === createHmac('sha256', secret).update(r.body).digest('hex')
    let delivery: (typeof receiver.received)[number] | undefined
    for (let n = before + 1; !delivery; n++) {
      await receiver.waitFor(n)
      delivery = receiver.received
        .slice(before)
        .find((r) => r.headers['x-webhook-event'] === 'FORM_SUBMIT' && signedWithSecret(r))
    }
    expect(JSON.parse(delivery.body)).toEqual({
      email: 'lead@example.com',
      phone: '+33 1 23 45 67 89',
      company: 'Acme',
      EMAIL: 'lead@example.com',
      PHONE: '+33 1 23 45 67 89',
      formId: form.id,
      formName: 'Quote request',
      listId: null,
    })
    expect(delivery.headers['x-webhook-signature']).toBe(
      createHmac('sha256', secret).update(delivery.body).digest('hex'),
    )
    await h.api('DELETE', `/api/v1/webhook_endpoints/${created.id}`)
  })

  test('a CAPTCHA delivery carries the same envelope for a refused submission, with the reason', async () => {
    const hook = await h.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { accountid: h.org.id, apikey: h.org.key, 'content-type': 'application/json' },
      payload: { url: receiver.url, displayName: 'refusals', kinds: ['CAPTCHA'] },
    })
    expect(hook.statusCode).toBe(200)
    const form = await newForm('Call me')
    const origin = 'https://www.example.com'
    const pk = (
      await h.api('POST', '/api/v1/api_keys', { type: 'publishable', name: 'site', allowed_origins: [origin] })
    ).json().key
    const site = { 'x-api-key': pk, origin }
    const definition = (
      await h.app.inject({ method: 'GET', url: `/api/v1/forms/${form.id}/public`, headers: site })
    ).json()
    const before = receiver.received.length
    const submitted = await h.app.inject({
      method: 'POST',
      url: `/api/v1/forms/${form.id}/submissions`,
      headers: site,
      payload: {
        data: { email: 'bot@example.com', company: 'Spam Inc', [definition.honeypot]: 'http://spam.example' },
        token: definition.token,
      },
    })
    expect(submitted.statusCode).toBe(201)
    await receiver.waitFor(before + 1)
    const delivery = receiver.received.slice(before).find((r) => r.headers['x-webhook-event'] === 'CAPTCHA')!
    expect(JSON.parse(delivery.body)).toEqual({
      email: 'bot@example.com',
      company: 'Spam Inc',
      EMAIL: 'bot@example.com',
      PHONE: null,
      formId: form.id,
      formName: 'Call me',
      listId: null,
      reason: 'honeypot',
    })
    await h.api('DELETE', `/api/v1/webhook_endpoints/${hook.json().id}`)
  })
})

describe('the document’s form examples', () => {
  test('list and get answer {id, name}; rename takes ["Name 1"]; teams are listed and replaced', async () => {
    const form = await newForm('Newsletter')
    for (const example of [EXAMPLES.listFormsBasic, EXAMPLES.listFormsHeaders]) {
      const list = await run(example)
      expect(list.status).toBe(200)
      expect(list.json()).toContainEqual({ id: form.id, name: 'Newsletter' })
    }
    for (const example of [EXAMPLES.getFormBasic, EXAMPLES.getFormHeaders]) {
      const one = await run(example, { '{formId}': form.id })
      expect(one.status).toBe(200)
      expect(one.json()).toEqual({ id: form.id, name: 'Newsletter' })
    }
    for (const example of [EXAMPLES.renameFormBasic, EXAMPLES.renameFormHeaders]) {
      const renamed = await run(example, { '{formId}': form.id })
      expect(renamed.status).toBe(200)
      expect(renamed.json()).toEqual({ id: form.id, name: 'Name 1' })
    }
    expect((await h.api('GET', `/api/v1/forms/${form.id}`)).json().name).toBe('Name 1')

    const teams = await Promise.all(
      ['Sales', 'Support'].map(async (name) => (await h.api('POST', '/api/v1/teams', { name })).json().id as string),
    )
    const teamSwaps = { '{formId}': form.id, [DOC_TEAM_IDS[0]!]: teams[0]!, [DOC_TEAM_IDS[1]!]: teams[1]! }
    for (const example of [EXAMPLES.setTeamsBasic, EXAMPLES.setTeamsHeaders]) {
      const set = await run(example, teamSwaps)
      expect(set.status).toBe(200)
      expect(set.json()).toEqual({ teams })
    }
    const listed = await run(EXAMPLES.listTeamsHeaders, { '{formId}': form.id })
    expect(listed.status).toBe(200)
    expect(listed.json()).toEqual({ teams })
  })

  test('the Basic "list teams" example as printed (a PUT with a name body) is a 422 saying teams is required', async () => {
    const form = await newForm()
    const res = await run(EXAMPLES.listTeamsBasicAsPrinted, { '{formId}': form.id })
    expect(res.status).toBe(422)
    expect(res.json()).toMatchObject({ message: 'VALIDATION_FAILED', code: 'validation_failed' })
    expect(res.json().details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['teams']))
  })
})

const v1 = (method: 'GET' | 'PUT' | 'POST', url: string, headers: Record<string, string>, payload?: string) =>
  h.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })

describe('/v1 credentials and errors', () => {
  test('missing account id → 401 NEED_ACCOUNT_ID; missing key → 401 NEED_API_KEY, in every credential form', async () => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    const cases: [Record<string, string>, string][] = [
      [{}, 'NEED_ACCOUNT_ID'],
      [{ apikey: h.org.key }, 'NEED_ACCOUNT_ID'],
      [{ authorization: `Bearer ${h.org.key}` }, 'NEED_ACCOUNT_ID'],
      [{ accountid: h.org.id }, 'NEED_API_KEY'],
      [{ authorization: basic(h.org.id, '') }, 'NEED_API_KEY'],
    ]
    for (const [headers, message] of cases) {
      for (const url of ['/v1/webhooks', '/v1/forms']) {
        const res = await v1('GET', url, headers)
        expect(res.statusCode).toBe(401)
        expect(res.json()).toEqual({
          message,
          description: expect.any(String),
          code: 'unauthenticated',
          request_id: res.headers['x-request-id'],
        })
      }
    }
  })

  test('an invalid key, or one of another account, is API_KEY_UNAUTHORIZED: 400 on webhooks, 401 on forms', async () => {
    const other = await h.newOrg()
    const cases = [
      { accountid: h.org.id, apikey: 'rk_live_not_a_key' },
      { accountid: h.org.id, apikey: other.key },
    ]
    for (const headers of cases) {
      const hooks = await v1('GET', '/v1/webhooks', headers)
      expect(hooks.statusCode).toBe(400)
      expect(hooks.json()).toMatchObject({ message: 'API_KEY_UNAUTHORIZED', code: 'invalid_api_key' })
      const forms = await v1('GET', '/v1/forms', headers)
      expect(forms.statusCode).toBe(401)
      expect(forms.json()).toMatchObject({ message: 'API_KEY_UNAUTHORIZED', code: 'invalid_api_key' })
    }
  })

  test('an unexpected failure is a 500 INTERNAL_SERVER_ERROR that leaks nothing', async () => {
    const app = Fastify({ logger: false })
    app.setErrorHandler(sarbacaneErrorHandler)
    app.get('/v1/boom', async () => {
      throw new Error('connection string postgres://secret@db')
    })
    const res = await app.inject({ method: 'GET', url: '/v1/boom' })
    await app.close()
    expect(res.statusCode).toBe(500)
    expect(res.json()).toMatchObject({ message: 'INTERNAL_SERVER_ERROR', code: 'internal_error' })
    expect(res.body).not.toContain('secret')
  })

  test('another account’s form is a 404 NOT_FOUND; an unknown /v1 route a 404 in the /v1 body', async () => {
    const other = await h.newOrg()
    const theirs = (
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/forms',
        headers: { authorization: `Bearer ${other.key}` },
        payload: { name: 'Theirs' },
      })
    ).json()
    const mine = { accountid: h.org.id, apikey: h.org.key }
    const res = await v1('GET', `/v1/forms/${theirs.id}`, mine)
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ message: 'NOT_FOUND', code: 'not_found' })
    const unknown = await v1('GET', '/v1/lists', mine)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ message: 'ROUTE_NOT_FOUND', code: 'route_not_found' })
  })

  test('rename: a bare string works, more than one element is a 422 naming name', async () => {
    const form = await newForm()
    const headers = { accountid: h.org.id, apikey: h.org.key, 'content-type': 'application/json' }
    const plain = await v1('PUT', `/v1/forms/${form.id}/name`, headers, '{"name":"Plain"}')
    expect(plain.statusCode).toBe(200)
    expect(plain.json()).toEqual({ id: form.id, name: 'Plain' })
    const two = await v1('PUT', `/v1/forms/${form.id}/name`, headers, '{"name":["A","B"]}')
    expect(two.statusCode).toBe(422)
    expect(two.json()).toMatchObject({ message: 'VALIDATION_FAILED', details: [{ field: 'name' }] })
    expect((await h.api('GET', `/api/v1/forms/${form.id}`)).json().name).toBe('Plain')
    const extra = await v1('PUT', `/v1/forms/${form.id}/name`, headers, '{"name":"X","color":"red"}')
    expect(extra.statusCode).toBe(422)
    expect(extra.json().details).toEqual([{ field: 'color', message: expect.any(String) }])
  })

  test('the /v1 plugin leaves the native routes’ strict validation alone: unknown fields stay a 422', async () => {
    const res = await h.api('POST', '/api/v1/tasks', { title: 'Strict', colour: 'red' })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([{ field: 'colour', message: expect.any(String) }])
  })

  test('forms list: limit up to 1000 with offset; 1001 is refused in the /v1 body', async () => {
    const headers = { accountid: h.org.id, apikey: h.org.key }
    const all = (await v1('GET', '/v1/forms?limit=1000', headers)).json() as { id: string }[]
    expect(all.length).toBeGreaterThan(1)
    const second = await v1('GET', '/v1/forms?offset=1&limit=1', headers)
    expect(second.json()).toEqual([all[1]])
    const tooMany = await v1('GET', '/v1/forms?limit=1001', headers)
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json()).toMatchObject({ message: 'INVALID_QUERY', code: 'invalid_query' })
  })
})

describe('bodies labelled application/x-www-form-urlencoded', () => {
  test('are read as JSON on /v1 when the text is a JSON object; form data stays a 415', async () => {
    const form = await newForm()
    const headers = {
      accountid: h.org.id,
      apikey: h.org.key,
      'content-type': 'application/x-www-form-urlencoded',
    }
    const json = await v1('PUT', `/v1/forms/${form.id}/name`, headers, '{"name":["Labelled"]}')
    expect(json.statusCode).toBe(200)
    expect(json.json().name).toBe('Labelled')
    const formData = await v1('PUT', `/v1/forms/${form.id}/name`, headers, 'name=Labelled')
    expect(formData.statusCode).toBe(415)
    expect(formData.json()).toMatchObject({ message: 'UNSUPPORTED_MEDIA_TYPE' })
  })

  test('stay a 415 with the native error body everywhere else', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: { authorization: `Bearer ${h.org.key}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: JSON.stringify({ url: receiver.url, kinds: ['FORM_SUBMIT'] }),
    })
    expect(res.statusCode).toBe(415)
    expect(res.json().error).toMatchObject({ code: 'unsupported_media_type' })
  })
})
