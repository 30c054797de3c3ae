import { type RawBuilder, sql } from 'kysely'
import type { Database, Executor } from './schema.js'

/**
 * A retention purge: deletes the rows of `table` whose `column` is older than `days` days, `batch`
 * at a time, through `index`, the table's BRIN index on that column. Rows arrive in time order, so
 * the expired ones sit together at the head: each statement reads their block ranges, whatever the
 * table's size or the number of organizations, and holds its locks briefly. Times are the
 * database's `now()`, the clock that wrote them. No `order by`: a BRIN index gives none, and any
 * expired rows will do. `keepIf`, a condition on the row (named `t`), keeps an expired row.
 * Returns how many rows went.
 *
 * Written without parameters (`days` is a configured integer), so the statement is never prepared
 * and each run is planned with its cutoff: a generic plan cannot estimate `column < now() - $1`
 * (on events it chose a merge anti-join reading the whole table by primary key: 96 ms with nothing
 * to delete at 500,000 events, against 3 ms through the BRIN index).
 *
 * A BRIN range's summary only ever widens: once vacuum frees the purged pages and new rows fill
 * them, the range still claims the deleted rows' old times, and every later purge would read it
 * again (a table's whole head, after a few retention periods). So the ranges a purge emptied are
 * desummarized once it ends, and summarized again from their live rows by the next vacuum or, at
 * the latest, at the start of the next purge (`brin_summarize_new_values`; the embedded database
 * has no autovacuum).
 */
export async function deleteOlderThan(
  db: Executor,
  opts: {
    table: keyof Database & string
    column: string
    index: string
    days: number
    batch: number
    keepIf?: RawBuilder<boolean>
  },
): Promise<number> {
  const table = sql.raw(opts.table)
  const index = sql`${sql.lit(opts.index)}::regclass`
  const keep = opts.keepIf ? sql`and not (${opts.keepIf})` : sql``
  await sql`select brin_summarize_new_values(${index})`.execute(db)
  const blocks = new Set<number>()
  let total = 0
  for (;;) {
    // How many rows went, and the blocks they sat in: their ranges are desummarized at the end.
    const { rows } = await sql<{ n: number; blocks: number[] }>`
      with deleted as (
        delete from ${table} where ctid = any(array(
          select t.ctid from ${table} t
          where ${sql.ref(`t.${opts.column}`)} < now() - make_interval(days => ${sql.lit(opts.days)}) ${keep}
          limit ${sql.lit(opts.batch)}
        ))
        returning (ctid::text::point)[0]::int as block
      )
      select count(*)::int as n, coalesce(array_agg(distinct block), '{}') as blocks from deleted`.execute(db)
    const { n, blocks: touched } = rows[0]!
    for (const b of touched) blocks.add(b)
    total += n
    if (n < opts.batch) break
  }
  if (blocks.size > 0) {
    // Once per range (pages_per_range, 128 unless the index says otherwise), not once per block.
    await sql`
      with range as (
        select coalesce((select option_value::int from pg_options_to_table(c.reloptions)
          where option_name = 'pages_per_range'), 128) as pages
        from pg_class c where c.oid = ${index})
      select count(brin_desummarize_range(${index}, first.block))
      from (select distinct b / range.pages * range.pages as block
        from unnest(${[...blocks]}::bigint[]) as b, range) as first`.execute(db)
  }
  return total
}
