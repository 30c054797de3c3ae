import { sql } from 'kysely'
import type { Executor } from '../../db/schema.js'
import { invalidField } from '../../http/errors.js'
import type { TenantScope } from '../api-keys/principal.js'

/** Ids a task, activity or note links to; undefined or null means "no link given". */
export interface Links {
  contact_id?: string | null | undefined
  deal_id?: string | null | undefined
  assignee_id?: string | null | undefined
}

/**
 * Throws 422 naming the field unless each given id names a contact or deal of the caller's
 * organization and mode, or a user of the caller's organization (users belong to both modes).
 * The rows are locked `for key share`, so they cannot be deleted before the caller's transaction
 * commits (which would otherwise fail its insert on the foreign key).
 */
export async function assertLinksExist(tx: Executor, scope: TenantScope, links: Links): Promise<void> {
  if (links.contact_id != null) {
    const found = await sql`select 1 from contacts
      where org_id = ${scope.orgId} and livemode = ${scope.livemode} and id = ${links.contact_id}
      for key share`.execute(tx)
    if (found.rows.length === 0) throw invalidField('contact_id', `No contact ${links.contact_id} in this organization`)
  }
  if (links.deal_id != null) {
    const found = await sql`select 1 from deals
      where org_id = ${scope.orgId} and livemode = ${scope.livemode} and id = ${links.deal_id}
      for key share`.execute(tx)
    if (found.rows.length === 0) throw invalidField('deal_id', `No deal ${links.deal_id} in this organization`)
  }
  if (links.assignee_id != null) {
    const found = await sql`select 1 from users where org_id = ${scope.orgId} and id = ${links.assignee_id}
      for key share`.execute(tx)
    if (found.rows.length === 0) throw invalidField('assignee_id', `No user ${links.assignee_id} in this organization`)
  }
}
