import { describe, expect, test } from 'vitest'
import { insertUser } from '../fixtures.js'
import { type TestApp, testApp } from '../harness.js'
import { asUser, memberOf, ownerOf } from './accounts-fixtures.js'

type EventView = { event: string; data: Record<string, unknown> }

/** The org's events of one type, oldest first. */
const eventsOf = async (h: TestApp, type: string): Promise<EventView[]> =>
  (await h.api('GET', `/api/v1/events?type=${type}&limit=100`)).json().data.reverse()

const create = async (h: TestApp, body: object, headers: Record<string, string> = {}) => {
  const res = await h.api('POST', '/api/v1/contacts', body, headers)
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; owner_id: string | null }
}

const idsOf = (res: { json(): { data: { id: string }[] } }) => res.json().data.map((c) => c.id)

describe('contact owner_id', () => {
  test('is set on create, shown on the contact and carried by contact.created', async () => {
    const h = await testApp()
    const owner = await insertUser(h)
    const contact = await create(h, { email: 'owned@example.com', owner_id: owner })
    expect(contact.owner_id).toBe(owner)
    expect((await h.api('GET', `/api/v1/contacts/${contact.id}`)).json().owner_id).toBe(owner)
    const unowned = await create(h, { email: 'free@example.com' })
    expect(unowned.owner_id).toBeNull()
    const created = await eventsOf(h, 'contact.created')
    expect(created.map((e) => e.data.owner_id)).toEqual([owner, null])
  })

  test('refuses an unknown user and another organization’s user with 422 naming owner_id, writing nothing', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const foreignUser = await insertUser(h, other.id)
    for (const owner_id of ['user_missing', foreignUser]) {
      const res = await h.api('POST', '/api/v1/contacts', { email: 'x@example.com', owner_id })
      expect(res.statusCode).toBe(422)
      expect(res.json().error).toMatchObject({ code: 'validation_failed', details: [{ field: 'owner_id' }] })
    }
    expect(await h.eventTypes()).toEqual([])
  })

  test('a user owns contacts in both modes: the test-mode key may assign the same user', async () => {
    const h = await testApp()
    const owner = await insertUser(h)
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const contact = await create(h, { email: 't@example.com', owner_id: owner }, { authorization: `Bearer ${testKey}` })
    expect(contact.owner_id).toBe(owner)
  })

  test('PATCH sets, changes and clears the owner with contact.updated; an unchanged owner emits nothing', async () => {
    const h = await testApp()
    const [first, second] = [await insertUser(h), await insertUser(h)]
    const { id } = await create(h, { email: 'p@example.com' })
    const patch = (body: object) => h.api('PATCH', `/api/v1/contacts/${id}`, body)
    expect((await patch({ owner_id: first })).json().owner_id).toBe(first)
    expect((await patch({ owner_id: first })).statusCode).toBe(200)
    expect((await patch({ owner_id: second })).json().owner_id).toBe(second)
    expect((await patch({ owner_id: null })).json().owner_id).toBeNull()
    const bad = await patch({ owner_id: 'user_nobody' })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details).toEqual([{ field: 'owner_id', message: expect.any(String) }])
    const updates = await eventsOf(h, 'contact.updated')
    expect(updates.map((e) => e.data)).toEqual([
      { id, changes: { owner_id: first } },
      { id, changes: { owner_id: second } },
      { id, changes: { owner_id: null } },
    ])
  })

  test('batch upsert sets the owner per item; an unknown owner fails its item alone', async () => {
    const h = await testApp()
    const owner = await insertUser(h)
    const res = await h.api('POST', '/api/v1/contacts/batch', {
      contacts: [
        { email: 'a@example.com', owner_id: owner },
        { email: 'b@example.com', owner_id: 'user_nobody' },
      ],
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ created: 1, failed: 1 })
    expect(body.results[1].error).toMatchObject({ code: 'validation_failed', details: [{ field: 'owner_id' }] })
    expect((await h.api('GET', `/api/v1/contacts/${body.results[0].id}`)).json().owner_id).toBe(owner)
  })

  test('removing the user leaves the contact unowned', async () => {
    const h = await testApp()
    const owner = await insertUser(h)
    const { id } = await create(h, { email: 'orphan@example.com', owner_id: owner })
    await h.deps.db.deleteFrom('users').where('id', '=', owner).execute()
    expect((await h.api('GET', `/api/v1/contacts/${id}`)).json().owner_id).toBeNull()
  })
})

