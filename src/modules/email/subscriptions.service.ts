import { ApiError } from '../../core/errors.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db, Tx } from '../../db/schema.js'
import type { SubscriptionStatus } from '../../db/schema-email.js'
import { inTransaction } from '../../db/transaction.js'
import { findContacts, findSubscription, listsOfContact, setMemberStatus, setSubscription } from './lists.repo.js'
import type { EmailSubscription, EmailSubscriptionUpdate } from './lists.schemas.js'

/** Each contact's email subscription status (no row: `subscribed`) and its list memberships. */
export class SubscriptionsService {
  constructor(private readonly db: Db) {}

  async get(scope: TenantScope, contactId: string): Promise<EmailSubscription> {
    const [contact] = await findContacts(this.db, scope, [contactId])
    if (!contact) throw new ApiError('not_found', `Contact ${contactId} not found`)
    const row = await findSubscription(this.db, contactId)
    const lists = await listsOfContact(this.db, scope, contactId)
    return {
      object: 'email_subscription',
      contact_id: contactId,
      status: row?.status ?? 'subscribed',
      reason: row?.reason ?? null,
      updated_at: row?.updated_at.toISOString() ?? null,
      lists,
    }
  }

  async update(scope: TenantScope, contactId: string, input: EmailSubscriptionUpdate): Promise<EmailSubscription> {
    await inTransaction(this.db, async (tx) => {
      const [contact] = await findContacts(tx, scope, [contactId])
      if (!contact) throw new ApiError('not_found', `Contact ${contactId} not found`)
      await setStatus(tx, scope, contactId, input.status, input.reason ?? 'set over the API')
    })
    return this.get(scope, contactId)
  }
}

/** The current status of a contact (`subscribed` when never set). */
export async function subscriptionStatusOf(db: Db | Tx, contactId: string): Promise<SubscriptionStatus> {
  return (await findSubscription(db, contactId))?.status ?? 'subscribed'
}

/** Sets the status; returns whether it changed. */
export async function setStatus(
  tx: Tx,
  scope: TenantScope,
  contactId: string,
  status: SubscriptionStatus,
  reason: string | null,
): Promise<boolean> {
  const before = await subscriptionStatusOf(tx, contactId)
  if (before === status) return false
  return setSubscription(tx, scope, contactId, status, reason)
}

/** Leaves some lists, or all of them. */
export function leaveLists(tx: Tx, contactId: string, listIds: string[] | 'all'): Promise<number> {
  return setMemberStatus(tx, listIds, contactId, 'unsubscribed')
}
