import {
  type DeleteQueryBuilder,
  type DeleteResult,
  type SelectExpression,
  type Selection,
  type SelectQueryBuilder,
  sql,
  type UpdateObject,
  type UpdateQueryBuilder,
  type UpdateResult,
} from 'kysely'
import type { TenantScope } from '../core/tenancy.js'
import type { Database, Executor } from './schema.js'

/** What a builder has selected before its first `select`: Kysely's own starting type. */
// biome-ignore lint/complexity/noBannedTypes: Kysely starts every select builder with `{}`; another type would change every selection's type
export type NoSelection = {}

/** The tables whose rows belong to one organization and one mode (`org_id` and `livemode` columns). */
export type ScopedTable = {
  [T in keyof Database]: Database[T] extends { org_id: unknown; livemode: unknown } ? T : never
}[keyof Database]

export interface ScopeOptions {
  /**
   * Writes the table's name before the columns (`"bookings"."org_id"`): needed when the query
   * joins or nests another table that has the same columns.
   */
  qualified?: boolean
}

/*
 * Kysely cannot type a filter on a table that is a type parameter (its `where` over a generic
 * table is a union of signatures TypeScript cannot call), so the filter is added on the builder
 * seen as one over no table, and the result is given back its table. The columns are named through
 * `sql.ref`, which compiles to exactly the text `.where('org_id', …)` did (`"org_id" = $1 and
 * "livemode" = $2`): prepared statements and the plans the index tests pin do not change.
 */
type Untyped<B> =
  B extends SelectQueryBuilder<Database, infer _T, infer _O>
    ? SelectQueryBuilder<Database, never, NoSelection>
    : B extends UpdateQueryBuilder<Database, infer _U, infer _T, infer _R>
      ? UpdateQueryBuilder<Database, never, never, UpdateResult>
      : DeleteQueryBuilder<Database, never, DeleteResult>
const untyped = <B>(builder: B) => builder as unknown as Untyped<B>

const column = (table: string, name: string, opts: ScopeOptions) => sql.ref(opts.qualified ? `${table}.${name}` : name)

/**
 * The rows of `table` in `scope`: `select … from table where org_id = $1 and livemode = $2`. The
 * one way a repository starts a tenant query, so none can forget either half of the scope.
 */
export function scoped<T extends ScopedTable>(
  executor: Executor,
  table: T,
  scope: TenantScope,
  opts: ScopeOptions = {},
): SelectQueryBuilder<Database, T, NoSelection> {
  return untyped(executor.selectFrom(table))
    .where(column(table, 'org_id', opts), '=', scope.orgId)
    .where(column(table, 'livemode', opts), '=', scope.livemode) as unknown as SelectQueryBuilder<
    Database,
    T,
    NoSelection
  >
}

/** `update table … where org_id = $ and livemode = $`: the caller adds the rest of the filter and `set`. */
export function scopedUpdate<T extends ScopedTable>(
  executor: Executor,
  table: T,
  scope: TenantScope,
): UpdateQueryBuilder<Database, T, T, UpdateResult> {
  return untyped(executor.updateTable(table))
    .where(sql.ref('org_id'), '=', scope.orgId)
    .where(sql.ref('livemode'), '=', scope.livemode) as unknown as UpdateQueryBuilder<Database, T, T, UpdateResult>
}

/** `delete from table where org_id = $ and livemode = $`: the caller adds the rest of the filter. */
export function scopedDelete<T extends ScopedTable>(
  executor: Executor,
  table: T,
  scope: TenantScope,
): DeleteQueryBuilder<Database, T, DeleteResult> {
  return untyped(executor.deleteFrom(table))
    .where(sql.ref('org_id'), '=', scope.orgId)
    .where(sql.ref('livemode'), '=', scope.livemode) as unknown as DeleteQueryBuilder<Database, T, DeleteResult>
}

/**
 * One row of `table` by id, in `scope`, with `columns`; locked (`for update`) when asked. Another
 * organization's or mode's row is `undefined`, as an unknown id is.
 */
export async function findScoped<T extends ScopedTable, C extends SelectExpression<Database, T>>(
  executor: Executor,
  table: T,
  scope: TenantScope,
  id: string,
  columns: readonly C[],
  opts: { forUpdate?: boolean } = {},
): Promise<Selection<Database, T, C> | undefined> {
  let q = scoped(executor, table, scope).select(columns).where(sql.ref('id'), '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return (await q.executeTakeFirst()) as Selection<Database, T, C> | undefined
}

/**
 * Updates one row of `table` by id, in `scope`, and answers it with `columns`; `undefined` when no
 * row of the scope has that id (another organization's row is never changed).
 */
export async function updateScopedReturning<T extends ScopedTable, C extends SelectExpression<Database, T>>(
  executor: Executor,
  table: T,
  scope: TenantScope,
  id: string,
  values: UpdateObject<Database, T, T>,
  columns: readonly C[],
): Promise<Selection<Database, T, C> | undefined> {
  return (await scopedUpdate(executor, table, scope)
    .set(values)
    .where(sql.ref('id'), '=', id)
    .returning(columns)
    .executeTakeFirst()) as Selection<Database, T, C> | undefined
}
