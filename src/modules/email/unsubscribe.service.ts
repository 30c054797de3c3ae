import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { emit } from '../../outbox/emit.js'
import { emailUnsubscribed } from './email.events.js'
import { listsOfContact } from './lists.repo.js'
import { leaveLists, setStatus, subscriptionStatusOf } from './subscriptions.service.js'
import { findSend, type SendOwner } from './tracking.repo.js'

export type UnsubscribeOutcome = { kind: 'unknown' } | { kind: 'done'; email: string; changed: boolean }

/**
 * What the unsubscribe link and the preferences page of a campaign message do. The link is signed
 * per send (see link-signer.ts); it identifies the recipient and nothing more.
 */
export class UnsubscribeService {
  constructor(private readonly db: Db) {}

  /** Unsubscribes the recipient from all marketing email (RFC 8058 one-click), with `email.unsubscribed`. */
  async unsubscribe(sendId: string, reason: string): Promise<UnsubscribeOutcome> {
    const send = await findSend(this.db, sendId)
    if (!send) return { kind: 'unknown' }
    if (!send.contact_id) return { kind: 'done', email: send.to_email, changed: false }
    const changed = await inTransaction(this.db, async (tx) => {
      const isChanged = await setStatus(tx, scopeOf(send), send.contact_id!, 'unsubscribed', reason)
      if (isChanged) await this.emitUnsubscribed(tx, send)
      return isChanged
    })
    return { kind: 'done', email: send.to_email, changed }
  }

  /** The lists of the recipient and whether it receives marketing email at all. */
  async preferences(sendId: string) {
    const send = await findSend(this.db, sendId)
    if (!send?.contact_id) return undefined
    return {
      email: send.to_email,
      status: await subscriptionStatusOf(this.db, send.contact_id),
      lists: await listsOfContact(this.db, scopeOf(send), send.contact_id),
    }
  }

  /** Applies the preferences form: keep the checked lists, leave the others; `all` leaves everything. */
  async savePreferences(sendId: string, keepListIds: string[], leaveAll: boolean) {
    const send = await findSend(this.db, sendId)
    if (!send?.contact_id) return undefined
    const contactId = send.contact_id
    await inTransaction(this.db, async (tx) => {
      const lists = await listsOfContact(tx, scopeOf(send), contactId)
      const leaving = lists.filter((l) => leaveAll || !keepListIds.includes(l.id)).map((l) => l.id)
      if (leaving.length > 0) await leaveLists(tx, contactId, leaving)
      const changed = leaveAll
        ? await setStatus(tx, scopeOf(send), contactId, 'unsubscribed', 'preferences page')
        : false
      if (changed || leaving.length > 0) await this.emitUnsubscribed(tx, send)
    })
    return this.preferences(sendId)
  }

  private async emitUnsubscribed(tx: Parameters<typeof emit>[0], send: SendOwner) {
    await emit(tx, scopeOf(send), emailUnsubscribed, {
      id: send.email_id ?? send.id,
      email: send.to_email,
      contact_id: send.contact_id,
      campaign_id: send.campaign_id,
      occurred_at: new Date().toISOString(),
      subject: send.subject,
      from: send.from_email,
    })
  }
}

function scopeOf(s: { org_id: string; livemode: boolean }) {
  return { orgId: s.org_id, livemode: s.livemode }
}
