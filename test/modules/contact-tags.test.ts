import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import type { PageParams } from '../../src/core/pagination.js'
import { pageTagged, sortOf } from '../../src/modules/contacts/contacts.repo.js'
import { type TestApp, testApp } from '../harness.js'

/**
 * `contact_tags` (migration 0037) is kept by triggers on `contacts` and answers the tag filters of
 * the contacts list and search. These tests check it against the contacts themselves after every
 * kind of write, and that the lists it answers page exactly as a scan of the contacts would.
 */

type Row = {
  contact_id: string
  tag: string
  status: string
  created_at: string
  name: string | null
  email: string | null
  company: string | null
  source: string
  owner_id: string | null
  updated_at: string
}

/** The copied columns of contact_tags, as text where a timestamp's microseconds matter. */
const COPIED = sql.raw(
  'status, created_at::text as created_at, name, email, company, source, owner_id, updated_at::text as updated_at',
)

/** The rows contact_tags holds for the org, and the rows the org's contacts say it should hold. */
async function heldAndExpected(h: TestApp): Promise<{ held: Row[]; expected: Row[] }> {
  const held = await sql<Row>`select contact_id, tag, ${COPIED}
    from contact_tags where org_id = ${h.org.id} order by contact_id, tag`.execute(h.deps.db)
  const expected = await sql<Row>`select c.id as contact_id, t.tag, ${COPIED}
    from contacts c cross join lateral unnest(c.tags) as t(tag)
    where c.org_id = ${h.org.id} order by c.id, t.tag`.execute(h.deps.db)
  return { held: held.rows, expected: expected.rows }
}

async function expectInStep(h: TestApp) {
  const { held, expected } = await heldAndExpected(h)
  expect(held).toEqual(expected)
  return held
}

/** A new user of the organization, to own contacts. */
async function newOwner(h: TestApp): Promise<string> {
  const id = `user_ct${Math.random().toString(36).slice(2, 10)}`
  await sql`insert into users (id, org_id, name, email, username)
    values (${id}, ${h.org.id}, 'Owner', ${`${id}@example.com`}, ${id})`.execute(h.deps.db)
  return id
}

