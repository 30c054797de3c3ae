import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'

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
