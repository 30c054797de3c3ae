import { sql } from 'kysely'
import { type PageParams, paginate, type SortSpec } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import { likePattern } from '../../db/like.js'
import type { Executor } from '../../db/schema.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import type { DealListQuery, DealStatus } from './deals.schemas.js'

export interface DealRow {
  id: string
  title: string
  /** Exact decimal text as the database returns it ("1200.0000"). */
  value: string
  currency: string
  pipeline_id: string
  stage_id: string
  /** Name of the stage (joined). */
  stage: string
  contact_id: string | null
  owner_id: string | null
  expected_close_date: string | null
  status: DealStatus
  lost_reason: string | null
  won_reason: string | null
  won_at: Date | null
  lost_at: Date | null
  created_at: Date
  updated_at: Date
  /** Computed on reads (see `lastActivityAt`); a write's returned row has neither. */
  last_activity_at?: Date
  rotting?: boolean
}

/** The columns a deal's write sets; `value` is decimal text. */
export type DealValues = Omit<DealRow, 'id' | 'stage' | 'created_at' | 'updated_at' | 'last_activity_at' | 'rotting'>

const DEAL_COLUMNS = [
  'deals.id',
  'deals.title',
  'deals.value',
  'deals.currency',
  'deals.pipeline_id',
  'deals.stage_id',
  'deals.contact_id',
  'deals.owner_id',
  'deals.expected_close_date',
  'deals.status',
  'deals.lost_reason',
  'deals.won_reason',
  'deals.won_at',
  'deals.lost_at',
  'deals.created_at',
  'deals.updated_at',
] as const

/**
 * A deal's last activity: its own last change, or the latest activity (not in the future), note or
 * completed task linked to it. Each subquery reads one index (activities_deal, notes_deal, tasks_deal).
 */
const lastActivityAt = sql<Date>`greatest(
  deals.updated_at,
  (select max(a.occurred_at) from activities a where a.deal_id = deals.id and a.occurred_at <= now()),
  (select max(n.created_at) from notes n where n.deal_id = deals.id),
  (select max(t.completed_at) from tasks t where t.deal_id = deals.id))`

/** Read columns: the stored ones, the stage's name, the last activity and whether the deal is rotting. */
const READ_COLUMNS = [
  ...DEAL_COLUMNS,
  'stages.name as stage',
  lastActivityAt.as('last_activity_at'),
  sql<boolean>`(deals.status = 'open' and stages.rotting_days is not null
    and ${lastActivityAt} < now() - make_interval(days => stages.rotting_days))`.as('rotting'),
] as const

function dealsWithStage(db: Executor, scope: TenantScope) {
  return scoped(db, 'deals', scope, { qualified: true }).innerJoin('stages', 'stages.id', 'deals.stage_id')
}