const create = async (h: TestApp, body: Record<string, unknown>) => {
  const res = await h.api('POST', '/api/v1/contacts', { email: `${Math.random()}@example.com`, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id as string
}

describe('contact_tags follows every write to contacts', () => {
  test('create, update of tags and of status, tag rename and delete, batch, import and contact delete keep one row per tag', async () => {
    const h = await testApp()
    const a = await create(h, { tags: ['VIP', 'lead'], status: 'customer' })
    const b = await create(h, { tags: ['vip'] })
    const untagged = await create(h, {})
    expect((await expectInStep(h)).map((r) => [r.contact_id, r.tag])).toEqual(
      [
        [a, 'VIP'],
        [a, 'lead'],
        [b, 'VIP'],
      ].sort(),
    )

    expect((await h.api('PATCH', `/api/v1/contacts/${b}`, { status: 'customer' })).statusCode).toBe(200)
    expect((await h.api('PATCH', `/api/v1/contacts/${a}`, { tags: ['lead', 'partner'] })).statusCode).toBe(200)
    expect((await h.api('PATCH', `/api/v1/contacts/${untagged}`, { name: 'Still untagged' })).statusCode).toBe(200)
    const held = await expectInStep(h)
    expect(held.find((r) => r.contact_id === b)?.status).toBe('customer')
    expect(held.filter((r) => r.contact_id === a).map((r) => r.tag)).toEqual(['lead', 'partner'])

    const tags = (await h.api('GET', '/api/v1/tags')).json().data as { id: string; name: string }[]
    const idOf = (name: string) => tags.find((t) => t.name === name)!.id
    expect((await h.api('PATCH', `/api/v1/tags/${idOf('lead')}`, { name: 'prospect' })).statusCode).toBe(200)
    expect((await h.api('DELETE', `/api/v1/tags/${idOf('VIP')}`)).statusCode).toBe(200)
    expect((await expectInStep(h)).map((r) => r.tag)).toEqual(['partner', 'prospect'])

    const batch = await h.api('POST', '/api/v1/contacts/batch', {
      contacts: [
        { email: 'batch1@example.com', tags: ['imported', 'partner'] },
        { email: 'batch2@example.com', tags: ['imported'] },
      ],
    })
    expect(batch.statusCode, batch.body).toBeLessThan(300)
    const imported = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contacts/import',
      headers: { authorization: `Bearer ${h.org.key}`, 'content-type': 'text/csv' },
      payload: 'Email,Tags,Status\ncsv1@example.com,csv;partner,customer\nbatch2@example.com,csv,customer\n',
    })
    expect(imported.statusCode, imported.body).toBe(200)
    expect((await expectInStep(h)).filter((r) => r.tag === 'csv')).toHaveLength(2)

    expect((await h.api('DELETE', `/api/v1/contacts/${a}`)).statusCode).toBe(200)
    expect((await expectInStep(h)).some((r) => r.contact_id === a)).toBe(false)
  })

  test('a change to any sort key of a tagged contact (name, email, company, source, owner, updated_at) is copied, also when its owner is removed', async () => {
    const h = await testApp()
    const ownerId = await newOwner(h)
    const a = await create(h, { tags: ['vip', 'lead'], name: 'Ann', company: 'Acme' })
    await create(h, { tags: ['vip'], name: 'Bob' })
    const before = (await expectInStep(h)).find((r) => r.contact_id === a)!
    const patched = await h.api('PATCH', `/api/v1/contacts/${a}`, {
      name: 'Zoe',
      email: 'zoe@example.com',
      company: null,
    })
    expect(patched.statusCode, patched.body).toBe(200)
    const after = (await expectInStep(h)).find((r) => r.contact_id === a)!
    expect([after.name, after.email, after.company]).toEqual(['Zoe', 'zoe@example.com', null])
    expect(after.updated_at).not.toBe(before.updated_at)
    // A phone change moves only updated_at, which the updated_at sort reads.
    expect((await h.api('PATCH', `/api/v1/contacts/${a}`, { phone: '+15550100' })).statusCode).toBe(200)
    expect((await expectInStep(h)).find((r) => r.contact_id === a)!.updated_at).not.toBe(after.updated_at)
    await sql`update contacts set owner_id = ${ownerId}, source = 'form' where id = ${a}`.execute(h.deps.db)
    expect((await expectInStep(h)).filter((r) => r.owner_id === ownerId && r.source === 'form')).toHaveLength(2)
    await sql`delete from users where id = ${ownerId}`.execute(h.deps.db)
    expect((await expectInStep(h)).every((r) => r.owner_id === null)).toBe(true)
  })

  test('each organization and mode sees only its own rows; deleting the organization removes them', async () => {
    const h = await testApp()
    await create(h, { tags: ['shared'] })
    const other = await h.newOrg()
    const otherKey = { authorization: `Bearer ${other.key}` }
    await h.api('POST', '/api/v1/contacts', { email: 'o@example.com', tags: ['shared'] }, otherKey)
    const sandbox = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    await h.api('POST', '/api/v1/contacts', { email: 's@example.com', tags: ['shared'] }, sandbox)
    const listed = (await h.api('GET', '/api/v1/contacts?tag=shared')).json()
    expect(listed.pagination.total).toBe(1)
    expect((await h.api('GET', '/api/v1/contacts?tag=shared', undefined, sandbox)).json().pagination.total).toBe(1)
    await sql`delete from organizations where id = ${other.id}`.execute(h.deps.db)
    const left = await sql<{
      n: number
    }>`select count(*)::int as n from contact_tags where org_id = ${other.id}`.execute(h.deps.db)
    expect(left.rows[0]!.n).toBe(0)
  })
})

