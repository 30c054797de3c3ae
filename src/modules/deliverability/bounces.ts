import type { Tx } from '../../db/schema.js'
import { emit } from '../../outbox/emit.js'
import { type BreakerPolicy, DEFAULT_BREAKER_POLICY, tripBreakerIn } from './breaker.js'
import type { BounceCategory, BounceClassification } from './classify.js'
import { emailComplained, emailHardBounced, emailSoftBounced } from './deliverability.events.js'
import { type BounceRow, insertBounce, softBouncesInLastSends } from './deliverability.repo.js'
import { suppress } from './suppress.js'

// Where `suppress` lived first; the suppressions service imports it from suppress.ts (no import circle through the breaker).
export { suppress }

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
 *
 * A hard bounce or complaint learnt after the send (any `source` but `smtp`: a DSN, a feedback
 * report, a relay's webhook) about a campaign's message also runs the reputation breaker on that
 * campaign, in this transaction: complaints arrive only this way, so this is what lets them pause
 * a campaign. (The send path checks after its own commit: emails.worker.ts.)
 */
export async function recordBounce(
  tx: Tx,
  message: BouncedMessage,
  report: BounceReport,
  source: string,
  policy: SoftBouncePolicy = DEFAULT_SOFT_BOUNCE_POLICY,
  breaker: BreakerPolicy = DEFAULT_BREAKER_POLICY,
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
  if (source !== 'smtp' && message.campaign_id && report.kind !== 'soft') {
    await tripBreakerIn(tx, scope, message.campaign_id, breaker)
  }
  return bounce
}
