import type { TenantScope } from '../../core/tenancy.js'
import type { Db, Tx } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { findCampaign } from '../email/campaigns.repo.js'
import { pauseLockedCampaign } from '../email/campaigns.service.js'
import { insertNotification } from '../leads/notifications/notifications.service.js'
import { campaignRecentRates } from './deliverability.repo.js'

/**
 * The reputation breaker: a running campaign whose recent sends hard-bounce or draw complaints
 * above these rates pauses itself, before the sending domain's reputation suffers; a person
 * resumes it. Rates are fractions (0.05 is 5%), measured over the campaign's last `window`
 * finished sends once there are at least `minSample` of them.
 */
export interface BreakerPolicy {
  hardBounceRate: number
  complaintRate: number
  minSample: number
  window: number
}
export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  hardBounceRate: 0.05,
  complaintRate: 0.001,
  minSample: 100,
  window: 1000,
}

/**
 * Looks at one campaign after a hard bounce or complaint and pauses it, with
 * `campaign.paused {reason}` and a notification, when a rate is over its threshold. Returns the
 * reason when it paused it. Two workers checking at once pause it once (the row is locked and must
 * still be sending).
 */
export async function checkCampaignBreaker(
  db: Db,
  scope: TenantScope,
  campaignId: string,
  policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
): Promise<string | undefined> {
  // Measured first outside a transaction: most checks find nothing to do and lock nothing.
  const rates = await campaignRecentRates(db, campaignId, policy.window)
  if (!reasonOf(rates, policy)) return undefined
  return inTransaction(db, (tx) => tripBreakerIn(tx, scope, campaignId, policy))
}

/**
 * The same check inside the caller's transaction (a bounce or complaint recorded after the send,
 * bounces.ts): the rates include what the transaction wrote; the campaign is locked only when a
 * rate is over its threshold, and paused only while it is still sending.
 */
export async function tripBreakerIn(
  tx: Tx,
  scope: TenantScope,
  campaignId: string,
  policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
): Promise<string | undefined> {
  const rates = await campaignRecentRates(tx, campaignId, policy.window)
  const reason = reasonOf(rates, policy)
  if (!reason) return undefined
  const c = await findCampaign(tx, scope, campaignId, true)
  if (c?.status !== 'sending') return undefined
  await pauseLockedCampaign(tx, scope, c, reason)
  const what =
    reason === 'hard_bounce_rate'
      ? `${rates.hard} hard bounces in its last ${rates.sends} sends (over ${policy.hardBounceRate * 100}%)`
      : `${rates.complaints} complaints in its last ${rates.sends} sends (over ${policy.complaintRate * 100}%)`
  await insertNotification(tx, scope, {
    type: 'campaign.paused',
    title: `Campaign “${c.name}” paused itself`,
    body: `${what}. Check the list and the sending domain, then resume it.`,
    contact_id: null,
    subject_id: c.id,
  })
  return reason
}

function reasonOf(rates: { sends: number; hard: number; complaints: number }, policy: BreakerPolicy) {
  if (rates.sends < policy.minSample) return undefined
  return rates.hard / rates.sends > policy.hardBounceRate
    ? 'hard_bounce_rate'
    : rates.complaints / rates.sends > policy.complaintRate
      ? 'complaint_rate'
      : undefined
}
