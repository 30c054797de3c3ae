import type { Db } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import { type BounceReport, DEFAULT_SOFT_BOUNCE_POLICY, recordBounce, type SoftBouncePolicy } from '../bounces.js'
import { type BreakerPolicy, checkCampaignBreaker, DEFAULT_BREAKER_POLICY } from '../breaker.js'
import { classifyDsnFailure } from './dsn-classify.js'
import { claimInboundReport, findReportedEmail, linkInboundReport, type ReportedEmail } from './inbound.repo.js'
import type { InboundReport, OriginalHeaders } from './report.js'
import { bareMessageId } from './report-fields.js'

/** Feedback types that are a person (or their provider) reporting our message as unwanted. */
const COMPLAINT_TYPES = new Set(['abuse', 'fraud', 'virus', 'other'])

export interface IntakePolicy {
  softBounces: SoftBouncePolicy
  breaker: BreakerPolicy
}

/** What became of one report for one return path (logged by the listener, one line each). */
export type IntakeResult = {
  email_id: string
  org_id?: string
  report: InboundReport['type']
  report_message_id: string | null
} & (
  | { outcome: 'recorded'; kind: 'hard' | 'soft' | 'complaint'; category: string; bounce_id: string; paused?: string }
  | { outcome: 'duplicate' }
  | { outcome: 'unknown_email' }
  | { outcome: 'not_our_message' }
  | { outcome: 'ignored'; reason: string }
)

/**
 * Applies one parsed report to the send its return path names:
 *
 * - a DSN's `failed` block for the send's address → a hard or soft bounce, classified as at send
 *   time (the Status field first, then the Diagnostic-Code); `delayed`, `delivered`, `relayed`
 *   and blocks for other addresses record nothing;
 * - a feedback report of type abuse, fraud, virus or other → a complaint;
 * - automatic replies and anything else → nothing.
 *
 * A report whose returned headers name another message (its Message-ID or X-Rapport-Email-Id)
 * records nothing. The bounce, its events, the suppression and the report's claim are written in
 * one transaction; a send gets at most one DSN and one complaint, however often they arrive.
 */
export async function applyInboundReport(
  db: Db,
  emailId: string,
  report: InboundReport,
  policy: IntakePolicy = { softBounces: DEFAULT_SOFT_BOUNCE_POLICY, breaker: DEFAULT_BREAKER_POLICY },
): Promise<IntakeResult> {
  const base = { email_id: emailId, report: report.type, report_message_id: report.messageId }
  if (report.type === 'auto_reply' || report.type === 'other') {
    return { ...base, outcome: 'ignored', reason: report.type === 'auto_reply' ? 'auto_reply' : 'not_a_report' }
  }
  const email = await findReportedEmail(db, emailId)
  if (!email) return { ...base, outcome: 'unknown_email' }
  const found = { ...base, org_id: email.org_id }
  if (!isAboutEmail(report.original, email)) return { ...found, outcome: 'not_our_message' }

  let bounce: BounceReport
  let detail: string
  if (report.type === 'dsn') {
    const address = email.to_email.toLowerCase()
    const blocks = report.recipients.filter((r) => r.finalRecipient === address || r.originalRecipient === address)
    const failed = blocks.find((r) => r.action === 'failed')
    if (!failed) {
      const actions = [...new Set(blocks.map((r) => r.action || 'none'))].join(',')
      return { ...found, outcome: 'ignored', reason: blocks.length ? `action ${actions}` : 'no block for the address' }
    }
    const c = classifyDsnFailure(failed)
    bounce = {
      kind: c.kind,
      category: c.category,
      returnCode: c.returnCode,
      enhancedCode: c.enhancedCode,
      smtpDescription: c.smtpDescription,
    }
    detail = `Status: ${failed.status ?? '-'}; Diagnostic-Code: ${failed.diagnosticCode ?? '-'}`.slice(0, 1000)
  } else {
    if (!COMPLAINT_TYPES.has(report.feedbackType)) {
      return { ...found, outcome: 'ignored', reason: `feedback type ${report.feedbackType}` }
    }
    const by = report.userAgent ? ` (${report.userAgent})` : ''
    bounce = { kind: 'complaint', smtpDescription: `${report.feedbackType}${by}`.slice(0, 1000) }
    detail = `Feedback-Type: ${report.feedbackType}`
  }

  const source = report.type
  const recorded = await inTransaction(db, async (tx) => {
    const claimed = await claimInboundReport(tx, {
      email_id: email.id,
      source,
      org_id: email.org_id,
      livemode: email.livemode,
      recipient: email.to_email.toLowerCase(),
      report_message_id: report.messageId?.slice(0, 500) ?? null,
      detail,
    })
    if (!claimed) return undefined
    const row = await recordBounce(tx, email, bounce, source, policy.softBounces)
    await linkInboundReport(tx, email.id, source, row.id)
    return row
  })
  if (!recorded) return { ...found, outcome: 'duplicate' }
  const paused =
    (recorded.kind === 'hard' || recorded.kind === 'complaint') && email.campaign_id
      ? await checkCampaignBreaker(
          db,
          { orgId: email.org_id, livemode: email.livemode },
          email.campaign_id,
          policy.breaker,
        )
      : undefined
  return {
    ...found,
    outcome: 'recorded',
    kind: recorded.kind,
    category: recorded.category,
    bounce_id: recorded.id,
    ...(paused ? { paused } : {}),
  }
}

/**
 * Whether the returned copy is of this send. Our X-Rapport-Email-Id decides when it is there, else
 * the Message-ID. A report that returns no headers at all is taken on its return path alone: the
 * signed return path names one send, and only that message carried it.
 */
function isAboutEmail(original: OriginalHeaders | null, email: ReportedEmail): boolean {
  if (!original) return true
  if (original.rapportEmailId) return original.rapportEmailId.toLowerCase() === email.id
  return original.messageId === bareMessageId(email.message_id)
}
