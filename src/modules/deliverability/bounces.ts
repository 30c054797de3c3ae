import type { TenantScope } from '../../core/tenancy.js'
import type { Executor, Tx } from '../../db/schema.js'
import { emit } from '../../outbox/emit.js'
import { setStatus } from '../email/subscriptions.service.js'
import type { BounceCategory, BounceClassification } from './classify.js'
import { emailComplained, emailHardBounced, emailSoftBounced, emailSuppressed } from './deliverability.events.js'
import {
  type BounceRow,
  contactIdsWithAddress,
  insertBounce,
  insertSuppression,
  type SuppressionRow,
  softBouncesInLastSends,
} from './deliverability.repo.js'

/** When soft bounces suppress an address: `threshold` of the last `window` sends (default 3 of 5). */
export interface SoftBouncePolicy {
  threshold: number
  window: number
}
export const DEFAULT_SOFT_BOUNCE_POLICY: SoftBouncePolicy = { threshold: 3, window: 5 }

/** The message a bounce or complaint is about (an `emails` row, or what a report tells of it). */
export interface BouncedMessage {
  id: string | null
  org_id: string
  livemode: boolean
  to_email: string
  contact_id: string | null
  campaign_id: string | null
  subject: string | null
  from_email: string | null
}

export type BounceReport =
  | (Pick<BounceClassification, 'kind' | 'category' | 'returnCode' | 'enhancedCode' | 'smtpDescription'> & {
      kind: 'hard' | 'soft'
    })
  | { kind: 'complaint'; category?: BounceCategory; smtpDescription: string | null }

/**
 * Records one bounce or complaint in the caller's transaction, with its event
 * (`email.hard_bounced`, `email.soft_bounced`, `email.complained`) and, when it decides so, the
 * suppression of the address (`email.suppressed`) and the subscription status of its contacts:
 * a hard bounce or a complaint at once, soft bounces when `policy.threshold` of the last
 * `policy.window` sends bounced softly. Policy rejections never suppress.
 */
export async function recordBounce(
  tx: Tx,
  message: BouncedMessage,
  report: BounceReport,
  source: string,
  policy: SoftBouncePolicy = DEFAULT_SOFT_BOUNCE_POLICY,
): Promise<BounceRow> {
  const scope = { orgId: message.org_id, livemode: message.livemode }
  const bounce = await insertBounce(tx, scope, {
    email_id: message.id,
    campaign_id: message.campaign_id,
    address: message.to_email,
    kind: report.kind,
    category: report.category ?? 'complaint',
    smtp_description: report.smtpDescription,
    return_code: report.kind === 'complaint' ? null : report.returnCode,
    enhanced_code: report.kind === 'complaint' ? null : report.enhancedCode,
    source,
  })
  const definition =
    report.kind === 'hard' ? emailHardBounced : report.kind === 'soft' ? emailSoftBounced : emailComplained
  await emit(tx, scope, definition, {
    id: message.id ?? '',
    email: message.to_email,
    contact_id: message.contact_id,
    campaign_id: message.campaign_id,
    occurred_at: bounce.created_at.toISOString(),
    reason: bounce.smtp_description,
    smtp_description: bounce.smtp_description,
    category: bounce.category,
    return_code: bounce.return_code,
    enhanced_code: bounce.enhanced_code,
    source,
    subject: message.subject,
    from: message.from_email,
  })
  const evidence = {
    bounce_id: bounce.id,
    email_id: message.id,
    category: bounce.category,
    smtp_description: bounce.smtp_description,
    source,
  }
  if (report.kind === 'hard') {
    await suppress(tx, scope, message.to_email, 'hard_bounce', evidence)
  } else if (report.kind === 'complaint') {
    await suppress(tx, scope, message.to_email, 'complaint', evidence)
  } else if (bounce.category !== 'policy' && bounce.category !== 'other') {
    const counts = await softBouncesInLastSends(tx, scope, message.to_email, policy.window)
    if (counts.softBounces >= policy.threshold) {
      await suppress(tx, scope, message.to_email, 'soft_bounces', {
        ...evidence,
        soft_bounces: counts.softBounces,
        of_last_sends: counts.sends,
      })
    }
  }
  return bounce
}

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