describe('GET /api/v1/contacts?owner_id=', () => {
  test('lists the contacts of one owner, in this organization and mode only', async () => {
    const h = await testApp()
    const [ann, bob] = [await insertUser(h), await insertUser(h)]
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const a1 = await create(h, { email: 'a1@example.com', owner_id: ann })
    await create(h, { email: 'b1@example.com', owner_id: bob })
    const a2 = await create(h, { email: 'a2@example.com', owner_id: ann })
    await create(h, { email: 'none@example.com' })
    await create(h, { email: 'a-test@example.com', owner_id: ann }, { authorization: `Bearer ${testKey}` })
    const res = await h.api('GET', `/api/v1/contacts?owner_id=${ann}`)
    expect(res.statusCode).toBe(200)
    expect(idsOf(res)).toEqual([a2.id, a1.id])
    expect(res.json().pagination.total).toBe(2)
    expect(idsOf(await h.api('GET', '/api/v1/contacts?owner_id=user_nobody'))).toEqual([])
  })

  test('owner_id=me is the signed-in user; a key no user created gets 422 naming owner_id', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const owner = await ownerOf(h)
    const member = await memberOf(h, owner)
    const asOwner = asUser(h.app, owner)
    const asMember = asUser(h.app, member)
    const mine = (
      await asMember.send('POST', '/api/v1/contacts', { email: 'm@example.com', owner_id: member.body.user.id })
    ).json()
    await asOwner.send('POST', '/api/v1/contacts', { email: 'o@example.com', owner_id: owner.body.user.id })
    await asOwner.send('POST', '/api/v1/contacts', { email: 'n@example.com' })
    expect(idsOf(await asMember.get('/api/v1/contacts?owner_id=me'))).toEqual([mine.id])
    const searched = await asMember.send('POST', '/api/v1/contacts/search', {
      filter: { field: 'owner_id', op: 'eq', value: 'me' },
    })
    expect(idsOf(searched)).toEqual([mine.id])
    const keyless = await h.api('GET', '/api/v1/contacts?owner_id=me')
    expect(keyless.statusCode).toBe(422)
    expect(keyless.json().error.details).toEqual([{ field: 'owner_id', message: expect.any(String) }])
    const keylessSearch = await h.api('POST', '/api/v1/contacts/search', {
      filter: { field: 'owner_id', op: 'in', value: ['me'] },
    })
    expect(keylessSearch.statusCode).toBe(422)
    expect(keylessSearch.json().error.details[0].field).toBe('filter.value[0]')
  })

  test('the search grammar filters on owner_id with eq, neq, in and exists', async () => {
    const h = await testApp()
    const [ann, bob] = [await insertUser(h), await insertUser(h)]
    const a = await create(h, { email: 'a@example.com', owner_id: ann })
    const b = await create(h, { email: 'b@example.com', owner_id: bob })
    const n = await create(h, { email: 'n@example.com' })
    const search = async (filter: object) =>
      idsOf(await h.api('POST', '/api/v1/contacts/search', { filter, sort: 'email' }))
    expect(await search({ field: 'owner_id', op: 'eq', value: ann })).toEqual([a.id])
    expect(await search({ field: 'owner_id', op: 'neq', value: ann })).toEqual([b.id, n.id])
    expect(await search({ field: 'owner_id', op: 'in', value: [ann, bob] })).toEqual([a.id, b.id])
    expect(await search({ field: 'owner_id', op: 'exists' })).toEqual([a.id, b.id])
    expect(await search({ not: { field: 'owner_id', op: 'exists' } })).toEqual([n.id])
    const bad = await h.api('POST', '/api/v1/contacts/search', {
      filter: { field: 'owner_id', op: 'contains', value: 'x' },
    })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('filter.op')
  })
})