describe('lists answered from contact_tags page as a scan of the contacts would', () => {
  async function seeded() {
    const h = await testApp()
    // 40 contacts one second apart, so creation order is known: every 3rd VIP, every 2nd a customer.
    await sql`insert into tags (id, org_id, livemode, name) values (${`tag_${h.org.id}`}, ${h.org.id}, true, 'VIP')`.execute(
      h.deps.db,
    )
    await sql`insert into contacts (id, org_id, livemode, name, status, source, tags, created_at, updated_at)
      select 'c_ct' || lpad(g::text, 3, '0') || ${h.org.id}, ${h.org.id}, true, 'Person ' || g,
        case when g % 2 = 0 then 'customer' else 'lead' end, 'api',
        case when g % 3 = 0 then array['VIP'] else array[]::text[] end,
        timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-01-01' + g * interval '1 second'
      from generate_series(1, 40) g`.execute(h.deps.db)
    // Two contacts created in the same microsecond: the order falls back to the id.
    await sql`update contacts set created_at = timestamptz '2026-01-01' + interval '30 seconds'
      where org_id = ${h.org.id} and id in (${`c_ct030${h.org.id}`}, ${`c_ct033${h.org.id}`})`.execute(h.deps.db)
    const rows = await sql<{ id: string; status: string; tags: string[]; created_at: Date }>`
      select id, status, tags, created_at from contacts where org_id = ${h.org.id}`.execute(h.deps.db)
    const newestFirst = rows.rows.sort(
      (x, y) => y.created_at.getTime() - x.created_at.getTime() || (x.id < y.id ? 1 : -1),
    )
    return { h, newestFirst }
  }

  async function walk(h: TestApp, url: string, body?: Record<string, unknown>) {
    const ids: string[] = []
    const totals: number[] = []
    let cursor: string | null = null
    do {
      const res: { statusCode: number; body: string; json(): unknown } = body
        ? await h.api('POST', url, { ...body, limit: 4, ...(cursor ? { cursor } : {}) })
        : await h.api('GET', `${url}&limit=4${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.statusCode, res.body).toBe(200)
      const page = res.json() as { data: { id: string }[]; pagination: { total: number; next_cursor: string | null } }
      ids.push(...page.data.map((c) => c.id))
      totals.push(page.pagination.total)
      cursor = page.pagination.next_cursor
    } while (cursor)
    return { ids, totals }
  }

  test('?tag= in any letter case, newest and oldest first, by cursor and by page, with its exact total', async () => {
    const { h, newestFirst } = await seeded()
    const vip = newestFirst.filter((c) => c.tags.includes('VIP')).map((c) => c.id)
    expect(vip).toHaveLength(13)
    const desc = await walk(h, '/api/v1/contacts?tag=vip')
    expect(desc.ids).toEqual(vip)
    expect(new Set(desc.totals)).toEqual(new Set([13]))
    expect((await walk(h, '/api/v1/contacts?tag=Vip&sort=created_at')).ids).toEqual([...vip].reverse())
    const pages = []
    for (let page = 1; page <= 4; page++) {
      pages.push(
        ...(await h.api('GET', `/api/v1/contacts?tag=VIP&limit=4&page=${page}`))
          .json()
          .data.map((c: { id: string }) => c.id),
      )
    }
    expect(pages).toEqual(vip)
    // Another sort reads its page from contacts, still counted from contact_tags.
    const byName = (await h.api('GET', '/api/v1/contacts?tag=vip&sort=-name&limit=3')).json()
    expect(byName.pagination.total).toBe(13)
    expect(byName.data.map((c: { name: string }) => c.name)).toEqual(['Person 9', 'Person 6', 'Person 39'])
  })

  test('?tag= in every sort and direction pages, by cursor and by page, exactly as the general path over contacts', async () => {
    const { h } = await seeded()
    const ownerId = await newOwner(h)
    // Nulls, ties and letter case in every key (emails are unique), and an update order unlike the creation order.
    await sql`update contacts c set
        name = case when n.g % 5 = 0 then null when n.g % 4 = 1 then 'person 12' else c.name end,
        email = case when n.g % 3 = 0 then null when n.g % 2 = 0 then 'P' || n.g || '@Example.com'
          else 'p' || n.g || '@example.com' end,
        company = case when n.g % 6 = 0 then null when n.g % 2 = 0 then 'Acme' else 'beta' end,
        source = case when n.g % 4 = 0 then 'form' else 'api' end,
        owner_id = case when n.g % 2 = 1 then ${ownerId} end,
        updated_at = timestamptz '2026-02-01' + (n.g % 7) * interval '1 hour'
      from (select id, substr(id, 5, 3)::int as g from contacts where org_id = ${h.org.id}) n
      where c.id = n.id`.execute(h.deps.db)
    await expectInStep(h)
    const sorts = ['name', 'email', 'company', 'status', 'source', 'owner_id', 'updated_at', 'created_at']
    for (const sort of sorts.flatMap((s) => [s, `-${s}`])) {
      // A filter that matches every contact sends the request down the general path.
      const general = await walk(h, `/api/v1/contacts?tag=vip&sort=${sort}&created_after=2000-01-01T00:00:00Z`)
      expect(general.ids, sort).toHaveLength(13)
      const tagged = await walk(h, `/api/v1/contacts?tag=vip&sort=${sort}`)
      expect(tagged.ids, sort).toEqual(general.ids)
      expect(new Set(tagged.totals), sort).toEqual(new Set([13]))
      const third = (await h.api('GET', `/api/v1/contacts?tag=vip&sort=${sort}&limit=4&page=3`)).json()
      expect(
        third.data.map((c: { id: string }) => c.id),
        sort,
      ).toEqual(general.ids.slice(8, 12))
    }
  })

  test('?tag= with ?status= and the search filter "status eq and tags contains" page the same contacts', async () => {
    const { h, newestFirst } = await seeded()
    const expected = newestFirst.filter((c) => c.tags.includes('VIP') && c.status === 'customer').map((c) => c.id)
    expect(expected).toHaveLength(6)
    const listed = await walk(h, '/api/v1/contacts?tag=vip&status=customer')
    expect(listed.ids).toEqual(expected)
    expect(new Set(listed.totals)).toEqual(new Set([6]))
    const filter = {
      and: [
        { field: 'tags', op: 'contains', value: ' vIP ' },
        { field: 'status', op: 'eq', value: 'customer' },
      ],
    }
    const searched = await walk(h, '/api/v1/contacts/search', { filter })
    expect(searched.ids).toEqual(expected)
    const tagOnly = await walk(h, '/api/v1/contacts/search', {
      filter: { field: 'tags', op: 'contains', value: 'vip' },
    })
    expect(tagOnly.ids).toEqual(newestFirst.filter((c) => c.tags.includes('VIP')).map((c) => c.id))
    // A tag the organization does not have matches nothing.
    const none = await h.api('POST', '/api/v1/contacts/search', {
      filter: { field: 'tags', op: 'contains', value: 'nope' },
    })
    expect(none.json().data).toEqual([])
  })

  test("in another sort, a tag with a status pages the same whether its matches are sorted at once, found by the bounded walk of the tag's index, or sorted (or left to the planner) after the walk fell short", async () => {
    const { h } = await seeded()
    const scope = { orgId: h.org.id, livemode: true }
    // Every other contact without a name, and updates in an order unlike creation's.
    await sql`update contacts set name = case when substr(id, 5, 3)::int % 2 = 0 then null else name end,
        updated_at = timestamptz '2026-02-01' + (substr(id, 5, 3)::int % 5) * interval '1 hour'
      where org_id = ${h.org.id}`.execute(h.deps.db)
    // 7 VIP leads among 13 VIPs: sorted at once (budget 1,000), found by the walk (60), walked then
    // sorted (5), walked then left to the planner as if past the cap (5, at most 6 sorted).
    const ways: { walkBudget: number; sortUpTo?: number }[] = [
      { walkBudget: 1_000 },
      { walkBudget: 60 },
      { walkBudget: 5 },
      { walkBudget: 5, sortUpTo: 6 },
    ]
    const orders: Record<string, string> = {
      '-name': '(lower(name) is not null) desc, lower(name) desc, id desc',
      name: '(lower(name) is null), lower(name), id',
      updated_at: 'updated_at, id',
    }
    for (const [sortKey, order] of Object.entries(orders)) {
      const expected = await sql<{ id: string }>`select id from contacts
        where org_id = ${h.org.id} and 'VIP' = any(tags) and status = 'lead'
        order by ${sql.raw(order)}`.execute(h.deps.db)
      expect(expected.rows).toHaveLength(7)
      for (const way of ways) {
        const vipPage = (params: PageParams) =>
          pageTagged(h.deps.db, scope, { tag: 'VIP', status: 'lead' }, sortOf(sortKey), params, way)
        const ids: string[] = []
        let cursor: string | undefined
        do {
          const page = await vipPage({ limit: 4, cursor })
          expect(page.pagination.total).toBe(7)
          ids.push(...page.data.map((c) => c.id))
          cursor = page.pagination.next_cursor ?? undefined
        } while (cursor)
        const label = `${sortKey} ${JSON.stringify(way)}`
        expect(ids, label).toEqual(expected.rows.map((r) => r.id))
        const second = await vipPage({ limit: 3, page: 2 })
        expect(
          second.data.map((c) => c.id),
          label,
        ).toEqual(expected.rows.slice(3, 6).map((r) => r.id))
        expect(second.pagination.has_more, label).toBe(true)
      }
    }
  })

  test('a contact whose tag or status changes moves in or out of the tag lists at once', async () => {
    const { h, newestFirst } = await seeded()
    const first = newestFirst.find((c) => c.tags.includes('VIP') && c.status === 'customer')!
    expect((await h.api('PATCH', `/api/v1/contacts/${first.id}`, { status: 'lead' })).statusCode).toBe(200)
    const customers = (await h.api('GET', '/api/v1/contacts?tag=vip&status=customer')).json()
    expect(customers.pagination.total).toBe(5)
    expect(customers.data.map((c: { id: string }) => c.id)).not.toContain(first.id)
    expect((await h.api('PATCH', `/api/v1/contacts/${first.id}`, { tags: [] })).statusCode).toBe(200)
    expect((await h.api('GET', '/api/v1/contacts?tag=vip')).json().pagination.total).toBe(12)
  })
})
