import { beforeAll, describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'

const env = { RAPPORT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }
/** A public IP literal: accepted without DNS (the tests have none). */
const URL_A = 'https://93.184.216.34/compat'
const as = (key: string) => ({ authorization: `Bearer ${key}` })

describe('/api/v1/webhooks (compatibility shape)', () => {
  let h: TestApp
  beforeAll(async () => {
    h = await testApp({ env })
  })

  test('creates a webhook with 200 and answers in the compatibility shape, field for field', async () => {
    const res = await h.api('POST', '/api/v1/webhooks', {
      url: URL_A,
      displayName: 'CRM sync',
      kinds: ['FORM_SUBMIT', 'HARD_BOUNCE'],
    })
    expect(res.statusCode).toBe(200)
    const webhook = res.json()
    expect(Object.keys(webhook)).toEqual(['id', 'accountId', 'displayName', 'url', 'kinds', 'creationDate'])
    expect(webhook).toEqual({
      id: expect.stringMatching(/^we_[0-9a-z]{26}$/),
      accountId: h.org.id,
      displayName: 'CRM sync',
      url: URL_A,
      kinds: ['FORM_SUBMIT', 'HARD_BOUNCE'],
      creationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    })
    // The same endpoint underneath, subscribed to the catalog events, with a secret of its own.
    const endpoint = (await h.api('GET', `/api/v1/webhook_endpoints/${webhook.id}`)).json()
    expect(endpoint).toMatchObject({
      events: ['form_response.created', 'email.hard_bounced'],
      url: URL_A,
      created_at: webhook.creationDate,
    })
    expect((await h.api('GET', `/api/v1/webhook_endpoints/${webhook.id}/secret`)).json().secret).toMatch(/^whsec_/)
    const row = await h.deps.db
      .selectFrom('webhook_endpoints')
      .select(['display_name', 'kinds'])
      .where('id', '=', webhook.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ display_name: 'CRM sync', kinds: ['FORM_SUBMIT', 'HARD_BOUNCE'] })
  })

  test('maps every kind to its catalog event', async () => {
    const mapping = {
      FORM_SUBMIT: 'form_response.created',
      SUCCESSFUL: 'email.delivered',
      OPEN: 'email.opened',
      HIT: 'email.clicked',
      SOFT_BOUNCE: 'email.soft_bounced',
      HARD_BOUNCE: 'email.hard_bounced',
      COMPLAINT: 'email.complained',
      UNSUBSCRIBE: 'email.unsubscribed',
      CAPTCHA: 'form_response.rejected',
    }
    const webhook = (await h.api('POST', '/api/v1/webhooks', { url: URL_A, kinds: Object.keys(mapping) })).json()
    expect(webhook.kinds).toEqual(Object.keys(mapping))
    expect(webhook.displayName).toBeNull()
    const endpoint = (await h.api('GET', `/api/v1/webhook_endpoints/${webhook.id}`)).json()
    expect(endpoint.events).toEqual(Object.values(mapping))
  })

  test('refuses an unknown kind with 422 in the standard error body', async () => {
    const res = await h.api('POST', '/api/v1/webhooks', { url: URL_A, kinds: ['FORM_SUBMIT', 'CLICK'] })
    expect(res.statusCode).toBe(422)
    expect(res.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.stringContaining('kinds.1'),
        details: [{ field: 'kinds.1', message: expect.stringContaining('FORM_SUBMIT') }],
        request_id: expect.any(String),
      },
    })
    const refused = await h.api('POST', '/api/v1/webhooks', { url: 'https://127.0.0.1/', kinds: ['OPEN'] })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().error.details).toEqual([{ field: 'url', message: 'Is a loopback address (127.0.0.1)' }])
  })

  test('lists every endpoint of the mode as a plain array, oldest first, native ones included', async () => {
    const org = await h.newOrg()
    const first = (
      await h.api('POST', '/api/v1/webhooks', { url: URL_A, displayName: 'one', kinds: ['OPEN'] }, as(org.key))
    ).json()
    const native = (
      await h.api(
        'POST',
        '/api/v1/webhook_endpoints',
        { url: URL_A, description: 'native', events: ['email.clicked', 'contact.created'] },
        as(org.key),
      )
    ).json()
    const all = (await h.api('POST', '/api/v1/webhook_endpoints', { url: URL_A, events: ['*'] }, as(org.key))).json()
    const testKey = await h.newKey(org.id, { mode: 'test' })
    await h.api('POST', '/api/v1/webhooks', { url: URL_A, kinds: ['OPEN'] }, as(testKey))

    const res = await h.api('GET', '/api/v1/webhooks', undefined, as(org.key))
    expect(res.statusCode).toBe(200)
    const list = res.json()
    expect(Array.isArray(list)).toBe(true)
    expect(list).toEqual([
      first,
      {
        id: native.id,
        accountId: org.id,
        displayName: 'native',
        url: URL_A,
        kinds: ['HIT'],
        creationDate: native.created_at,
      },
      {
        id: all.id,
        accountId: org.id,
        displayName: null,
        url: URL_A,
        kinds: [
          'FORM_SUBMIT',
          'SUCCESSFUL',
          'OPEN',
          'HIT',
          'SOFT_BOUNCE',
          'HARD_BOUNCE',
          'COMPLAINT',
          'UNSUBSCRIBE',
          'CAPTCHA',
        ],
        creationDate: all.created_at,
      },
    ])
    expect((await h.api('GET', '/api/v1/webhooks', undefined, as(testKey))).json()).toHaveLength(1)
  })

  test('gets and deletes a webhook; another organization or mode gets 404', async () => {
    const webhook = (await h.api('POST', '/api/v1/webhooks', { url: URL_A, kinds: ['COMPLAINT'] })).json()
    const other = await h.newOrg()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    for (const key of [other.key, testKey]) {
      expect((await h.api('GET', `/api/v1/webhooks/${webhook.id}`, undefined, as(key))).statusCode).toBe(404)
      expect((await h.api('DELETE', `/api/v1/webhooks/${webhook.id}`, undefined, as(key))).statusCode).toBe(404)
    }
    const got = await h.api('GET', `/api/v1/webhooks/${webhook.id}`)
    expect(got.statusCode).toBe(200)
    expect(got.json()).toEqual(webhook)
    const deleted = await h.api('DELETE', `/api/v1/webhooks/${webhook.id}`)
    expect(deleted.statusCode).toBe(200)
    expect(deleted.json()).toEqual(webhook)
    expect((await h.api('GET', `/api/v1/webhooks/${webhook.id}`)).statusCode).toBe(404)
    expect((await h.api('GET', `/api/v1/webhook_endpoints/${webhook.id}`)).statusCode).toBe(404)
  })

  test('changing events or the description through the native API updates the compatibility view', async () => {
    const webhook = (await h.api('POST', '/api/v1/webhooks', { url: URL_A, displayName: 'n', kinds: ['OPEN'] })).json()
    await h.api('PATCH', `/api/v1/webhook_endpoints/${webhook.id}`, {
      events: ['email.opened', 'email.delivered'],
      description: 'renamed',
    })
    expect((await h.api('GET', `/api/v1/webhooks/${webhook.id}`)).json()).toMatchObject({
      displayName: 'renamed',
      kinds: ['SUCCESSFUL', 'OPEN'],
    })
  })
})
