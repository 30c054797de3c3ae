import { describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'
import { asUser, memberOf, ownerOf } from './accounts-fixtures.js'

/* Saved views: per person, optionally shared in the organization; filters checked as the search checks them. */

const VIEW = {
  resource: 'contacts',
  name: 'VIP leads',
  columns: ['name', 'email', 'tags', 'custom_fields.city'],
  sort: 'name',
  filter: {
    and: [
      { field: 'status', op: 'eq', value: 'lead' },
      { field: 'tags', op: 'contains', value: 'vip' },
    ],
  },
}

const signUp = () => testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })

async function team(h: TestApp) {
  const owner = await ownerOf(h)
  const alice = await memberOf(h, owner)
  const bob = await memberOf(h, owner)
  return { owner, alice: asUser(h.app, alice), bob: asUser(h.app, bob), asOwner: asUser(h.app, owner) }
}

const names = (res: { json(): { data: { name: string }[] } }) => res.json().data.map((v) => v.name)

describe('POST /api/v1/saved_views', () => {
  test('saves a view for the caller with its columns, sort, filter and search', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/saved_views', { ...VIEW, q: 'acme' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ ...VIEW, object: 'saved_view', shared: false, q: 'acme', owner_id: h.org.keyId })
    expect(res.json().id).toMatch(/^sv_/)
    const read = await h.api('GET', `/api/v1/saved_views/${res.json().id}`)
    expect(read.json()).toEqual(res.json())
    expect(read.headers.etag).toBeTruthy()
  })

  test('refuses a filter the search would refuse, naming the failing part, and an unknown column', async () => {
    const h = await testApp()
    const bad = await h.api('POST', '/api/v1/saved_views', {
      ...VIEW,
      filter: { and: [{ field: 'status', op: 'contains', value: 'lead' }] },
    })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.details[0].field).toBe('filter.and[0].op')
    const column = await h.api('POST', '/api/v1/saved_views', { ...VIEW, columns: ['name', 'password'] })
    expect(column.statusCode).toBe(422)
    expect(column.json().error.details[0].field).toMatch(/^columns/)
  })
})

describe('who sees and changes a saved view', () => {
  test('a private view is its owner’s alone; a shared one is listed for everyone in the organization', async () => {
    const h = await signUp()
    const { alice, bob } = await team(h)
    const mine = (await alice.send('POST', '/api/v1/saved_views', { ...VIEW, name: 'Alice private' })).json()
    await alice.send('POST', '/api/v1/saved_views', { ...VIEW, name: 'Alice shared', shared: true })
    await bob.send('POST', '/api/v1/saved_views', { ...VIEW, name: 'Bob private' })
    expect(names(await alice.get('/api/v1/saved_views?resource=contacts'))).toEqual(['Alice private', 'Alice shared'])
    expect(names(await bob.get('/api/v1/saved_views'))).toEqual(['Alice shared', 'Bob private'])
    // Another person's private view does not exist for Bob.
    expect((await bob.get(`/api/v1/saved_views/${mine.id}`)).statusCode).toBe(404)
    expect((await bob.send('PATCH', `/api/v1/saved_views/${mine.id}`, { name: 'Mine now' })).statusCode).toBe(404)
  })

  test('a shared view is changed by its owner or an admin, not by another member (403)', async () => {
    const h = await signUp()
    const { alice, bob, asOwner } = await team(h)
    const shared = (await alice.send('POST', '/api/v1/saved_views', { ...VIEW, shared: true })).json()
    const refused = await bob.send('PATCH', `/api/v1/saved_views/${shared.id}`, { name: 'Bob’s now' })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('insufficient_scope')
    expect((await bob.send('DELETE', `/api/v1/saved_views/${shared.id}`)).statusCode).toBe(403)
    const renamed = await alice.send('PATCH', `/api/v1/saved_views/${shared.id}`, {
      name: 'VIP leads (all)',
      sort: null,
    })
    expect(renamed.json()).toMatchObject({ name: 'VIP leads (all)', sort: null, filter: VIEW.filter })
    const unshared = await asOwner.send('PATCH', `/api/v1/saved_views/${shared.id}`, { shared: false })
    expect(unshared.statusCode).toBe(200)
    // No longer shared: Bob does not see it any more.
    expect((await bob.get(`/api/v1/saved_views/${shared.id}`)).statusCode).toBe(404)
  })

  test('If-Match protects a change: a stale ETag is a 412 and changes nothing', async () => {
    const h = await testApp()
    const view = await h.api('POST', '/api/v1/saved_views', VIEW)
    const etag = (await h.api('GET', `/api/v1/saved_views/${view.json().id}`)).headers.etag as string
    await h.api('PATCH', `/api/v1/saved_views/${view.json().id}`, { name: 'First' }, { 'if-match': etag })
    const stale = await h.api(
      'PATCH',
      `/api/v1/saved_views/${view.json().id}`,
      { name: 'Second' },
      { 'if-match': etag },
    )
    expect(stale.statusCode).toBe(412)
    expect((await h.api('GET', `/api/v1/saved_views/${view.json().id}`)).json().name).toBe('First')
  })

  test('deleting a view removes it; another organization’s or mode’s view is a 404', async () => {
    const h = await testApp()
    const view = (await h.api('POST', '/api/v1/saved_views', VIEW)).json()
    const other = await h.newOrg()
    expect(
      (await h.api('GET', `/api/v1/saved_views/${view.id}`, undefined, { authorization: `Bearer ${other.key}` }))
        .statusCode,
    ).toBe(404)
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    expect(
      (await h.api('GET', `/api/v1/saved_views/${view.id}`, undefined, { authorization: `Bearer ${testKey}` }))
        .statusCode,
    ).toBe(404)
    const deleted = await h.api('DELETE', `/api/v1/saved_views/${view.id}`)
    expect(deleted.json()).toEqual({ id: view.id, object: 'saved_view', deleted: true })
    expect((await h.api('GET', `/api/v1/saved_views/${view.id}`)).statusCode).toBe(404)
  })

  test('lists are paged by name with a cursor', async () => {
    const h = await testApp()
    for (const name of ['c', 'A', 'b']) await h.api('POST', '/api/v1/saved_views', { ...VIEW, name })
    const first = (await h.api('GET', '/api/v1/saved_views?limit=2')).json()
    expect(first.data.map((v: { name: string }) => v.name)).toEqual(['A', 'b'])
    const next = (await h.api('GET', `/api/v1/saved_views?limit=2&cursor=${first.pagination.next_cursor}`)).json()
    expect(next.data.map((v: { name: string }) => v.name)).toEqual(['c'])
  })
})