describe('POST /api/v1/contacts/bulk_assign', () => {
  test('assigns many contacts in one call: one contact.updated per changed contact, others reported', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const owner = await insertUser(h)
    const a = await create(h, { email: 'a@example.com' })
    const b = await create(h, { email: 'b@example.com', owner_id: owner })
    const c = await create(h, { email: 'c@example.com' })
    const foreign = (
      await h.api('POST', '/api/v1/contacts', { email: 'f@example.com' }, { authorization: `Bearer ${other.key}` })
    ).json().id
    const before = (await eventsOf(h, 'contact.updated')).length
    const res = await h.api('POST', '/api/v1/contacts/bulk_assign', {
      ids: [c.id, a.id, b.id, foreign, 'c_missing'],
      owner_id: owner,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      object: 'bulk_assignment',
      owner_id: owner,
      updated: [c.id, a.id],
      unchanged: [b.id],
      not_found: [foreign, 'c_missing'],
    })
    const updates = (await eventsOf(h, 'contact.updated')).slice(before)
    expect(updates.map((e) => e.data).sort((x, y) => String(x.id).localeCompare(String(y.id)))).toEqual(
      [a.id, c.id].sort().map((id) => ({ id, changes: { owner_id: owner } })),
    )
    for (const { id } of [a, b, c]) expect((await h.api('GET', `/api/v1/contacts/${id}`)).json().owner_id).toBe(owner)
    const theirs = await h.api('GET', `/api/v1/contacts/${foreign}`, undefined, {
      authorization: `Bearer ${other.key}`,
    })
    expect(theirs.json().owner_id).toBeNull()

    const cleared = await h.api('POST', '/api/v1/contacts/bulk_assign', { ids: [a.id], owner_id: null })
    expect(cleared.json()).toMatchObject({ updated: [a.id], unchanged: [], not_found: [] })
    expect((await h.api('GET', `/api/v1/contacts/${a.id}`)).json().owner_id).toBeNull()
  })

  test('refuses an owner of another organization, and more than 500 ids, changing nothing', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const foreignUser = await insertUser(h, other.id)
    const a = await create(h, { email: 'a@example.com' })
    const wrongOwner = await h.api('POST', '/api/v1/contacts/bulk_assign', { ids: [a.id], owner_id: foreignUser })
    expect(wrongOwner.statusCode).toBe(422)
    expect(wrongOwner.json().error.details).toEqual([{ field: 'owner_id', message: expect.any(String) }])
    const ids = Array.from({ length: 501 }, (_, i) => `c_${i}`)
    const tooMany = await h.api('POST', '/api/v1/contacts/bulk_assign', { ids, owner_id: null })
    expect(tooMany.statusCode).toBe(422)
    expect(tooMany.json().error.details[0].field).toBe('ids')
    const empty = await h.api('POST', '/api/v1/contacts/bulk_assign', { ids: [], owner_id: null })
    expect(empty.statusCode).toBe(422)
    expect(await eventsOf(h, 'contact.updated')).toEqual([])
  })

  test('a test-mode key assigns only test-mode contacts', async () => {
    const h = await testApp()
    const owner = await insertUser(h)
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const live = await create(h, { email: 'live@example.com' })
    const res = await h.api(
      'POST',
      '/api/v1/contacts/bulk_assign',
      { ids: [live.id], owner_id: owner },
      { authorization: `Bearer ${testKey}` },
    )
    expect(res.json()).toMatchObject({ updated: [], not_found: [live.id] })
    expect((await h.api('GET', `/api/v1/contacts/${live.id}`)).json().owner_id).toBeNull()
  })
})

describe('import with an owner column', () => {
  test('maps a column to owner_id by user id or email; an unknown owner skips its row', async () => {
    const h = await testApp()
    const byId = await insertUser(h)
    const byEmail = await insertUser(h)
    const email = (
      await h.deps.db.selectFrom('users').select('email').where('id', '=', byEmail).executeTakeFirstOrThrow()
    ).email
    const csv = [
      'Email,Rep',
      `one@example.com,${byId}`,
      `two@example.com,${email.toUpperCase()}`,
      'three@example.com,nobody@example.com',
      'four@example.com,',
    ].join('\n')
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/import?mapping=${encodeURIComponent(JSON.stringify({ Rep: 'owner_id' }))}`,
      headers: { authorization: `Bearer ${h.org.key}`, 'content-type': 'text/csv' },
      payload: csv,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      imported: 3,
      skipped: 1,
      errors: [{ row: 4, message: expect.stringContaining('owner_id') }],
    })
    const owners = Object.fromEntries(
      (await h.api('GET', '/api/v1/contacts?limit=10'))
        .json()
        .data.map((c: { email: string; owner_id: string }) => [c.email, c.owner_id]),
    )
    expect(owners).toEqual({ 'one@example.com': byId, 'two@example.com': byEmail, 'four@example.com': null })
  })
})
