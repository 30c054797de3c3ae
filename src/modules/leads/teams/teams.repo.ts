import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import { likePattern } from '../../../db/like.js'
import type { Executor } from '../../../db/schema.js'
import type { TeamsTable } from '../../../db/schema-leads.js'
import { findScoped, scoped, scopedDelete, scopedUpdate, updateScopedReturning } from '../../../db/scoped.js'
import { NEWEST_FIRST } from '../schema-parts.js'

export type TeamRow = Omit<Selectable<TeamsTable>, 'org_id' | 'livemode'>
const COLUMNS = ['id', 'name', 'description', 'created_at', 'updated_at'] as const

export function findTeam(db: Executor, scope: TenantScope, id: string, opts: { forUpdate?: boolean } = {}) {
  return findScoped(db, 'teams', scope, id, COLUMNS, opts)
}

export function insertTeam(
  db: Executor,
  scope: TenantScope,
  team: { id: string; name: string; description: string | null },
): Promise<TeamRow> {
  return db
    .insertInto('teams')
    .values({ ...team, org_id: scope.orgId, livemode: scope.livemode })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export function listTeams(db: Executor, scope: TenantScope, query: { name?: string } & PageParams) {
  let q = scoped(db, 'teams', scope)
  if (query.name !== undefined) q = q.where('name', 'ilike', likePattern(query.name))
  return paginate(
    q,
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}

export async function updateTeam(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: { name?: string; description?: string | null },
): Promise<TeamRow> {
  const row = await updateScopedReturning(
    db,
    'teams',
    scope,
    id,
    { ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` },
    COLUMNS,
  )
  if (!row) throw new Error(`Team ${id} vanished under its lock`)
  return row
}

/** Deletes the team and takes it off every form of the scope; false when the scope has no such team. */
export async function deleteTeam(tx: Executor, scope: TenantScope, id: string): Promise<boolean> {
  const row = await scopedDelete(tx, 'teams', scope).where('id', '=', id).returning('id').executeTakeFirst()
  if (!row) return false
  await scopedUpdate(tx, 'forms', scope)
    .set({ team_ids: sql`array_remove(team_ids, ${id})` })
    .where(sql<boolean>`${id} = any(team_ids)`)
    .execute()
  return true
}

/** The ids among `ids` that are teams of the scope, locked against deletion (`for key share`) until commit. */
export async function lockTeams(tx: Executor, scope: TenantScope, ids: string[]): Promise<string[]> {
  const found = await sql<{ id: string }>`select id from teams
    where org_id = ${scope.orgId} and livemode = ${scope.livemode} and id = any(${ids}::text[])
    for key share`.execute(tx)
  return found.rows.map((r) => r.id)
}
