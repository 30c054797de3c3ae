import type { TenantScope } from '../../core/tenancy.js'
import { assertLinked } from '../../db/links.js'
import type { Executor } from '../../db/schema.js'

/** Ids a task, activity or note links to; undefined or null means "no link given". */
export interface Links {
  contact_id?: string | null | undefined
  deal_id?: string | null | undefined
  assignee_id?: string | null | undefined
}

/**
 * Throws 422 naming the field unless each given id names a contact or deal of the caller's
 * organization and mode, or a user of the caller's organization (users belong to both modes).
 * The rows are locked until the caller's transaction commits (see assertLinked).
 */
export async function assertLinksExist(tx: Executor, scope: TenantScope, links: Links): Promise<void> {
  if (links.contact_id != null) await assertLinked(tx, scope, 'contacts', links.contact_id, 'contact_id')
  if (links.deal_id != null) await assertLinked(tx, scope, 'deals', links.deal_id, 'deal_id')
  if (links.assignee_id != null) await assertLinked(tx, scope, 'users', links.assignee_id, 'assignee_id')
}
