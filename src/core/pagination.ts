import { type Expression, type SelectQueryBuilder, sql } from 'kysely'
import Type, { type Static, type TSchema } from 'typebox'
import { ApiError } from './errors.js'
import { textProblem } from './text.js'

/** Query parameters every list accepts. */
/**
 * How many matches `total` counts exactly; past it, `total` is this number and `total_is_exact` is
 * false. Counting stops at the cap, so no list pays for a full count (decision 0016).
 */
export const TOTAL_CAP = 10_000

/** Offset paging (`page`) reaches the first this-many items; deeper lists are walked by cursor. */
export const MAX_OFFSET = 10_000

/** Query parameters every list accepts. */
export const PageQuery = {
  page: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_OFFSET,
      default: 1,
      description: `Page number, from 1. Offset paging reaches the first ${MAX_OFFSET.toLocaleString('en')} items (page × limit); walk deeper with \`cursor\``,
    }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Items per page (at most 100)' }),
  ),
  cursor: Type.Optional(
    Type.String({
      maxLength: 512,
      description: 'Opaque cursor from `pagination.next_cursor`; when given, `page` is ignored. Same cost at any depth',
    }),
  ),
}
export type PageParams = { page?: number; limit?: number; cursor?: string }

export const Pagination = Type.Object(
  {
    page: Type.Union([Type.Integer(), Type.Null()], { description: 'The page returned; null when paging by cursor' }),
    limit: Type.Integer({ description: 'The page size used', examples: [50] }),
    total: Type.Integer({
      description: `Items matching the filters, across all pages: exact up to ${TOTAL_CAP.toLocaleString('en')}, then ${TOTAL_CAP.toLocaleString('en')} (see \`total_is_exact\`)`,
      examples: [123],
    }),
    total_is_exact: Type.Boolean({
      description: `False when more than ${TOTAL_CAP.toLocaleString('en')} items match: \`total\` is then a lower bound`,
      examples: [true],
    }),
    has_more: Type.Boolean({ description: 'Whether more items follow this page' }),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page' }),
  },
  { description: 'Where this page sits in the list' },
)

/** The list envelope: `{"data":[…],"pagination":{…}}`. */
export function ListOf<T extends TSchema>(item: T) {
  return Type.Object(
    { data: Type.Array(item, { description: 'The items of this page, in list order' }), pagination: Pagination },
    { description: 'One page of a list' },
  )
}
export type ListResult<T> = { data: T[]; pagination: Static<typeof Pagination> }

export interface SortSpec {
  /** The public sort name (e.g. `created_at`), embedded in cursors so a cursor cannot be reused across sorts. */
  name: string
  /** The SQL expression ordered by; ties are broken by `id`. */
  expression: Expression<unknown>
  /** The SQL type that the expression's text form casts back to. */
  castTo: 'timestamptz' | 'text'
  descending: boolean
  /**
   * Whether the expression can be null (rows without it come last in both directions). Such a sort
   * orders by `(expr is null), expr, id` ascending or `(expr is not null), expr, id` descending,
   * which one btree index each serves forward (see migration 0016 for `lower(name)`).
   */
  nullable?: boolean
}

type Cursor = { s: string; v: string | null; id: string }

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url')
}

/** Text PostgreSQL accepts as a parameter: no NUL, no lone surrogate, and not absurdly long. */
function isStorableText(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 400 && textProblem(v) === undefined
}

/**
 * A timestamptz in PostgreSQL's ISO text form (what `::text` wrote into the cursor), with a real
 * calendar date in years 1–9999: anything else would make the cast fail inside the query.
 */
const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/

function isTimestampText(v: string): boolean {
  const m = TIMESTAMP_TEXT.exec(v)
  if (!m) return false
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const date = new Date(Date.UTC(2000, month - 1, day))
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    date.getUTCDate() === day &&
    // Feb 29 exists in 2000: check the year's own leap rule.
    (month !== 2 || day < 29 || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  )
}

