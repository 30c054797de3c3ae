import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { TOTAL_CAP } from '../../src/core/pagination.js'
import { type TestApp, testApp } from '../harness.js'

/**
 * `?q=` gathers its matches from the trigram index unordered, so the contacts list reads them once,
 * counting them beside the page (`pageGathered` in contacts.repo.ts). These check that its pages
 * and totals are those of the matches sorted in SQL, below the cap and past it.
 */

type Page = {
  data: { id: string }[]
  pagination: { total: number; total_is_exact: boolean; next_cursor: string | null }
}

async function get(h: TestApp, url: string): Promise<Page> {
  const res = await h.api('GET', url)
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200)
  return res.json() as Page
}

describe('substring search pages', () => {
  test('?q= in every sort, by cursor and by page, pages its matches in list order with their exact total', async () => {
    const h = await testApp()
    // 60 contacts, most matching "zq" in the name, email or company; nulls and ties in the sorts.
    await sql`insert into contacts (id, org_id, livemode, name, email, phone, company, status, source, created_at, updated_at)
      select 'c_sub' || lpad(g::text, 3, '0') || ${h.org.id}, ${h.org.id}, true,
        case when g % 5 = 0 then null when g % 4 = 1 then 'Zq Person' else 'Person ' || g end,
        case when g % 4 = 2 then 'zq' || g || '@example.com' else 'p' || g || '@example.com' end,
        case when g % 4 = 3 then '+1555' || lpad(g::text, 7, '0') end,
        case when g % 6 = 0 then 'ZQ Corp' else 'Corp ' || (g % 3) end,
        case when g % 3 = 0 then 'customer' else 'lead' end, 'api',
        timestamptz '2026-01-01' + (g % 20) * interval '1 minute',
        timestamptz '2026-02-01' + (g % 7) * interval '1 minute'
      from generate_series(1, 60) g`.execute(h.deps.db)
    const orders: Record<string, string> = {
      '-created_at': 'created_at desc, id desc',
      name: '(lower(name) is null), lower(name), id',
      '-name': '(lower(name) is not null) desc, lower(name) desc, id desc',
      company: '(lower(company) is null), lower(company), id',
      updated_at: 'updated_at, id',
      '-status': 'status desc, id desc',
    }
    for (const [sort, order] of Object.entries(orders)) {
      const expected = await sql<{ id: string }>`select id from contacts where org_id = ${h.org.id}
        and (name ilike '%zq%' or email ilike '%zq%' or phone ilike '%zq%' or company ilike '%zq%')
        order by ${sql.raw(order)}`.execute(h.deps.db)
      const ids = expected.rows.map((r) => r.id)
      expect(ids.length, sort).toBeGreaterThan(21)
      const walked: string[] = []
      let cursor: string | null = null
      do {
        const page: Page = await get(
          h,
          `/api/v1/contacts?q=ZQ&sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        )
        expect(page.pagination.total, sort).toBe(ids.length)
        walked.push(...page.data.map((c) => c.id))
        cursor = page.pagination.next_cursor
      } while (cursor)
      expect(walked, sort).toEqual(ids)
      const third = await get(h, `/api/v1/contacts?q=zq&sort=${sort}&limit=7&page=3`)
      expect(
        third.data.map((c) => c.id),
        sort,
      ).toEqual(ids.slice(14, 21))
      expect(third.pagination).toMatchObject({ total: ids.length, total_is_exact: true })
    }
    const none = await get(h, '/api/v1/contacts?q=nothing-here')
    expect(none.data).toEqual([])
    expect(none.pagination).toMatchObject({ total: 0, total_is_exact: true })
  })

  test('past the cap, ?q= pages the newest of all its matches (not of the first ones read) and its total is a lower bound', async () => {
    const h = await testApp()
    // More matches than the cap, then the newest five written last: a page taken from the first
    // TOTAL_CAP + 1 rows read would miss them.
    const old = TOTAL_CAP + 50
    await sql`insert into contacts (id, org_id, livemode, name, status, source, created_at, updated_at)
      select 'c_cap' || lpad(g::text, 6, '0') || ${h.org.id}, ${h.org.id}, true, 'Capped ' || g, 'lead', 'api',
        timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-01-01'
      from generate_series(1, ${old}::int) g`.execute(h.deps.db)
    await sql`insert into contacts (id, org_id, livemode, name, status, source, created_at, updated_at)
      select 'c_new' || g || ${h.org.id}, ${h.org.id}, true, 'Capped newest ' || g, 'lead', 'api',
        timestamptz '2027-01-01' + g * interval '1 second', timestamptz '2026-01-01'
      from generate_series(1, 5) g`.execute(h.deps.db)
    const first = await get(h, '/api/v1/contacts?q=capped&limit=10')
    expect(first.pagination).toMatchObject({ total: TOTAL_CAP, total_is_exact: false })
    expect(first.data.slice(0, 5).map((c) => c.id)).toEqual([5, 4, 3, 2, 1].map((g) => `c_new${g}${h.org.id}`))
    expect(first.data[5]!.id).toBe(`c_cap${String(old).padStart(6, '0')}${h.org.id}`)
    const next = await get(h, `/api/v1/contacts?q=capped&limit=10&cursor=${first.pagination.next_cursor}`)
    expect(next.data[0]!.id).toBe(`c_cap${String(old - 5).padStart(6, '0')}${h.org.id}`)
    expect(next.pagination.total_is_exact).toBe(false)
  })
})
