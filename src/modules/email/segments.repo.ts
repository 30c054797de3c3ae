import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { EmailSegmentsTable } from '../../db/schema-email.js'
import { findScoped, scoped, scopedDelete, updateScopedReturning } from '../../db/scoped.js'
import { compileFilter } from '../contacts/bulk/search-filter.js'
import { NEWEST_FIRST } from './email.schema-parts.js'

export type SegmentRow = Omit<Selectable<EmailSegmentsTable>, 'org_id' | 'livemode'>
const COLUMNS = ['id', 'name', 'description', 'filter', 'created_at', 'updated_at'] as const

export async function insertSegment(
  db: Executor,
  scope: TenantScope,
  row: { id: string; name: string; description: string | null; filter: unknown },
): Promise<SegmentRow> {
  return db
    .insertInto('email_segments')
    .values({ ...row, filter: JSON.stringify(row.filter), org_id: scope.orgId, livemode: scope.livemode })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export function findSegment(db: Executor, scope: TenantScope, id: string): Promise<SegmentRow | undefined> {
  return findScoped(db, 'email_segments', scope, id, COLUMNS)
}

export function findSegments(db: Executor, scope: TenantScope, ids: string[]): Promise<SegmentRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return scoped(db, 'email_segments', scope).select(COLUMNS).where('id', 'in', ids).execute()
}

export function listSegments(db: Executor, scope: TenantScope, query: PageParams) {
  return paginate(
    scoped(db, 'email_segments', scope),
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}

export function updateSegment(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Partial<{ name: string; description: string | null; filter: unknown }>,
): Promise<SegmentRow | undefined> {
  const { filter, ...rest } = values
  return updateScopedReturning(
    db,
    'email_segments',
    scope,
    id,
    {
      ...rest,
      ...(filter !== undefined ? { filter: JSON.stringify(filter) } : {}),
      updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
    },
    COLUMNS,
  )
}

export async function deleteSegment(db: Executor, scope: TenantScope, id: string): Promise<boolean> {
  const row = await scopedDelete(db, 'email_segments', scope).where('id', '=', id).returning('id').executeTakeFirst()
  return row !== undefined
}

/** How many contacts `filter` matches now, and how many of them a campaign would reach. */
export async function countSegment(db: Executor, scope: TenantScope, filter: unknown) {
  const row = await scoped(db, 'contacts', scope, { qualified: true })
    .leftJoin('email_subscriptions as s', 's.contact_id', 'contacts.id')
    .where(compileFilter(scope, filter))
    .select([
      sql<number>`count(*)::int`.as('contacts'),
      sql<number>`(count(*) filter (where contacts.email is not null and coalesce(s.status, 'subscribed') = 'subscribed'))::int`.as(
        'members',
      ),
    ])
    .executeTakeFirstOrThrow()
  return row
}