function decodeCursor(raw: string, sort: SortSpec): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor
    if (
      c &&
      typeof c === 'object' &&
      isStorableText(c.id) &&
      (c.v === null || (isStorableText(c.v) && (sort.castTo !== 'timestamptz' || isTimestampText(c.v)))) &&
      c.s === `${sort.name}:${sort.descending ? 'desc' : 'asc'}`
    ) {
      return c
    }
  } catch {}
  throw new ApiError('invalid_query', 'cursor: Is not a cursor returned by this list with this sort', {
    details: [{ field: 'cursor', message: 'Is not a cursor returned by this list with this sort' }],
  })
}

/** The ORDER BY keys and the keyset condition of a sort, all in one direction so one index serves them. */
function orderOf(sort: SortSpec, idColumn: Expression<string>) {
  const expr = sort.expression
  if (!sort.nullable) {
    return {
      keys: [expr, idColumn],
      after: (c: Cursor) => sql<boolean>`(${expr}, ${idColumn}) ${op(sort)} (${value(sort, c)}, ${c.id})`,
    }
  }
  // Nulls last both ways: ascending puts `is null` (false first) ahead; descending `is not null` (true first).
  const nullFlag = sort.descending ? sql<boolean>`(${expr} is not null)` : sql<boolean>`(${expr} is null)`
  return {
    keys: [nullFlag, expr, idColumn],
    after: (c: Cursor) =>
      c.v === null
        ? sql<boolean>`(${expr} is null and ${idColumn} ${op(sort)} ${c.id})`
        : sql<boolean>`(${nullFlag}, ${expr}, ${idColumn}) ${op(sort)} (${sql.lit(sort.descending)}, ${value(sort, c)}, ${c.id})`,
  }
}

/** The ORDER BY keys of a sort, last the id: each is ordered in the sort's direction. */
export function orderKeys(sort: SortSpec, idColumn: Expression<string>): Expression<unknown>[] {
  return orderOf(sort, idColumn).keys
}

function op(sort: SortSpec) {
  return sql.raw(sort.descending ? '<' : '>')
}

function value(sort: SortSpec, c: Cursor) {
  return sql`${c.v}::${sql.raw(sort.castTo)}`
}

function invalidPage(message: string): ApiError {
  return new ApiError('invalid_query', `page: ${message}`, { details: [{ field: 'page', message }] })
}

/** How many items precede the page: none when paging by cursor. */
export function offsetOf(params: PageParams): number {
  return params.cursor ? 0 : ((params.page ?? 1) - 1) * (params.limit ?? 50)
}

/** How many rows in list order a page can need: those before it, its own, and one that says more follow. */
export function rowsThrough(params: PageParams): number {
  return offsetOf(params) + (params.limit ?? 50) + 1
}

/**
 * Runs one page of a filtered query: offset paging by `page` (the first MAX_OFFSET items), or
 * keyset paging from `cursor` (stable under inserts, constant cost however deep, one index range
 * scan when the sort has its index). `total` counts matches up to TOTAL_CAP, and only when this
 * page does not already tell it. The sort value travels in the cursor as PostgreSQL text, so
 * timestamps keep their microseconds.
 */
