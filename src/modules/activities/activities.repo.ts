import { type Selectable, sql, type Updateable } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { ActivitiesTable } from '../../db/schema-timeline.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import type { ActivityListQuery } from './activities.schemas.js'

export type ActivityRow = Omit<Selectable<ActivitiesTable>, 'org_id' | 'livemode'>
export type ActivityValues = Omit<
  Updateable<ActivitiesTable>,
  'id' | 'org_id' | 'livemode' | 'created_at' | 'updated_at'
>

export const ACTIVITY_COLUMNS = [
  'id',
  'type',
  'summary',
  'body',
  'occurred_at',
  'duration_minutes',
  'contact_id',
  'deal_id',
  'created_at',
  'updated_at',
] as const

export async function insertActivity(db: Executor, scope: TenantScope, row: ActivityRow): Promise<ActivityRow> {
  return db
    .insertInto('activities')
    .values({ ...row, org_id: scope.orgId, livemode: scope.livemode })
    .returning(ACTIVITY_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findActivity(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ActivityRow | undefined> {
  let q = scoped(db, 'activities', scope).select(ACTIVITY_COLUMNS).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

/** Activities of the given ids (of the scope), in no particular order: the timeline's hydration. */
export async function findActivities(db: Executor, scope: TenantScope, ids: string[]): Promise<ActivityRow[]> {
  if (ids.length === 0) return []
  return scoped(db, 'activities', scope).select(ACTIVITY_COLUMNS).where('id', 'in', ids).execute()
}

export async function updateActivity(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: ActivityValues,
): Promise<ActivityRow> {
  return scopedUpdate(db, 'activities', scope)
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('id', '=', id)
    .returning(ACTIVITY_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function deleteActivity(db: Executor, scope: TenantScope, id: string): Promise<ActivityRow | undefined> {
  return scopedDelete(db, 'activities', scope).where('id', '=', id).returning(ACTIVITY_COLUMNS).executeTakeFirst()
}

export async function listActivities(db: Executor, scope: TenantScope, query: ActivityListQuery & PageParams) {
  let q = scoped(db, 'activities', scope)
  if (query.contact_id !== undefined) q = q.where('contact_id', '=', query.contact_id)
  if (query.deal_id !== undefined) q = q.where('deal_id', '=', query.deal_id)
  if (query.type !== undefined) q = q.where('type', '=', query.type)
  if (query.occurred_after !== undefined) q = q.where('occurred_at', '>=', new Date(query.occurred_after))
  if (query.occurred_before !== undefined) q = q.where('occurred_at', '<', new Date(query.occurred_before))
  const descending = (query.sort ?? '-occurred_at') === '-occurred_at'
  return paginate(
    q,
    (qb) => qb.select(ACTIVITY_COLUMNS),
    sql<string>`id`,
    { name: 'occurred_at', expression: sql`occurred_at`, castTo: 'timestamptz', descending },
    query,
  )
}
