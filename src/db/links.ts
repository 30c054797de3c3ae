import { sql } from 'kysely'
import { invalidField } from '../core/errors.js'
import type { TenantScope } from '../core/tenancy.js'
import type { Executor } from './schema.js'

/** Tables another object may link to, with the noun their errors use. Users belong to both modes. */
const LINKABLE = {
  contacts: { noun: 'contact', perMode: true },
  deals: { noun: 'deal', perMode: true },
  work_orders: { noun: 'work order', perMode: true },
  users: { noun: 'user', perMode: false },
} as const

/**
 * Throws 422 naming `field` unless `id` is a row of `table` in the caller's organization (and
 * mode, for per-mode tables). The row is locked `for key share`, so it cannot be deleted before the
 * caller's transaction commits: a link never points at a row that vanished in between.
 */
export async function assertLinked(
  tx: Executor,
  scope: TenantScope,
  table: keyof typeof LINKABLE,
  id: string,
  field: string,
): Promise<void> {
  const { noun, perMode } = LINKABLE[table]
  const mode = perMode ? sql`and livemode = ${scope.livemode}` : sql``
  const found = await sql`select 1 from ${sql.table(table)}
    where org_id = ${scope.orgId} ${mode} and id = ${id} for key share`.execute(tx)
  if (found.rows.length === 0) {
    throw invalidField(field, `No ${noun} ${id} in this organization${perMode ? ' and mode' : ''}`)
  }
}
