import { ApiError, invalidField } from '../../../core/errors.js'
import type { PageParams } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db } from '../../../db/schema.js'
import { newId } from '../../../lib/ids.js'
import { type DomainRow, deleteDomain, findDomain, insertDomain, listDomains } from './domains.repo.js'
import type { Domain, DomainCreate, DomainListQuery } from './domains.schemas.js'

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
    const row = await insertDomain(this.db, scope, { id: newId('domain'), hostname }).catch((err) => {
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
    const row = await findDomain(this.db, scope, id)
    if (!row) throw notFound(id)
    return toDomain(row)
  }

  async list(scope: TenantScope, query: DomainListQuery & PageParams) {
    const hostname = query.hostname !== undefined ? query.hostname.trim().toLowerCase().replace(/\.$/, '') : undefined
    const page = await listDomains(this.db, scope, { ...query, hostname })
    return { ...page, data: page.data.map(toDomain) }
  }

  /** Deletes the domain; form responses that named it keep their data, with `domain_id` null. */
  async remove(scope: TenantScope, id: string): Promise<void> {
    if (!(await deleteDomain(this.db, scope, id))) throw notFound(id)
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Domain ${id} not found`)
}
