import type { TenantScope } from '../../core/tenancy.js'
import type { Tx } from '../../db/schema.js'
import type { EmailAttachment } from '../../db/schema-email.js'
import { newId } from '../../lib/ids.js'
import { logActivity } from '../activities/log-activity.js'
import { messageIdFor, textFromHtml } from './compose.js'
import { type EmailRow, insertEmail, insertEmailEvent } from './emails.repo.js'
import { wakeEmailWorkersAfter } from './outbox.repo.js'

export interface EmailDraft {
  to: { email: string; name: string | null; contactId: string | null }
  from: { email: string; name: string | null; senderId: string | null; replyTo: string | null }
  subject: string
  html: string | null
  /** Derived from `html` when null. */
  text: string | null
  templateId?: string | null
  /** `api`, `template_test`, or which of Rapport's own messages this is. */
  category: string
  headers?: Record<string, string>
  attachments?: EmailAttachment[]
  /** Whether a contact recipient gets an `email` activity (API sends); Rapport's own messages add none. */
  logActivity?: boolean
}

/**
 * Queues one message in the caller's transaction: the message row (Message-ID fixed now), its
 * `queued` history entry, and, when asked and the recipient is a contact, an `email` activity on
 * its timeline with `activity.created`. The email workers are woken after commit. Every message Rapport sends,
 * its own included, goes through here.
 */
export async function queueEmail(tx: Tx, scope: TenantScope, draft: EmailDraft): Promise<EmailRow> {
  const id = newId('email')
  const now = new Date()
  const email = await insertEmail(tx, {
    id,
    org_id: scope.orgId,
    livemode: scope.livemode,
    contact_id: draft.to.contactId,
    to_email: draft.to.email,
    to_name: draft.to.name,
    sender_id: draft.from.senderId,
    from_email: draft.from.email,
    from_name: draft.from.name,
    reply_to: draft.from.replyTo,
    subject: draft.subject,
    html: draft.html,
    text: draft.text ?? textFromHtml(draft.html ?? ''),
    template_id: draft.templateId ?? null,
    category: draft.category,
    headers: JSON.stringify(draft.headers ?? {}),
    attachments: JSON.stringify(draft.attachments ?? []),
    message_id: messageIdFor(id, draft.from.email),
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
  })
  await insertEmailEvent(tx, id, 'queued')
  if (draft.to.contactId && draft.logActivity) {
    await logActivity(tx, scope, {
      id: newId('activity'),
      type: 'email',
      summary: `Email: ${draft.subject}`.slice(0, 500),
      body: `To ${draft.to.email} from ${draft.from.email} (${id})`,
      occurred_at: now,
      duration_minutes: null,
      contact_id: draft.to.contactId,
      deal_id: null,
      created_at: now,
      updated_at: now,
    })
  }
  wakeEmailWorkersAfter(tx)
  return email
}