export async function paginate<DB, TB extends keyof DB, Row extends { id: string }>(
  // biome-ignore lint/suspicious/noExplicitAny: see above
  base: SelectQueryBuilder<DB, TB, any>,
  // biome-ignore lint/suspicious/noExplicitAny: see above
  select: (qb: SelectQueryBuilder<DB, TB, any>) => SelectQueryBuilder<DB, TB, Row>,
  idColumn: Expression<string>,
  sort: SortSpec,
  params: PageParams,
  options: {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    countFrom?: SelectQueryBuilder<any, any, any>
    /** The capped count (`countUpTo(…, TOTAL_CAP + 1)`), when the caller already made it. */
    counted?: { n: number }
    /**
     * A column every row carries with the capped count, made in the page's own read (see
     * `pageGathered`): used when the page has a row, and left out of the items.
     */
    countColumn?: string
  } = {},
): Promise<ListResult<Row>> {
  const limit = params.limit ?? 50
  const page = params.page ?? 1
  const offset = offsetOf(params)
  if (offset >= MAX_OFFSET) {
    throw invalidPage(
      `Offset paging reaches the first ${MAX_OFFSET} items; page deeper with cursor (pagination.next_cursor)`,
    )
  }
  const direction = sql.raw(sort.descending ? 'desc' : 'asc')
  const order = orderOf(sort, idColumn)
  const sortValue = sql<string | null>`(${sort.expression})::text`
  let q = select(base).select(sortValue.as('__sort_value'))
  if (params.cursor) q = q.where(order.after(decodeCursor(params.cursor, sort)))
  else if (offset > 0) q = q.offset(offset)
  for (const key of order.keys) q = q.orderBy(sql`${key} ${direction}`)
  const rows = await q.limit(limit + 1).execute()
  const hasMore = rows.length > limit
  const pageRows = rows.slice(0, limit) as (Row & { __sort_value: string | null })[]
  const inRows =
    options.countColumn && rows[0] ? Number((rows[0] as Record<string, unknown>)[options.countColumn]) : undefined
  // Offset paging on the last page already knows the total; otherwise count, stopping at the cap.
  const total =
    !params.cursor && !hasMore && (pageRows.length > 0 || offset === 0)
      ? { n: offset + pageRows.length }
      : (options.counted ??
        (inRows !== undefined ? { n: inRows } : await countUpTo(options.countFrom ?? base, TOTAL_CAP + 1)))
  const last = pageRows.at(-1)
  const itemOf = ({ __sort_value, ...row }: Row & { __sort_value: string | null }) => {
    if (options.countColumn) delete (row as Record<string, unknown>)[options.countColumn]
    return row as unknown as Row
  }
  return {
    data: pageRows.map(itemOf),
    pagination: {
      page: params.cursor ? null : page,
      limit,
      ...cappedTotal(total.n),
      has_more: hasMore,
      next_cursor:
        hasMore && last
          ? encodeCursor({ s: `${sort.name}:${sort.descending ? 'desc' : 'asc'}`, v: last.__sort_value, id: last.id })
          : null,
    },
  }
}

/**
 * Narrows one branch of a list built as a `union all` to the rows this page can need: the cursor's
 * range, in list order, at most offset + limit + 1. Each branch then reads one index range and the
 * merge sorts only those, where a sort over the whole union would read every match. Pass the
 * unnarrowed union to `paginate` as `countFrom`.
 */
// biome-ignore lint/suspicious/noExplicitAny: any branch shape; the caller wraps it in its union
export function narrowBranch<Q extends SelectQueryBuilder<any, any, any>>(
  branch: Q,
  sort: SortSpec,
  idColumn: Expression<string>,
  params: PageParams,
): Q {
  const order = orderOf(sort, idColumn)
  let q = branch
  if (params.cursor) q = q.where(order.after(decodeCursor(params.cursor, sort))) as Q
  const direction = sql.raw(sort.descending ? 'desc' : 'asc')
  for (const key of order.keys) q = q.orderBy(sql`${key} ${direction}`) as Q
  return q.limit(rowsThrough(params)) as Q
}

/**
 * Counts the query's rows, reading at most `cap` of them. The capped count is an uncorrelated
 * subquery (evaluated once) selected beside the first match, so it runs on the query's own
 * connection; no match, no row: 0.
 */
export async function countUpTo<DB, TB extends keyof DB>(
  // biome-ignore lint/suspicious/noExplicitAny: any selection; only the row count matters
  base: SelectQueryBuilder<DB, TB, any>,
  cap: number,
): Promise<{ n: number }> {
  const capped = base.select(sql<number>`1`.as('one')).limit(cap)
  const row = await base
    .select(sql<number>`(select count(*)::int from (${capped}) as capped)`.as('n'))
    .limit(1)
    .executeTakeFirst()
  return { n: (row as { n: number } | undefined)?.n ?? 0 }
}

/** The `total` and `total_is_exact` of a list from a count made by `countUpTo(base, TOTAL_CAP + 1)`. */
export function cappedTotal(n: number): { total: number; total_is_exact: boolean } {
  return { total: Math.min(n, TOTAL_CAP), total_is_exact: n <= TOTAL_CAP }
}
