import type { BounceCategory } from '../classify.js'
import { obj, type ProviderEvent, reportOf, str, type Verdict } from './provider-report.js'

/**
 * The bounces and complaints of one Amazon SES notification (the `Message` of an SNS
 * Notification, itself JSON): `notificationType` (or `eventType` for event publishing) `Bounce`
 * or `Complaint`, one event per recipient. `Delivery` and anything else tell nothing to record.
 * The original message is found by the headers SES keeps in `mail` (`headers`, `commonHeaders`):
 * our `X-Rapport-Email-Id` and `Message-ID` (SES replaces the Message-ID it sends with, so the
 * original one is read from there).
 */
export function sesEvents(snsMessageId: string, message: string): ProviderEvent[] {
  let n: Record<string, unknown>
  try {
    n = obj(JSON.parse(message))
  } catch {
    return []
  }
  const type = str(n.notificationType) ?? str(n.eventType)
  const mail = obj(n.mail)
  const emailIds: string[] = []
  const messageIds: string[] = []
  for (const header of Array.isArray(mail.headers) ? mail.headers : []) {
    const name = str(obj(header).name)?.toLowerCase()
    const value = str(obj(header).value)
    if (!value) continue
    if (name === 'x-rapport-email-id') emailIds.push(value.trim())
    if (name === 'message-id') messageIds.push(value.trim())
  }
  const common = str(obj(mail.commonHeaders).messageId)
  if (common) messageIds.push(common)
  const event = (recipient: string | null, report: ProviderEvent['report']): ProviderEvent => ({
    key: `ses:${snsMessageId}:${recipient ?? ''}`,
    recipient,
    emailIds,
    messageIds,
    report,
  })

  if (type === 'Bounce') {
    const bounce = obj(n.bounce)
    const bounceType = str(bounce.bounceType) ?? 'Undetermined'
    const subType = str(bounce.bounceSubType) ?? 'General'
    const { verdict, category } = sesVerdict(bounceType, subType)
    const recipients = Array.isArray(bounce.bouncedRecipients) ? bounce.bouncedRecipients.map(obj) : []
    return recipients.map((r) => {
      const diagnostic = str(r.diagnosticCode)
      return event(
        str(r.emailAddress),
        reportOf(verdict, {
          text: diagnostic ?? `${bounceType} bounce (${subType}) reported by Amazon SES`,
          status: str(r.status),
          ...(category ? { category } : {}),
        }),
      )
    })
  }
  if (type === 'Complaint') {
    const complaint = obj(n.complaint)
    const feedback = str(complaint.complaintFeedbackType) ?? str(complaint.complaintSubType)
    const text = `Complaint reported by Amazon SES${feedback ? ` (${feedback})` : ''}`
    const recipients = Array.isArray(complaint.complainedRecipients) ? complaint.complainedRecipients.map(obj) : []
    return recipients.map((r) => event(str(r.emailAddress), reportOf('complaint', { text })))
  }
  return []
}

/** SES's bounce type and subtype: Permanent is hard, Transient soft; a rejected content is policy. */
function sesVerdict(bounceType: string, subType: string): { verdict: Verdict; category?: BounceCategory } {
  if (bounceType === 'Permanent') return { verdict: 'permanent' }
  if (subType === 'MailboxFull') return { verdict: 'transient', category: 'mailbox_full' }
  if (subType === 'ContentRejected' || subType === 'AttachmentRejected') return { verdict: 'policy' }
  if (subType === 'MessageTooLarge') return { verdict: 'transient', category: 'other' }
  return { verdict: 'transient' }
}
