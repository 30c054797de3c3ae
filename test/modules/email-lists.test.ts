import { afterEach, describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { emailApp, makeContacts } from './email-audience-fixtures.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('email lists', () => {
  test('create, read, rename and delete a list; counts follow its members', async () => {
    const h = await testApp()
    const created = await h.api('POST', '/api/v1/email-lists', { name: 'Newsletter', description: 'Monthly' })
    expect(created.statusCode).toBe(201)
    const list = created.json()
    expect(list).toMatchObject({
      object: 'email_list',
      name: 'Newsletter',
      description: 'Monthly',
      double_opt_in: false,
      member_count: 0,
    })
    expect(list.id).toMatch(/^lst_/)
    const [a, b, c] = await makeContacts(h, 3)
    const added = await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [a, b, a] })
    expect(added.json()).toMatchObject({ changed: 2, unchanged: 0, pending: 0 })
    const again = await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [a, c] })
    expect(again.json()).toMatchObject({ changed: 1, unchanged: 1 })
    expect((await h.api('GET', `/api/v1/email-lists/${list.id}`)).json().member_count).toBe(3)

    const removed = await h.api('POST', `/api/v1/email-lists/${list.id}/members/remove`, { contact_ids: [b, 'c_nope'] })
    expect(removed.json()).toMatchObject({ changed: 1, unchanged: 1 })
    const renamed = await h.api('PATCH', `/api/v1/email-lists/${list.id}`, { name: 'Weekly', description: null })
    expect(renamed.json()).toMatchObject({ name: 'Weekly', description: null, member_count: 2 })
    const listed = (await h.api('GET', '/api/v1/email-lists')).json()
    expect(listed.data.map((l: { id: string }) => l.id)).toEqual([list.id])
    expect(listed.pagination).toMatchObject({ total: 1, has_more: false })

    expect((await h.api('DELETE', `/api/v1/email-lists/${list.id}`)).json()).toEqual({
      id: list.id,
      object: 'email_list',
      deleted: true,
    })
    expect((await h.api('GET', `/api/v1/email-lists/${list.id}`)).statusCode).toBe(404)
    expect((await h.api('GET', `/api/v1/contacts/${a}`)).statusCode).toBe(200)
  })

  test('members are paged newest first and filtered by status', async () => {
    const h = await testApp()
    const list = (await h.api('POST', '/api/v1/email-lists', { name: 'Paged' })).json()
    const ids = await makeContacts(h, 5, 'paged')
    for (const id of ids) await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [id] })
    const first = (await h.api('GET', `/api/v1/email-lists/${list.id}/members?limit=2`)).json()
    expect(first.data.map((m: { contact_id: string }) => m.contact_id)).toEqual([ids[4], ids[3]])
    expect(first.data[0]).toMatchObject({
      object: 'email_list_member',
      email: 'paged4@example.com',
      status: 'subscribed',
    })
    expect(first.pagination).toMatchObject({ total: 5, has_more: true })
    const next = (
      await h.api('GET', `/api/v1/email-lists/${list.id}/members?limit=2&cursor=${first.pagination.next_cursor}`)
    ).json()
    expect(next.data.map((m: { contact_id: string }) => m.contact_id)).toEqual([ids[2], ids[1]])
    const pending = (await h.api('GET', `/api/v1/email-lists/${list.id}/members?status=pending`)).json()
    expect(pending.data).toEqual([])
  })

  test('an unknown contact is a 422 naming it and nothing is added; another organization sees a 404', async () => {
    const h = await testApp()
    const list = (await h.api('POST', '/api/v1/email-lists', { name: 'Strict' })).json()
    const [a] = await makeContacts(h, 1, 'strict')
    const res = await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [a, 'c_missing'] })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([{ field: 'contact_ids[1]', message: 'No such contact' }])
    expect((await h.api('GET', `/api/v1/email-lists/${list.id}`)).json().member_count).toBe(0)

    const other = await h.newOrg()
    const asOther = { authorization: `Bearer ${other.key}` }
    expect((await h.api('GET', `/api/v1/email-lists/${list.id}`, undefined, asOther)).statusCode).toBe(404)
    expect(
      (await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [a] }, asOther)).statusCode,
    ).toBe(404)
    const otherList = (await h.api('POST', '/api/v1/email-lists', { name: 'Theirs' }, asOther)).json()
    const foreign = await h.api('POST', `/api/v1/email-lists/${otherList.id}/members`, { contact_ids: [a] }, asOther)
    expect(foreign.statusCode).toBe(422)
    expect((await h.api('GET', '/api/v1/email-lists', undefined, asOther)).json().data).toHaveLength(1)
  })

  test('subscription status: subscribed by default, set over the API, with the lists a contact is on', async () => {
    const h = await testApp()
    const [a] = await makeContacts(h, 1, 'sub')
    const list = (await h.api('POST', '/api/v1/email-lists', { name: 'News' })).json()
    await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [a] })
    const initial = (await h.api('GET', `/api/v1/contacts/${a}/email-subscription`)).json()
    expect(initial).toEqual({
      object: 'email_subscription',
      contact_id: a,
      status: 'subscribed',
      reason: null,
      updated_at: null,
      lists: [{ id: list.id, name: 'News', status: 'subscribed' }],
    })
    const off = await h.api('PUT', `/api/v1/contacts/${a}/email-subscription`, {
      status: 'unsubscribed',
      reason: 'asked by phone',
    })
    expect(off.json()).toMatchObject({ status: 'unsubscribed', reason: 'asked by phone' })
    expect(off.json().updated_at).not.toBeNull()
    const bad = await h.api('PUT', `/api/v1/contacts/${a}/email-subscription`, { status: 'bounced' })
    expect(bad.statusCode).toBe(422)
    expect((await h.api('GET', '/api/v1/contacts/c_missing/email-subscription')).statusCode).toBe(404)
  })
})

