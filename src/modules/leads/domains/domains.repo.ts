import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import type { DomainsTable } from '../../../db/schema-leads.js'
import { findScoped, scoped, scopedDelete } from '../../../db/scoped.js'
import { NEWEST_FIRST } from '../schema-parts.js'

export type DomainRow = Omit<Selectable<DomainsTable>, 'org_id' | 'livemode'>
const COLUMNS = ['id', 'hostname', 'created_at', 'updated_at'] as const

export function insertDomain(
  db: Executor,
  scope: TenantScope,
  domain: { id: string; hostname: string },
): Promise<DomainRow> {
  return db
    .insertInto('domains')
    .values({ ...domain, org_id: scope.orgId, livemode: scope.livemode })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export function findDomain(db: Executor, scope: TenantScope, id: string) {
  return findScoped(db, 'domains', scope, id, COLUMNS)
}

/** The scope's domains, newest first; `hostname` (already normalized) filters by exact name. */
export function listDomains(db: Executor, scope: TenantScope, query: { hostname?: string | undefined } & PageParams) {
  let q = scoped(db, 'domains', scope)
  if (query.hostname !== undefined) q = q.where('hostname', '=', query.hostname)
  return paginate(
    q,
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}

/** Deletes the domain; false when the scope has none with this id. */
export async function deleteDomain(db: Executor, scope: TenantScope, id: string): Promise<boolean> {
  const row = await scopedDelete(db, 'domains', scope).where('id', '=', id).returning('id').executeTakeFirst()
  return row !== undefined
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
