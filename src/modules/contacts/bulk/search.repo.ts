import { sql } from 'kysely'
import { type PageParams, paginate, type SortSpec } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import { COLUMNS, SORTS } from '../contacts.repo.js'
import { compileFilter } from './search-filter.js'

/**
 * One page of the contacts matching `filter` (see search-filter.ts), sorted and paged exactly as
 * `GET /api/v1/contacts` is: the same sorts, keyset cursors and `total`.
 */
export async function searchContacts(
  db: Executor,
  scope: TenantScope,
  query: { filter?: unknown; sort?: string } & PageParams,
) {
  let q = db.selectFrom('contacts').where('org_id', '=', scope.orgId).where('livemode', '=', scope.livemode)
  if (query.filter !== undefined) q = q.where(compileFilter(scope, query.filter))
  const sortKey = query.sort ?? '-created_at'
  const name = sortKey.replace(/^-/, '')
  const sort: SortSpec = { ...SORTS[name]!, name, descending: sortKey.startsWith('-') }
  return paginate(q, (qb) => qb.select(COLUMNS), sql<string>`id`, sort, query)
}
