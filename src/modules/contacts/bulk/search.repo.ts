import { sql } from 'kysely'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import { scoped } from '../../../db/scoped.js'
import { findTagByName } from '../../tags/tags.repo.js'
import { COLUMNS, pageTagged, sortOf } from '../contacts.repo.js'
import { compileFilter, type FilterOptions, tagFilterOf } from './search-filter.js'

/**
 * One page of the contacts matching `filter` (see search-filter.ts), sorted and paged exactly as
 * `GET /api/v1/contacts` is: the same sorts, keyset cursors and `total`.
 */
export async function searchContacts(
  db: Executor,
  scope: TenantScope,
  query: { filter?: unknown; sort?: string } & PageParams,
  options: FilterOptions = {},
) {
  let q = scoped(db, 'contacts', scope)
  if (query.filter !== undefined) q = q.where(compileFilter(scope, query.filter, 'filter', options))
  const sort = sortOf(query.sort)
  const byTag = query.filter === undefined ? undefined : tagFilterOf(query.filter)
  const tag = byTag && (await findTagByName(db, scope, byTag.tag))?.name
  if (byTag && tag !== undefined) return pageTagged(db, scope, { tag, status: byTag.status }, sort, query)
  return paginate(q, (qb) => qb.select(COLUMNS), sql<string>`id`, sort, query)
}
