import { invalidField } from '../../core/errors.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { scoped } from '../../db/scoped.js'

/**
 * Checks that the contact a work order or invoice links to exists in the caller's organization and
 * mode (422 naming `field` otherwise) and returns the name to show for it. `for key share` keeps
 * the contact from being deleted before the linking transaction commits, so the link never points
 * at a contact that vanished in between.
 */
export async function lockLinkedContact(
  db: Executor,
  scope: TenantScope,
  id: string,
  field = 'contact_id',
): Promise<{ displayName: string | null }> {
  const row = await scoped(db, 'contacts', scope)
    .select(['name', 'company', 'email'])
    .where('id', '=', id)
    .forKeyShare()
    .executeTakeFirst()
  if (!row) throw invalidField(field, `No contact ${id} in this organization and mode`)
  return { displayName: row.name ?? row.company ?? row.email }
}
