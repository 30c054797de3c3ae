import { type Expression, type SelectQueryBuilder, sql } from 'kysely'
import Type, { type Static, type TSchema } from 'typebox'
import { ApiError } from './errors.js'

/** Query parameters every list accepts. */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: 'Page number, from 1' })),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Items per page (at most 100)' }),
  ),
  cursor: Type.Optional(
    Type.String({
      maxLength: 512,
      description: 'Opaque cursor from `pagination.next_cursor`; when given, `page` is ignored',
    }),
  ),
}
export type PageParams = { page?: number; limit?: number; cursor?: string }

export const Pagination = Type.Object(
  {
    page: Type.Union([Type.Integer(), Type.Null()], { description: 'The page returned; null when paging by cursor' }),
    limit: Type.Integer({ description: 'The page size used', examples: [50] }),
    total: Type.Integer({ description: 'Items matching the filters, across all pages', examples: [123] }),
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
}

type Cursor = { s: string; v: string | null; id: string }

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url')
}

function decodeCursor(raw: string, sort: SortSpec): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor
    if (
      c &&
      typeof c.id === 'string' &&
      (typeof c.v === 'string' || c.v === null) &&
      c.s === `${sort.name}:${sort.descending ? 'desc' : 'asc'}`
    ) {
      return c
    }
  } catch {}
  throw new ApiError('invalid_query', 'cursor: Is not a cursor returned by this list with this sort', {
    details: [{ field: 'cursor', message: 'Is not a cursor returned by this list with this sort' }],
  })
}

/**
 * Runs one page of a filtered query: offset paging by `page`, or keyset paging from `cursor`
 * (stable under inserts, constant cost however deep). `total` counts every match. The sort value
 * travels in the cursor as PostgreSQL text, so timestamps keep their microseconds.
 */
export async function paginate<DB, TB extends keyof DB, Row extends { id: string }>(
  // biome-ignore lint/suspicious/noExplicitAny: see above
  base: SelectQueryBuilder<DB, TB, any>,
  // biome-ignore lint/suspicious/noExplicitAny: see above
  select: (qb: SelectQueryBuilder<DB, TB, any>) => SelectQueryBuilder<DB, TB, Row>,
  idColumn: Expression<string>,
  sort: SortSpec,
  params: PageParams,
): Promise<ListResult<Row>> {
  const limit = params.limit ?? 50
  const page = params.page ?? 1
  const direction = sort.descending ? 'desc' : 'asc'
  const sortValue = sql<string | null>`(${sort.expression})::text`
  let q = select(base).select(sortValue.as('__sort_value'))
  if (params.cursor) {
    const c = decodeCursor(params.cursor, sort)
    const op = sql.raw(sort.descending ? '<' : '>')
    const value = sql`${c.v}::${sql.raw(sort.castTo)}`
    q = q.where(
      c.v === null
        ? sql<boolean>`(${sort.expression} is null and ${idColumn} ${op} ${c.id})`
        : sql<boolean>`((${sort.expression}, ${idColumn}) ${op} (${value}, ${c.id}) or ${sort.expression} is null)`,
    )
  } else {
    q = q.offset((page - 1) * limit)
  }
  q = q
    .orderBy(sql`${sort.expression} ${sql.raw(direction)} nulls last`)
    .orderBy(sql`${idColumn} ${sql.raw(direction)}`)
    .limit(limit + 1)
  const [rows, count] = await Promise.all([
    q.execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ])
  const hasMore = rows.length > limit
  const pageRows = rows.slice(0, limit) as (Row & { __sort_value: string | null })[]
  const last = pageRows.at(-1)
  return {
    data: pageRows.map(({ __sort_value, ...row }) => row as unknown as Row),
    pagination: {
      page: params.cursor ? null : page,
      limit,
      total: (count as { n: number }).n,
      has_more: hasMore,
      next_cursor:
        hasMore && last ? encodeCursor({ s: `${sort.name}:${direction}`, v: last.__sort_value, id: last.id }) : null,
    },
  }
}
