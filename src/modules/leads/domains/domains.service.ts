import { type Selectable, sql } from 'kysely'
import type { Db } from '../../../db/schema.js'
import type { DomainsTable } from '../../../db/schema-leads.js'
import { ApiError, invalidField } from '../../../http/errors.js'
import { type PageParams, paginate } from '../../../http/pagination.js'
import { newId } from '../../../lib/ids.js'
import type { TenantScope } from '../../api-keys/principal.js'
import { NEWEST_FIRST } from '../schema-parts.js'
import type { Domain, DomainCreate, DomainListQuery } from './domains.schemas.js'

type DomainRow = Omit<Selectable<DomainsTable>, 'org_id' | 'livemode'>
const COLUMNS = ['id', 'hostname', 'created_at', 'updated_at'] as const
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/

export function toDomain(row: DomainRow): Domain {
  return {
    id: row.id,
    object: 'domain',
    hostname: row.hostname,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

/**
 * The stored form of a hostname: trimmed, lower-case, without a trailing dot. Throws 422 unless it
 * is two or more DNS labels (so `localhost`, IP-less schemes, ports and paths are refused).
 */
export function normalizeHostname(input: string): string {
  const hostname = input.trim().toLowerCase().replace(/\.$/, '')
  const labels = hostname.split('.')
  const isValid =
    hostname.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1)!)
  if (!isValid) {
    throw invalidField('hostname', 'Must be a hostname such as www.example.com (no scheme, port or path)')
  }
  return hostname
}

export class DomainsService {
  constructor(private readonly db: Db) {}

  async create(scope: TenantScope, input: DomainCreate): Promise<Domain> {
    const hostname = normalizeHostname(input.hostname)
    const row = await this.db
      .insertInto('domains')
      .values({ id: newId('domain'), org_id: scope.orgId, livemode: scope.livemode, hostname })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow()
      .catch((err) => {
        const e = err as { code?: string; constraint?: string }
        if (e?.code === '23505' && e.constraint === 'domains_hostname') {
          throw new ApiError('already_exists', `The domain ${hostname} already exists`, {
            details: [{ field: 'hostname', message: 'Already added' }],
          })
        }
        throw err
      })
    return toDomain(row)
  }

  async get(scope: TenantScope, id: string): Promise<Domain> {
    const row = await this.db
      .selectFrom('domains')
      .select(COLUMNS)
      .where('org_id', '=', scope.orgId)
      .where('livemode', '=', scope.livemode)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) throw notFound(id)
    return toDomain(row)
  }

  async list(scope: TenantScope, query: DomainListQuery & PageParams) {
    let q = this.db.selectFrom('domains').where('org_id', '=', scope.orgId).where('livemode', '=', scope.livemode)
    if (query.hostname !== undefined) {
      q = q.where('hostname', '=', query.hostname.trim().toLowerCase().replace(/\.$/, ''))
    }
    const page = await paginate(
      q,
      (qb) => qb.select(COLUMNS),
      sql<string>`id`,
      { ...NEWEST_FIRST, expression: sql`created_at` },
      query,
    )
    return { ...page, data: page.data.map(toDomain) }
  }

  /** Deletes the domain; form responses that named it keep their data, with `domain_id` null. */
  async remove(scope: TenantScope, id: string): Promise<void> {
    const row = await this.db
      .deleteFrom('domains')
      .where('org_id', '=', scope.orgId)
      .where('livemode', '=', scope.livemode)
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst()
    if (!row) throw notFound(id)
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Domain ${id} not found`)
}
