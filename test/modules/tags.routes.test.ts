import { describe, expect, test } from 'vitest'
import { withoutTagCreations } from '../fixtures.js'
import { type TestApp, testApp } from '../harness.js'

const tagged = async (h: TestApp, tags: string[], headers: Record<string, string> = {}) =>
  (await h.api('POST', '/api/v1/contacts', { email: `${Math.random()}@example.com`, tags }, headers)).json()
    .id as string
const tagId = async (h: TestApp, name: string) =>
  (await h.api('GET', `/api/v1/tags?q=${name}`)).json().data.find((t: { name: string }) => t.name === name).id
const eventsOf = async (h: TestApp, type: string, headers: Record<string, string> = {}) =>
  (await h.api('GET', `/api/v1/events?type=${type}`, undefined, headers))
    .json()
    .data.map((e: { data: unknown }) => e.data)

describe('GET /api/v1/tags', () => {
  test('lists tags by name with the number of contacts carrying each, searchable by name prefix and paged', async () => {
    const h = await testApp()
    await tagged(h, ['Enterprise', 'lead'])
    await tagged(h, ['enterprise'])
    await h.api('POST', '/api/v1/tags', { name: 'entrepreneur' })
    const all = (await h.api('GET', '/api/v1/tags')).json()
    expect(all.data.map((t: { name: string; contact_count: number }) => [t.name, t.contact_count])).toEqual([
      ['Enterprise', 2],
      ['entrepreneur', 0],
      ['lead', 1],
    ])
    expect(all.data[0]).toMatchObject({ object: 'tag' })
    expect(all.data[0].id).toMatch(/^tag_/)
    const search = (await h.api('GET', '/api/v1/tags?q=ENTER')).json()
    expect(search.data.map((t: { name: string }) => t.name)).toEqual(['Enterprise'])
    expect((await h.api('GET', '/api/v1/tags?q=%25')).json().data).toEqual([])
    const first = (await h.api('GET', '/api/v1/tags?limit=2')).json()
    expect(first.pagination).toMatchObject({ total: 3, has_more: true })
    const next = (await h.api('GET', `/api/v1/tags?limit=2&cursor=${first.pagination.next_cursor}`)).json()
    expect(next.data.map((t: { name: string }) => t.name)).toEqual(['lead'])
  })
})

