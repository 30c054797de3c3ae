import { sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import type { SavedViewCreate, SavedViewListQuery, SavedViewUpdate } from './saved-views.schemas.js'

export interface SavedViewRow {
  id: string
  owner_id: string
  resource: string
  name: string
  shared: boolean
  columns: string[]
  sort: string | null
  filter: unknown
  q: string | null
  created_at: Date
  updated_at: Date
}

const COLUMNS = [
  'id',
  'owner_id',
  'resource',
  'name',
  'shared',
  'columns',
  'sort',
  'filter',
  'q',
  'created_at',
  'updated_at',
] as const

/** The views `viewerId` may see: their own, and the shared ones. */
const visible = (db: Executor, scope: TenantScope, viewerId: string) =>
  scoped(db, 'saved_views', scope).where((eb) => eb.or([eb('owner_id', '=', viewerId), eb('shared', '=', true)]))

export function listSavedViews(
  db: Executor,
  scope: TenantScope,
  viewerId: string,
  query: SavedViewListQuery & PageParams,
) {
  let q = visible(db, scope, viewerId)
  if (query.resource) q = q.where('resource', '=', query.resource)
  return paginate(
    q,
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    {
      name: 'name',
      expression: sql`lower(name)`,
      castTo: 'text',
      descending: false,
    },
    query,
  )
}

export async function findSavedView(
  db: Executor,
  scope: TenantScope,
  viewerId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<SavedViewRow | undefined> {
  let q = visible(db, scope, viewerId).select(COLUMNS).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function insertSavedView(
  db: Executor,
  scope: TenantScope,
  row: { id: string; owner_id: string } & SavedViewCreate,
): Promise<SavedViewRow> {
  return db
    .insertInto('saved_views')
    .values({
      id: row.id,
      org_id: scope.orgId,
      livemode: scope.livemode,
      owner_id: row.owner_id,
      resource: row.resource,
      name: row.name,
      shared: row.shared ?? false,
      columns: JSON.stringify(row.columns),
      sort: row.sort ?? null,
      filter: row.filter ? JSON.stringify(row.filter) : null,
      q: row.q ?? null,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function updateSavedView(
  db: Executor,
  scope: TenantScope,
  id: string,
  patch: SavedViewUpdate,
): Promise<SavedViewRow> {
  return scopedUpdate(db, 'saved_views', scope)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.shared !== undefined ? { shared: patch.shared } : {}),
      ...(patch.columns !== undefined ? { columns: JSON.stringify(patch.columns) } : {}),
      ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
      ...(patch.filter !== undefined ? { filter: patch.filter ? JSON.stringify(patch.filter) : null } : {}),
      ...(patch.q !== undefined ? { q: patch.q } : {}),
      updated_at: sql`greatest(now(), updated_at + interval '1 millisecond')`,
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function deleteSavedView(db: Executor, scope: TenantScope, id: string): Promise<void> {
  await scopedDelete(db, 'saved_views', scope).where('id', '=', id).execute()
}
