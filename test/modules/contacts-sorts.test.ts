import { beforeAll, describe, expect, test } from 'vitest'
import { insertUser } from '../fixtures.js'
import { type TestApp, testApp } from '../harness.js'

/**
 * Every sort of the contacts list, walked by cursor two at a time in both directions, must give
 * each contact exactly once, in the documented order: ties broken by id (in the sort's direction),
 * contacts without the value last both ways. Values are plain lower-case-able letters so that the
 * expected order does not depend on the database's collation.
 */
let h: TestApp
let other: { key: string }
type Row = {
  id: string
  email: string | null
  company: string | null
  status: string
  source: string
  owner_id: string | null
}
let rows: Row[] = []

beforeAll(async () => {
  h = await testApp()
  const [ann, bob] = [await insertUser(h), await insertUser(h)].sort()
  const people = [
    { email: 'delta@example.com', company: 'Umbrella', status: 'lead', source: 'api', owner_id: bob },
    { email: 'Alpha@example.com', company: 'acme', status: 'customer', source: 'form', owner_id: ann },
    { name: 'No Email', company: 'ACME', status: 'lead', source: 'api', owner_id: null },
    { email: 'charlie@example.com', status: 'prospect', source: 'import', owner_id: ann },
    { email: 'bravo@example.com', company: 'Globex', status: 'lead', source: 'manual', owner_id: bob },
    { phone: '+1-555-0100', status: 'churned', source: 'api', owner_id: null },
    { email: 'echo@example.com', company: 'acme', status: 'customer', source: 'form', owner_id: ann },
  ]
  for (const p of people) {
    const res = await h.api('POST', '/api/v1/contacts', p)
    expect(res.statusCode, res.body).toBe(201)
    rows.push(res.json())
  }
  // Another organization's and the test mode's contacts must never show up.
  const org = await h.newOrg()
  other = org
  await h.api('POST', '/api/v1/contacts', { email: 'aaa@example.com' }, { authorization: `Bearer ${org.key}` })
  const testKey = await h.newKey(h.org.id, { mode: 'test' })
  await h.api('POST', '/api/v1/contacts', { email: 'aab@example.com' }, { authorization: `Bearer ${testKey}` })
  rows = rows.map(({ id, email, company, status, source, owner_id }) => ({
    id,
    email,
    company,
    status,
    source,
    owner_id,
  }))
})

/** The expected order: by the key (nulls last both ways), then by id in the sort's direction. */
function expected(key: (r: Row) => string | null, descending: boolean): string[] {
  const sign = descending ? -1 : 1
  return [...rows]
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)]
      if (x === null || y === null) return x === y ? sign * (a.id < b.id ? -1 : 1) : x === null ? 1 : -1
      if (x !== y) return sign * (x < y ? -1 : 1)
      return sign * (a.id < b.id ? -1 : 1)
    })
    .map((r) => r.id)
}

async function walk(path: string, sort: string): Promise<string[]> {
  const seen: string[] = []
  const body = (cursor?: string) => ({ sort, limit: 2, ...(cursor ? { cursor } : {}) })
  let cursor: string | undefined
  for (let pages = 0; pages < 20; pages++) {
    const res =
      path === 'search'
        ? await h.api('POST', '/api/v1/contacts/search', body(cursor))
        : await h.api('GET', `/api/v1/contacts?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json()
    seen.push(...page.data.map((c: { id: string }) => c.id))
    if (!page.pagination.next_cursor) return seen
    cursor = page.pagination.next_cursor
  }
  throw new Error('too many pages')
}

const KEYS: Record<string, (r: Row) => string | null> = {
  email: (r) => r.email?.toLowerCase() ?? null,
  company: (r) => r.company?.toLowerCase() ?? null,
  status: (r) => r.status,
  source: (r) => r.source,
  owner_id: (r) => r.owner_id,
}

describe('contacts list sorts', () => {
  for (const [field, key] of Object.entries(KEYS)) {
    test(`sort=${field} and -${field} page by cursor through every contact once, ties by id, empty values last`, async () => {
      for (const descending of [false, true]) {
        const sort = `${descending ? '-' : ''}${field}`
        const order = expected(key, descending)
        expect(await walk('list', sort), sort).toEqual(order)
        expect(await walk('search', sort), `search ${sort}`).toEqual(order)
        // Offset paging gives the same order.
        const offset = await h.api('GET', `/api/v1/contacts?sort=${sort}&limit=3&page=2`)
        expect(offset.json().data.map((c: { id: string }) => c.id)).toEqual(order.slice(3, 6))
      }
    })
  }

  test('a cursor of one sort is refused by another', async () => {
    const first = (await h.api('GET', '/api/v1/contacts?sort=email&limit=2')).json()
    const res = await h.api('GET', `/api/v1/contacts?sort=company&limit=2&cursor=${first.pagination.next_cursor}`)
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details[0].field).toBe('cursor')
  })

  test('an unknown sort is refused, and sorts are offered to saved views', async () => {
    const res = await h.api('GET', '/api/v1/contacts?sort=phone')
    expect(res.statusCode).toBe(400)
    const view = await h.api('POST', '/api/v1/saved_views', {
      resource: 'contacts',
      name: 'By owner',
      columns: ['name', 'owner_id'],
      sort: '-owner_id',
    })
    expect(view.statusCode, view.body).toBe(201)
    expect(view.json().sort).toBe('-owner_id')
  })

  test('another organization sees only its own contact under every sort', async () => {
    for (const sort of ['email', '-company', 'status', '-owner_id']) {
      const res = await h.api('GET', `/api/v1/contacts?sort=${sort}`, undefined, {
        authorization: `Bearer ${other.key}`,
      })
      expect(res.json().data.map((c: { email: string }) => c.email)).toEqual(['aaa@example.com'])
    }
  })
})
