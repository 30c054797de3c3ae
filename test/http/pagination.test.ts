import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { testApp, testDatabase } from '../harness.js'

describe('list pagination', () => {
  async function withContacts(n: number) {
    const h = await testApp()
    for (let i = 0; i < n; i++) {
      const name = `Person ${String(i).padStart(2, '0')}`
      expect((await h.api('POST', '/api/v1/contacts', { name, email: `p${i}@example.com` })).statusCode).toBe(201)
    }
    return h
  }
  type Page = {
    data: { name: string }[]
    pagination: { page: number | null; total: number; has_more: boolean; next_cursor: string | null }
  }

  test('page and limit walk every item exactly once with totals and has_more', async () => {
    const h = await withContacts(7)
    const seen: string[] = []
    for (let page = 1; page <= 3; page++) {
      const body: Page = (await h.api('GET', `/api/v1/contacts?limit=3&page=${page}&sort=name`)).json()
      seen.push(...body.data.map((c) => c.name))
      expect(body.pagination).toMatchObject({ page, total: 7, has_more: page < 3 })
    }
    expect(seen).toEqual([...Array(7)].map((_, i) => `Person 0${i}`))
  })

  test('cursor paging is stable when new items arrive between pages', async () => {
    const h = await withContacts(5)
    const first: Page = (await h.api('GET', '/api/v1/contacts?limit=2')).json()
    expect(first.pagination.next_cursor).toEqual(expect.any(String))
    await h.api('POST', '/api/v1/contacts', { name: 'Newcomer', email: 'new@example.com' })
    const seen = first.data.map((c) => c.name)
    let cursor = first.pagination.next_cursor
    while (cursor) {
      const body: Page = (await h.api('GET', `/api/v1/contacts?limit=2&cursor=${cursor}`)).json()
      expect(body.pagination.page).toBeNull()
      seen.push(...body.data.map((c) => c.name))
      cursor = body.pagination.next_cursor
    }
    expect(seen).toEqual(['Person 04', 'Person 03', 'Person 02', 'Person 01', 'Person 00'])
  })

  test('cursor paging over a nullable sort key visits rows with and without the value', async () => {
    const h = await withContacts(2)
    await h.api('POST', '/api/v1/contacts', { email: 'noname1@example.com' })
    await h.api('POST', '/api/v1/contacts', { email: 'noname2@example.com' })
    const seen: (string | null)[] = []
    let url = '/api/v1/contacts?limit=1&sort=name'
    for (;;) {
      const body: Page = (await h.api('GET', url)).json()
      seen.push(...body.data.map((c) => c.name))
      if (!body.pagination.next_cursor) break
      url = `/api/v1/contacts?limit=1&sort=name&cursor=${body.pagination.next_cursor}`
    }
    expect(seen).toEqual(['Person 00', 'Person 01', null, null])
  })

  test('rejects bad page, limit and cursor values with 400 naming the parameter', async () => {
    const h = await withContacts(1)
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['cursor=not-a-cursor', 'cursor'],
    ]) {
      const res = await h.api('GET', `/api/v1/contacts?${query}`)
      expect(res.statusCode, query).toBe(400)
      expect(res.json().error.code).toBe('invalid_query')
      expect(res.json().error.details[0].field).toBe(field)
    }
  })

  test('a cursor from one sort is refused by another', async () => {
    const h = await withContacts(3)
    const cursor = (await h.api('GET', '/api/v1/contacts?limit=1&sort=name')).json().pagination.next_cursor
    expect((await h.api('GET', `/api/v1/contacts?limit=1&sort=-created_at&cursor=${cursor}`)).statusCode).toBe(400)
  })
})