describe('double opt-in', () => {
  test('a new member is pending and gets a confirmation message; the link GET changes nothing, its POST confirms; a tampered link is a 404', async () => {
    const { h, sink, start } = await emailApp(cleanups)
    const list = (await h.api('POST', '/api/v1/email-lists', { name: 'Insiders', double_opt_in: true })).json()
    const [a] = await makeContacts(h, 1, 'optin')
    const added = (await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [a] })).json()
    expect(added).toMatchObject({ changed: 1, pending: 1 })
    expect((await h.api('GET', `/api/v1/email-lists/${list.id}`)).json()).toMatchObject({
      member_count: 0,
      pending_count: 1,
    })
    await start()
    await sink.waitFor(1)
    const mail = await sink.messages[0]!.parse()
    expect(sink.messages[0]!.to).toEqual(['optin0@example.com'])
    expect(mail.subject).toBe('Please confirm your subscription to Insiders')
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated')
    const link = /href="([^"]+)"/.exec(String(mail.html))![1]!
    const path = new URL(link).pathname
    expect(path).toMatch(/^\/email\/confirm\//)

    const page = await h.app.inject({ method: 'GET', url: path })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toContain('text/html')
    expect(page.body).toContain('<form method="post"')
    expect((await h.api('GET', `/api/v1/email-lists/${list.id}`)).json().pending_count).toBe(1)

    const tampered = path.slice(0, -2) + (path.endsWith('AA') ? 'BB' : 'AA')
    expect((await h.app.inject({ method: 'POST', url: tampered })).statusCode).toBe(404)
    const forged = path.replace(a!, 'c_someoneelse')
    expect((await h.app.inject({ method: 'GET', url: forged })).statusCode).toBe(404)

    const confirmed = await h.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    })
    expect(confirmed.statusCode).toBe(200)
    expect(confirmed.body).toContain('You are subscribed to Insiders.')
    const members = (await h.api('GET', `/api/v1/email-lists/${list.id}/members`)).json()
    expect(members.data[0]).toMatchObject({ status: 'subscribed' })
    expect(members.data[0].confirmed_at).not.toBeNull()
  })
})
