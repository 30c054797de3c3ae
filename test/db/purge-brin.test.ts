import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Db } from '../../src/db/schema.js'
import { purgeOldAuditRows } from '../../src/modules/audit/audit.repo.js'
import { isolatedDatabase } from '../harness.js'
import { ownPostgresDatabase } from '../own-postgres.js'

/*
 * The retention purges find expired rows through a BRIN index on time (src/db/batched-delete.ts).
 * On a database of its own: the test vacuums, fills freed pages and reads plans, which other files'
 * rows in the suite's shared database would disturb.
 */

let db: Db
let close: () => Promise<void>
beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    const own = await ownPostgresDatabase('rapport_purge_brin')
    db = own.handle.db
    close = own.drop
  } else {
    const handle = await isolatedDatabase()
    db = handle.db
    close = () => handle.close()
  }
})
afterAll(() => close())

/** Inserts a day of 1,000 audit rows, `daysAgo` days old, in time order, about five to a page. */
const insertDay = (daysAgo: number) =>
  sql`
    insert into audit_log (id, org_id, livemode, occurred_at, method, path, status, duration_ms, request_id)
    select 'al_brin' || ${daysAgo} || '_' || g, 'org_brin', true,
      now() - make_interval(days => ${daysAgo}) + g * interval '1 day' / 1000,
      'GET', '/' || repeat('x', 1500), 200, 1, 'req_brin' || g
    from generate_series(1, 1000) as g`.execute(db)

/** The BRIN-read pages of the purge's search for rows older than `days` days. */
async function pagesReadOlderThan(days: number): Promise<{ plan: string; pages: number }> {
  const plan = await db.transaction().execute(async (tx) => {
    // Kept on the BRIN index: the embedded database may skip-scan the per-organization btree instead.
    await sql`set local enable_indexscan = off`.execute(tx)
    const rows = await sql<{ 'QUERY PLAN': string }>`
      explain (analyze, costs off, timing off, summary off)
      select t.ctid from audit_log t where t.occurred_at < now() - make_interval(days => ${sql.lit(days)})
      limit 10000`.execute(tx)
    return rows.rows.map((r) => r['QUERY PLAN']).join('\n')
  })
  return { plan, pages: Number(/lossy=(\d+)/.exec(plan)?.[1] ?? 0) }
}

describe('retention purges and their BRIN index', () => {
  test('once vacuum lets new rows fill the pages a purge emptied, the next purge reads none of them', async () => {
    // Ten days, oldest first: a day fills 200 pages, more than one 128-page BRIN range.
    for (let d = 10; d >= 1; d--) await insertDay(d)
    await sql`vacuum analyze audit_log`.execute(db)

    expect(await purgeOldAuditRows(db, 9)).toBe(1000)
    // Vacuum frees the purged pages, and the next day of rows lands in them.
    await sql`vacuum audit_log`.execute(db)
    await insertDay(0)
    const refilled = await sql<{ n: number }>`
      select count(distinct (ctid::text::point)[0])::int as n from audit_log
      where occurred_at > now() - interval '1 day' and (ctid::text::point)[0] < 200`.execute(db)
    expect(refilled.rows[0]!.n).toBeGreaterThan(128)

    expect(await purgeOldAuditRows(db, 9)).toBe(0)
    const read = await pagesReadOlderThan(9)
    expect(read.plan).toContain('Bitmap Index Scan on audit_log_occurred_brin')
    // Had the emptied ranges kept their summaries, they would still claim the purged day's times,
    // and this read would be theirs: 256 pages.
    expect(read.pages).toBeLessThan(128)
  })
})
