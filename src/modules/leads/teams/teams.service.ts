import { ApiError } from '../../../core/errors.js'
import type { PageParams } from '../../../core/pagination.js'
import { assertIfMatch } from '../../../core/preconditions.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import { newId } from '../../../lib/ids.js'
import { deleteTeam, findTeam, insertTeam, listTeams, type TeamRow, updateTeam } from './teams.repo.js'
import type { Team, TeamCreate, TeamListQuery, TeamUpdate } from './teams.schemas.js'

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

export class TeamsService {
  constructor(private readonly db: Db) {}

  async create(scope: TenantScope, input: TeamCreate): Promise<Team> {
    const row = await insertTeam(this.db, scope, {
      id: newId('team'),
      name: input.name.trim(),
      description: input.description ?? null,
    }).catch((err) => asDuplicate(err, input.name))
    return toTeam(row)
  }

  async get(scope: TenantScope, id: string): Promise<Team> {
    const row = await findTeam(this.db, scope, id)
    if (!row) throw notFound(id)
    return toTeam(row)
  }

  async list(scope: TenantScope, query: TeamListQuery & PageParams) {
    const page = await listTeams(this.db, scope, query)
    return { ...page, data: page.data.map(toTeam) }
  }

  async update(scope: TenantScope, id: string, input: TeamUpdate, opts: { ifMatch?: string } = {}): Promise<Team> {
    return inTransaction(this.db, async (tx) => {
      const current = await findTeam(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toTeam(current))
      const row = await updateTeam(tx, scope, id, {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      })
      return toTeam(row)
    }).catch((err) => asDuplicate(err, input.name))
  }

  /** Deletes the team and takes it off every form of the scope, in one transaction. */
  async remove(scope: TenantScope, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      if (!(await deleteTeam(tx, scope, id))) throw notFound(id)
    })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Team ${id} not found`)
}
