import type { TenantScope } from '../../core/tenancy.js'
import type { Executor, Tx } from '../../db/schema.js'
import { emit } from '../../outbox/emit.js'
import { setStatus } from '../email/subscriptions.service.js'
import { emailSuppressed } from './deliverability.events.js'
import { contactIdsWithAddress, insertSuppression, type SuppressionRow } from './deliverability.repo.js'

const STATUS_OF_REASON: Record<string, 'bounced' | 'complained' | undefined> = {
  hard_bounce: 'bounced',
  soft_bounces: 'bounced',
  complaint: 'complained',
}

/**
 * Suppresses an address (once: a second call keeps the first reason) with `email.suppressed`, and
 * marks its contacts `bounced` or `complained` so no campaign sends to them. A complaint marks
 * them `complained` even when the address was suppressed before: the person asked for no mail.
 */
export async function suppress(
  tx: Executor,
  scope: TenantScope,
  address: string,
  reason: string,
  evidence: Record<string, unknown>,
): Promise<SuppressionRow | undefined> {
  const row = await insertSuppression(tx, scope, { address, reason, evidence })
  const status = STATUS_OF_REASON[reason]
  if (status && (row || status === 'complained')) {
    for (const contactId of await contactIdsWithAddress(tx, scope, address)) {
      await setStatus(
        tx as Tx,
        scope,
        contactId,
        status,
        `${reason}: ${String(evidence.smtp_description ?? '')}`.slice(0, 500),
      )
    }
  }
  if (row) {
    await emit(tx, scope, emailSuppressed, {
      id: row.id,
      email: row.address,
      reason: row.reason,
      evidence: row.evidence as Record<string, unknown>,
      occurred_at: row.created_at.toISOString(),
    })
  }
  return row
}