describe('hand-edited cursors', () => {
  const encode = (c: unknown) => Buffer.from(typeof c === 'string' ? c : JSON.stringify(c)).toString('base64url')

  test('a cursor whose parts are not what this list wrote is a 400 invalid_query, never a 500', async () => {
    const h = await testApp()
    await h.api('POST', '/api/v1/contacts', { name: 'Ann', email: 'ann@example.com' })
    const cases: [string, unknown][] = [
      ['-created_at', { s: 'created_at:desc', v: 'not a date', id: 'c_1' }],
      ['-created_at', { s: 'created_at:desc', v: '2020-02-30 00:00:00+00', id: 'c_1' }],
      ['-created_at', { s: 'created_at:desc', v: '0000-01-01 00:00:00+00', id: 'c_1' }],
      ['-created_at', { s: 'created_at:desc', v: '294277-01-01 00:00:00+00', id: 'c_1' }],
      ['-created_at', { s: 'created_at:desc', v: '2026-01-01 00:00:00+00', id: 'c_\u0000' }],
      ['-created_at', { s: 'created_at:desc', v: '2026-01-01 00:00:00+00', id: 'c_\ud800' }],
      ['-created_at', { s: 'created_at:desc', v: 12, id: 'c_1' }],
      ['-created_at', { s: 'created_at:desc', v: '2026-01-01 00:00:00+00', id: 7 }],
      ['-created_at', { s: 'created_at:desc', v: '2026-01-01 00:00:00+00' }],
      ['-created_at', ['created_at:desc', null, 'c_1']],
      ['-created_at', null],
      ['-created_at', '{"s":'],
      ['name', { s: 'name:asc', v: 'a\u0000b', id: 'c_1' }],
      ['name', { s: 'name:asc', v: 'a\udc00', id: 'c_1' }],
    ]
    for (const [sort, cursor] of cases) {
      const res = await h.api('GET', `/api/v1/contacts?sort=${sort}&cursor=${encode(cursor)}`)
      expect(res.statusCode, JSON.stringify(cursor)).toBe(400)
      expect(res.json().error.code).toBe('invalid_query')
      expect(res.json().error.details[0].field).toBe('cursor')
    }
  })

  test('a well-formed cursor written by hand pages from the value it names', async () => {
    const h = await testApp()
    for (const name of ['Ann', 'Bob', 'Cy'])
      await h.api('POST', '/api/v1/contacts', { name, email: `${name}@example.com` })
    const cursor = encode({ s: 'name:asc', v: 'ann', id: 'c_zzzzzzzzzzzzzzzzzzzzzzzzzz' })
    const res = await h.api('GET', `/api/v1/contacts?sort=name&cursor=${cursor}`)
    expect(res.statusCode).toBe(200)
    expect(res.json().data.map((c: { name: string }) => c.name)).toEqual(['Bob', 'Cy'])
  })
})

describe('totals and deep pages at scale', () => {
  test('total is exact up to 10,000 matches, then 10,000 flagged as a lower bound', async () => {
    const h = await testApp()
    const db = (await testDatabase()).db
    await sql`insert into contacts (id, org_id, livemode, name, email, status, source)
      select 'c_cap' || g, ${h.org.id}, true, 'Capped ' || g, 'cap' || g || '@example.com',
        case when g <= 10000 then 'lead' else 'customer' end, 'api'
      from generate_series(1, 10001) g`.execute(db)
    const all = (await h.api('GET', '/api/v1/contacts?limit=10')).json().pagination
    expect(all).toMatchObject({ total: 10_000, total_is_exact: false, has_more: true })
    const leads = (await h.api('GET', '/api/v1/contacts?limit=10&status=lead')).json().pagination
    expect(leads).toMatchObject({ total: 10_000, total_is_exact: true })
    const customers = (await h.api('GET', '/api/v1/contacts?status=customer')).json().pagination
    expect(customers).toMatchObject({ total: 1, total_is_exact: true, has_more: false })
    // The last reachable offset page and a cursor page both report the capped total.
    const deep = (await h.api('GET', '/api/v1/contacts?limit=100&page=100')).json()
    expect(deep.data).toHaveLength(100)
    expect(deep.pagination).toMatchObject({ total: 10_000, total_is_exact: false, has_more: true })
    const byCursor = (await h.api('GET', `/api/v1/contacts?limit=100&cursor=${deep.pagination.next_cursor}`)).json()
    expect(byCursor.data).toHaveLength(1)
    expect(byCursor.pagination).toMatchObject({ total: 10_000, total_is_exact: false, has_more: false })
  })

  test('offset paging past the first 10,000 items is a 400 invalid_query that points to the cursor', async () => {
    const h = await testApp()
    const res = await h.api('GET', '/api/v1/contacts?limit=50&page=201')
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'invalid_query', details: [{ field: 'page' }] })
    expect(res.json().error.message).toContain('cursor')
    expect((await h.api('GET', '/api/v1/contacts?limit=50&page=200')).statusCode).toBe(200)
  })
})
