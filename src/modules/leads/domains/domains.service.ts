import { type Selectable, sql } from 'kysely'
import { ApiError, invalidField } from '../../../core/errors.js'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db, Executor } from '../../../db/schema.js'
import type { DomainsTable } from '../../../db/schema-leads.js'
import { newId } from '../../../lib/ids.js'
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

/**
 * The hostname a domain reference names when it is not an id: a hostname (`www.example.com`,
 * any case, a trailing dot) or a URL of the site (`https://www.example.com/contact`).
 */
function hostnameOf(reference: string): string {
  const raw = reference.trim()
  let host = raw
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    try {
      host = new URL(raw).hostname
    } catch {
      host = raw
    }
  }
  return host.toLowerCase().replace(/\.$/, '')
}

/**
 * The id of the domain of the scope that `reference` names: by its id (`dom_…`), or by its name,
 * which is its hostname (`www.example.com`, or a URL of the site). Locks the row against deletion
 * (`for key share`) until the caller's transaction ends. Undefined when none matches.
 */
export async function resolveDomainId(
  tx: Executor,
  scope: TenantScope,
  reference: string,
): Promise<string | undefined> {
  const byId = reference.startsWith('dom_')
  const row = await sql<{ id: string }>`select id from domains
    where org_id = ${scope.orgId} and livemode = ${scope.livemode}
      and ${byId ? sql`id = ${reference}` : sql`hostname = ${hostnameOf(reference)}`}
    for key share`.execute(tx)
  return row.rows[0]?.id
}

function notFound(id: string) {
  return new ApiError('not_found', `Domain ${id} not found`)
}