export async function findDeal(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<DealRow | undefined> {
  let q = dealsWithStage(db, scope).select(READ_COLUMNS).where('deals.id', '=', id)
  if (opts.forUpdate) q = q.forUpdate('deals')
  return q.executeTakeFirst() as Promise<DealRow | undefined>
}

/** The deals of the given ids (any order; unknown ids are left out). */
export async function findDeals(db: Executor, scope: TenantScope, ids: string[]): Promise<DealRow[]> {
  if (ids.length === 0) return []
  return dealsWithStage(db, scope).select(READ_COLUMNS).where('deals.id', 'in', ids).execute() as Promise<DealRow[]>
}

export async function insertDeal(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: DealValues,
): Promise<Omit<DealRow, 'stage'>> {
  return db
    .insertInto('deals')
    .values({ id, org_id: scope.orgId, livemode: scope.livemode, ...values })
    .returning(DEAL_COLUMNS)
    .executeTakeFirstOrThrow() as Promise<Omit<DealRow, 'stage'>>
}

export async function updateDeal(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Partial<DealValues>,
): Promise<Omit<DealRow, 'stage'>> {
  return scopedUpdate(db, 'deals', scope)
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('id', '=', id)
    .returning(DEAL_COLUMNS)
    .executeTakeFirstOrThrow() as Promise<Omit<DealRow, 'stage'>>
}

export async function deleteDeal(
  db: Executor,
  scope: TenantScope,
  id: string,
): Promise<{ id: string; title: string } | undefined> {
  return scopedDelete(db, 'deals', scope).where('id', '=', id).returning(['id', 'title']).executeTakeFirst()
}

export async function findOrgCurrency(db: Executor, orgId: string): Promise<string> {
  const row = await db.selectFrom('organizations').select('currency').where('id', '=', orgId).executeTakeFirstOrThrow()
  return row.currency
}

// Keyset cursors compare sort values as text: numbers and dates get fixed-width, byte-ordered forms.
const SORTS: Record<string, Omit<SortSpec, 'descending' | 'name'>> = {
  created_at: { expression: sql`deals.created_at`, castTo: 'timestamptz' },
  updated_at: { expression: sql`deals.updated_at`, castTo: 'timestamptz' },
  value: { expression: sql`(to_char(deals.value, 'FM0000000000000000.0000') collate "C")`, castTo: 'text' },
  expected_close_date: {
    expression: sql`(deals.expected_close_date::text collate "C")`,
    castTo: 'text',
    nullable: true,
  },
  title: { expression: sql`lower(deals.title)`, castTo: 'text' },
}

export async function listDeals(db: Executor, scope: TenantScope, query: DealListQuery & PageParams) {
  let q = dealsWithStage(db, scope)
  if (query.pipeline_id !== undefined) q = q.where('deals.pipeline_id', '=', query.pipeline_id)
  if (query.stage_id !== undefined) q = q.where('deals.stage_id', '=', query.stage_id)
  if (query.status !== undefined) q = q.where('deals.status', '=', query.status)
  if (query.contact_id !== undefined) q = q.where('deals.contact_id', '=', query.contact_id)
  if (query.owner_id !== undefined) q = q.where('deals.owner_id', '=', query.owner_id)
  if (query.currency !== undefined) q = q.where('deals.currency', '=', query.currency.toUpperCase())
  if (query.value_gte !== undefined) q = q.where(sql<boolean>`deals.value >= ${query.value_gte}::numeric`)
  if (query.value_lte !== undefined) q = q.where(sql<boolean>`deals.value <= ${query.value_lte}::numeric`)
  if (query.created_after !== undefined) q = q.where('deals.created_at', '>=', new Date(query.created_after))
  if (query.created_before !== undefined) q = q.where('deals.created_at', '<', new Date(query.created_before))
  if (query.expected_close_after !== undefined) {
    q = q.where(sql<boolean>`deals.expected_close_date >= ${query.expected_close_after}::date`)
  }
  if (query.expected_close_before !== undefined) {
    q = q.where(sql<boolean>`deals.expected_close_date <= ${query.expected_close_before}::date`)
  }
  if (query.q !== undefined) q = q.where('deals.title', 'ilike', likePattern(query.q))
  const sortKey = query.sort ?? '-created_at'
  const name = sortKey.replace(/^-/, '')
  const sort: SortSpec = { ...SORTS[name]!, name, descending: sortKey.startsWith('-') }
  const page = await paginate(q, (qb) => qb.select(READ_COLUMNS), sql<string>`deals.id`, sort, query)
  return page as { data: DealRow[]; pagination: typeof page.pagination }
}

/** Gives the deals `fromId` owns, in both modes, to `toId`; answers the deals changed. */
export function reassignDeals(executor: Executor, orgId: string, fromId: string, toId: string) {
  return executor
    .updateTable('deals')
    .set({ owner_id: toId, updated_at: sql<Date>`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('org_id', '=', orgId)
    .where('owner_id', '=', fromId)
    .returning(['id', 'livemode'])
    .execute()
}