describe('POST /api/v1/tags', () => {
  test('creates a tag, trimmed, and answers 409 for a name already used in any letter case', async () => {
    const h = await testApp()
    const res = await h.api('POST', '/api/v1/tags', { name: '  VIP ' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ object: 'tag', name: 'VIP', contact_count: 0 })
    const dup = await h.api('POST', '/api/v1/tags', { name: 'vip' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error).toMatchObject({ code: 'already_exists', details: [{ field: 'name' }] })
    expect((await h.api('POST', '/api/v1/tags', { name: 'x', color: 'red' })).statusCode).toBe(422)
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    expect(
      (await h.api('POST', '/api/v1/tags', { name: 'vip' }, { authorization: `Bearer ${testKey}` })).statusCode,
    ).toBe(201)
  })
})

describe('PATCH /api/v1/tags/:id', () => {
  test('renames the tag on every contact of the organization and mode only, with one tag.updated and no contact events', async () => {
    const h = await testApp()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const a = await tagged(h, ['lead', 'vip'])
    const b = await tagged(h, ['lead'])
    const untouched = await tagged(h, ['other'])
    const sandbox = await tagged(h, ['lead'], { authorization: `Bearer ${testKey}` })
    const before = (await h.api('GET', `/api/v1/contacts/${a}`)).json()
    const id = await tagId(h, 'lead')
    const res = await h.api('PATCH', `/api/v1/tags/${id}`, { name: 'prospect' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id, name: 'prospect', contact_count: 2 })
    const after = (await h.api('GET', `/api/v1/contacts/${a}`)).json()
    expect(after.tags).toEqual(['prospect', 'vip'])
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(before.updated_at))
    expect((await h.api('GET', `/api/v1/contacts/${b}`)).json().tags).toEqual(['prospect'])
    expect((await h.api('GET', `/api/v1/contacts/${untouched}`)).json().tags).toEqual(['other'])
    const sandboxContact = await h.api('GET', `/api/v1/contacts/${sandbox}`, undefined, {
      authorization: `Bearer ${testKey}`,
    })
    expect(sandboxContact.json().tags).toEqual(['lead'])
    expect((await h.api('GET', '/api/v1/contacts?tag=PROSPECT')).json().pagination.total).toBe(2)
    expect(withoutTagCreations(await h.eventTypes()).filter((t) => t !== 'contact.created')).toEqual(['tag.updated'])
    expect(await eventsOf(h, 'tag.updated')).toEqual([{ id, changes: { name: 'prospect' } }])
    expect(withoutTagCreations(await h.eventTypes(h.org, false))).toEqual(['contact.created'])
  })

  test('tag.updated carries the name contacts show: trimmed, a letter-case change included; the same name emits nothing', async () => {
    const h = await testApp()
    const sandbox = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    const contact = await tagged(h, ['lead'], sandbox)
    const id = (await h.api('GET', '/api/v1/tags', undefined, sandbox)).json().data[0].id
    expect((await h.api('PATCH', `/api/v1/tags/${id}`, { name: ' lead ' }, sandbox)).statusCode).toBe(200)
    expect((await h.api('PATCH', `/api/v1/tags/${id}`, { name: '  Lead ' }, sandbox)).statusCode).toBe(200)
    const shown = (await h.api('GET', `/api/v1/contacts/${contact}`, undefined, sandbox)).json().tags
    expect(shown).toEqual(['Lead'])
    expect(await eventsOf(h, 'tag.updated', sandbox)).toEqual([{ id, changes: { name: shown[0] } }])
    expect(withoutTagCreations(await h.eventTypes(h.org, false))).toEqual(['contact.created', 'tag.updated'])
    expect(withoutTagCreations(await h.eventTypes(h.org, true))).toEqual([])
  })

  test('renaming onto another tag’s name is a 409 that changes nothing; changing only the letter case is allowed', async () => {
    const h = await testApp()
    const contact = await tagged(h, ['lead', 'vip'])
    const lead = await tagId(h, 'lead')
    const clash = await h.api('PATCH', `/api/v1/tags/${lead}`, { name: 'VIP' })
    expect(clash.statusCode).toBe(409)
    expect(clash.json().error.code).toBe('already_exists')
    expect((await h.api('GET', `/api/v1/contacts/${contact}`)).json().tags).toEqual(['lead', 'vip'])
    const recased = await h.api('PATCH', `/api/v1/tags/${lead}`, { name: 'Lead' })
    expect(recased.statusCode).toBe(200)
    expect((await h.api('GET', `/api/v1/contacts/${contact}`)).json().tags).toEqual(['Lead', 'vip'])
    expect(await eventsOf(h, 'tag.updated')).toEqual([{ id: lead, changes: { name: 'Lead' } }])
  })

  test('a rename with a stale If-Match answers 412 and emits nothing', async () => {
    const h = await testApp()
    const id = (await h.api('POST', '/api/v1/tags', { name: 'a' })).json().id
    const etag = (await h.api('GET', `/api/v1/tags/${id}`)).headers.etag as string
    expect((await h.api('PATCH', `/api/v1/tags/${id}`, { name: 'b' }, { 'if-match': etag })).statusCode).toBe(200)
    expect((await h.api('PATCH', `/api/v1/tags/${id}`, { name: 'c' }, { 'if-match': etag })).statusCode).toBe(412)
    expect(await eventsOf(h, 'tag.updated')).toEqual([{ id, changes: { name: 'b' } }])
  })

  test('a rename of an unknown tag or another organization’s tag is a 404 that emits nothing', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const id = (await h.api('POST', '/api/v1/tags', { name: 'a' })).json().id
    const foreign = { authorization: `Bearer ${other.key}` }
    expect((await h.api('PATCH', `/api/v1/tags/${id}`, { name: 'b' }, foreign)).statusCode).toBe(404)
    expect((await h.api('PATCH', '/api/v1/tags/tag_missing', { name: 'b' })).statusCode).toBe(404)
    expect(withoutTagCreations(await h.eventTypes())).toEqual([])
    expect(withoutTagCreations(await h.eventTypes(other))).toEqual([])
  })
})

