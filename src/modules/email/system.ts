import type { TenantScope } from '../../core/tenancy.js'
import type { Tx } from '../../db/schema.js'
import { type EmailDraft, queueEmail } from './queue.js'
import { findDefaultSender } from './senders.repo.js'
import { findSettings } from './settings.repo.js'
import type { SystemEmailKind } from './settings.schemas.js'

export interface SystemFrom {
  email: string
  name: string | null
}

/**
 * Queues one of Rapport's own messages in the caller's transaction, through the same path as
 * POST /api/v1/emails, unless the organization turned that kind off. It goes from the
 * organization's default sender, else from RAPPORT_EMAIL_FROM. Returns the email id, or null.
 */
export async function queueSystemEmail(
  tx: Tx,
  scope: TenantScope,
  kind: SystemEmailKind,
  fallbackFrom: SystemFrom,
  draft: Omit<EmailDraft, 'from'>,
): Promise<string | null> {
  const settings = await findSettings(tx, scope.orgId)
  if (!settings[kind]) return null
  const sender = await findDefaultSender(tx, scope)
  const from = sender
    ? { email: sender.email, name: sender.name, senderId: sender.id, replyTo: sender.reply_to }
    : { email: fallbackFrom.email, name: fallbackFrom.name, senderId: null, replyTo: null }
  const email = await queueEmail(tx, scope, { ...draft, from })
  return email.id
}
