import { type Selectable, sql } from 'kysely'
import { ApiError } from '../../../core/errors.js'
import { type PageParams, paginate } from '../../../core/pagination.js'
import { assertIfMatch } from '../../../core/preconditions.js'
import type { TenantScope } from '../../../core/tenancy.js'
import { likePattern } from '../../../db/like.js'
import type { Db, Executor } from '../../../db/schema.js'
import type { TeamsTable } from '../../../db/schema-leads.js'
import { inTransaction } from '../../../db/transaction.js'
import { newId } from '../../../lib/ids.js'
import { NEWEST_FIRST } from '../schema-parts.js'
import type { Team, TeamCreate, TeamListQuery, TeamUpdate } from './teams.schemas.js'

type TeamRow = Omit<Selectable<TeamsTable>, 'org_id' | 'livemode'>
const COLUMNS = ['id', 'name', 'description', 'created_at', 'updated_at'] as const

export function toTeam(row: TeamRow): Team {
  return {
    id: row.id,
    object: 'team',
    name: row.name,
    description: row.description,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

/** The 409 for the `teams_name` unique index, else the error itself. */
function asDuplicate(err: unknown, name: string | undefined): never {
  const e = err as { code?: string; constraint?: string }
  if (e?.code === '23505' && e.constraint === 'teams_name') {
    throw new ApiError('already_exists', `A team named ${name} already exists`, {
      details: [{ field: 'name', message: 'Already used by another team' }],
    })
  }
  throw err
}

function findTeam(db: Executor, scope: TenantScope, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db
    .selectFrom('teams')
    .select(COLUMNS)
    .where('org_id', '=', scope.orgId)
    .where('livemode', '=', scope.livemode)
    .where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export class TeamsService {
  constructor(private readonly db: Db) {}

  async create(scope: TenantScope, input: TeamCreate): Promise<Team> {
    const row = await this.db
      .insertInto('teams')
      .values({
        id: newId('team'),
        org_id: scope.orgId,
        livemode: scope.livemode,
        name: input.name.trim(),
        description: input.description ?? null,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow()
      .catch((err) => asDuplicate(err, input.name))
    return toTeam(row)
  }

  async get(scope: TenantScope, id: string): Promise<Team> {
    const row = await findTeam(this.db, scope, id)
    if (!row) throw notFound(id)
    return toTeam(row)
  }

  async list(scope: TenantScope, query: TeamListQuery & PageParams) {
    let q = this.db.selectFrom('teams').where('org_id', '=', scope.orgId).where('livemode', '=', scope.livemode)
    if (query.name !== undefined) q = q.where('name', 'ilike', likePattern(query.name))
    const page = await paginate(
      q,
      (qb) => qb.select(COLUMNS),
      sql<string>`id`,
      { ...NEWEST_FIRST, expression: sql`created_at` },
      query,
    )
    return { ...page, data: page.data.map(toTeam) }
  }

  async update(scope: TenantScope, id: string, input: TeamUpdate, opts: { ifMatch?: string } = {}): Promise<Team> {
    return inTransaction(this.db, async (tx) => {
      const current = await findTeam(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toTeam(current))
      const row = await tx
        .updateTable('teams')
        .set({
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
        })
        .where('org_id', '=', scope.orgId)
        .where('livemode', '=', scope.livemode)
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow()
      return toTeam(row)
    }).catch((err) => asDuplicate(err, input.name))
  }

  /** Deletes the team and takes it off every form of the scope, in one transaction. */
  async remove(scope: TenantScope, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const row = await tx
        .deleteFrom('teams')
        .where('org_id', '=', scope.orgId)
        .where('livemode', '=', scope.livemode)
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst()
      if (!row) throw notFound(id)
      await tx
        .updateTable('forms')
        .set({ team_ids: sql`array_remove(team_ids, ${id})` })
        .where('org_id', '=', scope.orgId)
        .where('livemode', '=', scope.livemode)
        .where(sql<boolean>`${id} = any(team_ids)`)
        .execute()
    })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Team ${id} not found`)
}
