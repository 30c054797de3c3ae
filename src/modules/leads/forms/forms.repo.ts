import { type Insertable, type Selectable, sql, type Updateable } from 'kysely'
import { countUpTo, type PageParams, paginate, TOTAL_CAP } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import { likePattern } from '../../../db/like.js'
import type { Executor } from '../../../db/schema.js'
import type { FormsTable } from '../../../db/schema-leads.js'
import { findScoped, scoped, scopedDelete, updateScopedReturning } from '../../../db/scoped.js'
import { NEWEST_FIRST } from '../schema-parts.js'

export type FormRow = Omit<Selectable<FormsTable>, 'org_id' | 'livemode'>
const COLUMNS = [
  'id',
  'name',
  'fields',
  'success_message',
  'redirect_url',
  'team_ids',
  'callback_enabled',
  'created_at',
  'updated_at',
] as const

export function findForm(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<FormRow | undefined> {
  return findScoped(db, 'forms', scope, id, COLUMNS, opts)
}

export function insertForm(
  db: Executor,
  scope: TenantScope,
  row: Omit<Insertable<FormsTable>, 'org_id' | 'livemode'>,
): Promise<FormRow> {
  return db
    .insertInto('forms')
    .values({ ...row, org_id: scope.orgId, livemode: scope.livemode })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

interface FormFilter {
  name?: string
  team_id?: string
  created_after?: string
  created_before?: string
}

function filtered(db: Executor, scope: TenantScope, query: FormFilter) {
  let q = scoped(db, 'forms', scope)
  if (query.name !== undefined) q = q.where('name', 'ilike', likePattern(query.name))
  if (query.team_id !== undefined) q = q.where(sql<boolean>`${query.team_id} = any(team_ids)`)
  if (query.created_after !== undefined) q = q.where('created_at', '>=', new Date(query.created_after))
  if (query.created_before !== undefined) q = q.where('created_at', '<', new Date(query.created_before))
  return q
}

/** One page of the scope's forms, newest first, by `page` or `cursor`. */
export function listForms(db: Executor, scope: TenantScope, query: FormFilter & PageParams) {
  return paginate(
    filtered(db, scope, query),
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}

/** `limit + 1` forms from `offset`, newest first (the forms-API style), and how many match (up to the cap). */
export async function listFormsFromOffset(
  db: Executor,
  scope: TenantScope,
  query: FormFilter,
  offset: number,
  limit: number,
): Promise<{ rows: FormRow[]; count: number }> {
  const q = filtered(db, scope, query)
  const [rows, count] = await Promise.all([
    q
      .select(COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(offset)
      .limit(limit + 1)
      .execute(),
    countUpTo(q, TOTAL_CAP + 1),
  ])
  return { rows, count: count.n }
}

/** Changes the form (the caller holds its lock, so it exists) and answers it. */
export async function updateForm(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Omit<Updateable<FormsTable>, 'id' | 'org_id' | 'livemode' | 'created_at' | 'updated_at'>,
): Promise<FormRow> {
  const row = await updateScopedReturning(
    db,
    'forms',
    scope,
    id,
    { ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` },
    COLUMNS,
  )
  if (!row) throw new Error(`Form ${id} vanished under its lock`)
  return row
}

/** Deletes the form; false when the scope has none with this id. */
export async function deleteForm(db: Executor, scope: TenantScope, id: string): Promise<boolean> {
  const row = await scopedDelete(db, 'forms', scope).where('id', '=', id).returning('id').executeTakeFirst()
  return row !== undefined
}

/** The id of the scope's oldest form (the `default` form of public routes), if it has any. */
export async function findOldestFormId(db: Executor, scope: TenantScope): Promise<string | undefined> {
  const row = await scoped(db, 'forms', scope)
    .select('id')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  return row?.id
}

/**
 * The organization and mode of a form, by id alone: a CORS preflight carries no key, so the form
 * names the tenant whose publishable keys' origins are checked.
 */
export function findFormScope(db: Executor, id: string) {
  return db.selectFrom('forms').select(['org_id', 'livemode']).where('id', '=', id).executeTakeFirst()
}
