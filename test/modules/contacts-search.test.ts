import { beforeAll, describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'

const URL = '/api/v1/contacts/search'

let h: TestApp
const people = [
  {
    name: 'Ada Lovelace',
    email: 'ada@analytical.org',
    status: 'customer',
    tags: ['VIP'],
    custom_fields: { plan: 'pro', seats: 12, langs: ['en', 'fr'] },
  },
  { name: 'Grace Hopper', email: 'grace@navy.mil', status: 'customer', custom_fields: { plan: 'free', seats: 3 } },
  { name: 'Alan Turing', status: 'customer', tags: ['uk'], custom_fields: { plan: 'teams', seats: '40' } },
  { name: 'Linus', phone: '+358-40-555-0101', status: 'lead', external_id: 'ext-9', tags: ['vip', 'uk'] },
  { name: '100% Real', email: 'real@example.com', status: 'churned', custom_fields: { plan: null } },
]

beforeAll(async () => {
  h = await testApp()
  for (const p of people) expect((await h.api('POST', '/api/v1/contacts', p)).statusCode).toBe(201)
})

async function search(body: unknown) {
  const res = await h.api('POST', URL, body)
  return { res, names: res.statusCode === 200 ? res.json().data.map((c: { name: string }) => c.name) : [] }
}
const leaf = (field: string, op: string, value?: unknown) => ({ field, op, ...(value === undefined ? {} : { value }) })

describe('POST /api/v1/contacts/search', () => {
  test('runs the example filter: customers tagged vip or on a pro/teams plan, without an email', async () => {
    const { res, names } = await search({
      filter: {
        and: [
          leaf('status', 'eq', 'customer'),
          { or: [leaf('tags', 'contains', 'vip'), leaf('custom_fields.plan', 'in', ['pro', 'teams'])] },
          { not: leaf('email', 'exists') },
        ],
      },
      sort: '-created_at',
      limit: 50,
    })
    expect(res.statusCode).toBe(200)
    expect(names).toEqual(['Alan Turing'])
    expect(res.json().pagination).toEqual({
      page: 1,
      limit: 50,
      total: 1,
      total_is_exact: true,
      has_more: false,
      next_cursor: null,
    })
  })

  test('without a filter lists everything, sorted and paged with a cursor', async () => {
    const first = await search({ sort: 'name', limit: 2 })
    expect(first.names).toEqual(['100% Real', 'Ada Lovelace'])
    const cursor = first.res.json().pagination.next_cursor
    const second = await search({ sort: 'name', limit: 2, cursor })
    expect(second.names).toEqual(['Alan Turing', 'Grace Hopper'])
  })

  test('text operators: eq is case-insensitive on email only, contains treats % literally, in and neq', async () => {
    expect((await search({ filter: leaf('email', 'eq', 'ADA@Analytical.org') })).names).toEqual(['Ada Lovelace'])
    expect((await search({ filter: leaf('name', 'eq', 'ada lovelace') })).names).toEqual([])
    expect((await search({ filter: leaf('name', 'contains', '100%') })).names).toEqual(['100% Real'])
    expect((await search({ filter: leaf('phone', 'contains', '358-40') })).names).toEqual(['Linus'])
    expect((await search({ filter: leaf('external_id', 'in', ['ext-9', 'ext-0']) })).names).toEqual(['Linus'])
    // neq keeps contacts without the field: it means "is not this value".
    const notAda = (await search({ filter: leaf('email', 'neq', 'ada@analytical.org'), sort: 'name' })).names
    expect(notAda).toEqual(['100% Real', 'Alan Turing', 'Grace Hopper', 'Linus'])
    expect((await search({ filter: leaf('name', 'lt', 'B'), sort: 'name' })).names).toEqual([
      '100% Real',
      'Ada Lovelace',
      'Alan Turing',
    ])
  })

  test('tags match case-insensitively; in matches any; exists matches any tag', async () => {
    expect((await search({ filter: leaf('tags', 'contains', 'vip'), sort: 'name' })).names).toEqual([
      'Ada Lovelace',
      'Linus',
    ])
    expect((await search({ filter: leaf('tags', 'contains', 'nobody-has-this') })).names).toEqual([])
    expect((await search({ filter: leaf('tags', 'in', ['UK', 'none']), sort: 'name' })).names).toEqual([
      'Alan Turing',
      'Linus',
    ])
    expect((await search({ filter: { not: leaf('tags', 'exists') }, sort: 'name' })).names).toEqual([
      '100% Real',
      'Grace Hopper',
    ])
  })

  test('custom fields: eq on scalars, lt/gt numeric for numbers and numeric text, contains in arrays, exists ignores null', async () => {
    expect((await search({ filter: leaf('custom_fields.plan', 'eq', 'pro') })).names).toEqual(['Ada Lovelace'])
    expect((await search({ filter: leaf('custom_fields.seats', 'gt', 5), sort: 'name' })).names).toEqual([
      'Ada Lovelace',
      'Alan Turing',
    ])
    expect((await search({ filter: leaf('custom_fields.plan', 'gt', 'pro') })).names).toEqual(['Alan Turing'])
    expect((await search({ filter: leaf('custom_fields.seats', 'lt', 5) })).names).toEqual(['Grace Hopper'])
    expect((await search({ filter: leaf('custom_fields.langs', 'contains', 'fr') })).names).toEqual(['Ada Lovelace'])
    expect((await search({ filter: leaf('custom_fields.plan', 'contains', 'EA') })).names).toEqual(['Alan Turing'])
    expect((await search({ filter: leaf('custom_fields.plan', 'exists'), sort: 'name' })).names).toEqual([
      'Ada Lovelace',
      'Alan Turing',
      'Grace Hopper',
    ])
    expect((await search({ filter: leaf('custom_fields.plan', 'neq', 'pro'), sort: 'name' })).names).toHaveLength(4)
  })

  test('dates compare as instants', async () => {
    const all = (await h.api('POST', URL, { sort: 'created_at' })).json().data
    const third = all[2].created_at
    expect((await search({ filter: leaf('created_at', 'gt', third), sort: 'created_at' })).names).toEqual([
      'Linus',
      '100% Real',
    ])
    expect((await search({ filter: leaf('created_at', 'eq', third) })).names).toEqual(['Alan Turing'])
  })

  test('an invalid filter is a 422 whose detail names the failing part', async () => {
    const cases: [unknown, string][] = [
      [{ and: [leaf('status', 'eq', 'lead'), { or: [leaf('name', 'like', 'x')] }] }, 'filter.and[1].or[0].op'],
      [leaf('nope', 'eq', 'x'), 'filter.field'],
      [leaf('status', 'eq', 'vip'), 'filter.value'],
      [leaf('status', 'contains', 'lead'), 'filter.op'],
      [leaf('email', 'exists', true), 'filter.value'],
      [leaf('name', 'eq'), 'filter.value'],
      [leaf('tags', 'in', []), 'filter.value'],
      [leaf('created_at', 'gt', 'yesterday'), 'filter.value'],
      [leaf('custom_fields.plan', 'eq', { a: 1 }), 'filter.value'],
      [{ or: [leaf('name', 'in', ['a', 5])] }, 'filter.or[0].value[1]'],
      [{ and: [] }, 'filter.and'],
      [{ not: leaf('name', 'eq', 'x'), or: [] }, 'filter.not'],
      [{ ...leaf('name', 'eq', 'x'), extra: 1 }, 'filter.extra'],
      [[], 'filter'],
    ]
    for (const [filter, field] of cases) {
      const { res } = await search({ filter })
      expect(res.statusCode, JSON.stringify(filter)).toBe(422)
      expect(res.json().error.code).toBe('validation_failed')
      expect(res.json().error.details[0].field, JSON.stringify(filter)).toBe(field)
    }
  })

  test('caps nesting depth and node count', async () => {
    let deep: unknown = leaf('name', 'eq', 'x')
    for (let i = 0; i < 7; i++) deep = { not: deep }
    const tooDeep = await search({ filter: deep })
    expect(tooDeep.res.statusCode).toBe(422)
    expect(tooDeep.res.json().error.details[0].message).toMatch(/deeper than 6/)
    const wide = { or: Array.from({ length: 60 }, (_, i) => leaf('name', 'eq', `n${i}`)) }
    const tooMany = await search({ filter: wide })
    expect(tooMany.res.statusCode).toBe(422)
    expect(tooMany.res.json().error.details[0].message).toMatch(/more than 50 nodes/)
  })

  test('values are bound, never spliced: SQL in a value matches literally', async () => {
    const { res, names } = await search({ filter: leaf('name', 'eq', "x' or '1'='1") })
    expect(res.statusCode).toBe(200)
    expect(names).toEqual([])
    const key = await search({ filter: leaf("custom_fields.plan' or 1=1 --", 'exists') })
    expect(key.names).toEqual([])
  })

  test('rejects unknown body fields and searches only the caller’s organization and mode', async () => {
    expect((await h.api('POST', URL, { filters: {} })).statusCode).toBe(422)
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const other = await h.newOrg()
    for (const key of [testKey, other.key]) {
      const res = await h.api('POST', URL, {}, { authorization: `Bearer ${key}` })
      expect(res.json().data).toEqual([])
    }
  })
})