describe('DELETE /api/v1/tags/:id', () => {
  test('removes the tag from every contact carrying it and deletes it', async () => {
    const h = await testApp()
    const a = await tagged(h, ['lead', 'vip'])
    const b = await tagged(h, ['lead'])
    const id = await tagId(h, 'lead')
    expect((await h.api('DELETE', `/api/v1/tags/${id}`)).json()).toEqual({ id, object: 'tag', deleted: true })
    expect((await h.api('GET', `/api/v1/contacts/${a}`)).json().tags).toEqual(['vip'])
    expect((await h.api('GET', `/api/v1/contacts/${b}`)).json().tags).toEqual([])
    expect((await h.api('GET', `/api/v1/tags/${id}`)).statusCode).toBe(404)
    expect((await h.api('GET', '/api/v1/tags')).json().data.map((t: { name: string }) => t.name)).toEqual(['vip'])
  })

  test('emits one tag.deleted with the tag as it was, counting the contacts that carried it, and no contact events', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const sandbox = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    await tagged(h, ['Lead', 'vip'], sandbox)
    await tagged(h, ['lead'], sandbox)
    await tagged(h, ['lead'])
    const tags = (await h.api('GET', '/api/v1/tags', undefined, sandbox)).json().data
    const tag = tags.find((t: { name: string }) => t.name === 'Lead')
    expect(tag).toMatchObject({ object: 'tag', contact_count: 2 })
    expect((await h.api('DELETE', `/api/v1/tags/${tag.id}`, undefined, sandbox)).statusCode).toBe(200)
    expect(await eventsOf(h, 'tag.deleted', sandbox)).toEqual([tag])
    expect(withoutTagCreations(await h.eventTypes(h.org, false))).toEqual([
      'contact.created',
      'contact.created',
      'tag.deleted',
    ])
    expect(withoutTagCreations(await h.eventTypes(h.org, true))).toEqual(['contact.created'])
    expect(withoutTagCreations(await h.eventTypes(other, false))).toEqual([])
  })

  test('a DELETE that fails (stale If-Match, unknown id, another organization’s tag) emits nothing and keeps the tag', async () => {
    const h = await testApp()
    const other = await h.newOrg()
    const contact = await tagged(h, ['lead'])
    const id = await tagId(h, 'lead')
    const foreign = { authorization: `Bearer ${other.key}` }
    expect((await h.api('DELETE', `/api/v1/tags/${id}`, undefined, { 'if-match': '"stale"' })).statusCode).toBe(412)
    expect((await h.api('DELETE', `/api/v1/tags/${id}`, undefined, foreign)).statusCode).toBe(404)
    expect((await h.api('DELETE', '/api/v1/tags/tag_missing')).statusCode).toBe(404)
    expect((await h.api('GET', `/api/v1/contacts/${contact}`)).json().tags).toEqual(['lead'])
    expect(withoutTagCreations(await h.eventTypes())).toEqual(['contact.created'])
    expect(withoutTagCreations(await h.eventTypes(other))).toEqual([])
  })
})

describe('tag.created', () => {
  test('POST /api/v1/tags emits tag.created with the tag; a taken name emits nothing', async () => {
    const h = await testApp()
    const created = await h.api('POST', '/api/v1/tags', { name: ' vip ' })
    expect(created.statusCode).toBe(201)
    expect((await h.api('POST', '/api/v1/tags', { name: 'VIP' })).statusCode).toBe(409)
    expect(await h.eventTypes()).toEqual(['tag.created'])
    const event = (await h.api('GET', '/api/v1/events?type=tag.created')).json().data[0]
    expect(event.data).toEqual(created.json())
    expect(event.data).toMatchObject({ name: 'vip', contact_count: 0 })
  })

  test('a tag first used on a contact is created with tag.created, once, in the same mode only', async () => {
    const h = await testApp()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const as = { authorization: `Bearer ${testKey}` }
    await h.api('POST', '/api/v1/contacts', { email: 'a@example.com', tags: ['Lead', 'partner'] }, as)
    await h.api('POST', '/api/v1/contacts', { email: 'b@example.com', tags: ['lead', 'new'] }, as)
    expect(await h.eventTypes(h.org, false)).toEqual([
      'tag.created',
      'tag.created',
      'contact.created',
      'tag.created',
      'contact.created',
    ])
    const names = (await h.api('GET', '/api/v1/events?type=tag.created', undefined, as))
      .json()
      .data.map((e: { data: { name: string } }) => e.data.name)
    expect(names.sort()).toEqual(['Lead', 'new', 'partner'])
    expect(await h.eventTypes(h.org, true)).toEqual([])
  })
})
