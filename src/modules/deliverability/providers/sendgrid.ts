import { createPublicKey, type KeyObject, verify } from 'node:crypto'
import { EMAIL_ID_VARIABLE, obj, type ProviderEvent, reportOf, str } from './provider-report.js'

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature'
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp'

/**
 * The verification key of a signed event webhook, as SendGrid shows it (the base64 of the public
 * key's DER SubjectPublicKeyInfo), or the same key in PEM. Undefined unless it is an ECDSA P-256 key.
 */
export function sendgridKey(text: string): KeyObject | undefined {
  try {
    const trimmed = text.trim()
    const key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' })
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : undefined
  } catch {
    return undefined
  }
}

/** SendGrid's signature: ECDSA P-256 with SHA-256 over the timestamp header followed by the raw body (DER, base64). */
export function verifySendgrid(key: KeyObject, signature: string, timestamp: string, raw: Buffer): boolean {
  try {
    return verify('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), raw]), key, Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}

/**
 * The bounces and complaints of a batch of SendGrid events (the body is an array):
 * - `bounce`: permanent, unless its `type` is `blocked` (temporary; classified by its reply);
 * - `dropped`: a bounced or invalid address is permanent, a spam-reporting address a complaint;
 *   other drops (unsubscribed, spam content) say nothing about the address and are not recorded;
 * - `deferred`: temporary; `spamreport`: a complaint. Engagement events are not recorded here.
 * The message is found by our email id in a `rapport_email_id` custom argument, or by its
 * `smtp-id` (the Message-ID it was sent with).
 */
export function sendgridEvents(body: unknown): ProviderEvent[] {
  const events: ProviderEvent[] = []
  for (const item of Array.isArray(body) ? body : []) {
    const e = obj(item)
    const report = sendgridReport(e)
    if (!report) continue
    const id = str(e.sg_event_id) ?? `${str(e.sg_message_id)}:${str(e.event)}:${String(e.timestamp)}`
    const emailId = str(e[EMAIL_ID_VARIABLE])
    const smtpId = str(e['smtp-id'])
    events.push({
      key: `sendgrid:${id}`,
      recipient: str(e.email),
      emailIds: emailId ? [emailId] : [],
      messageIds: smtpId ? [smtpId] : [],
      report,
    })
  }
  return events
}

function sendgridReport(e: Record<string, unknown>): ProviderEvent['report'] | undefined {
  const reason = str(e.reason) ?? str(e.response) ?? ''
  const status = str(e.status)
  switch (str(e.event)) {
    case 'bounce':
      return str(e.type) === 'blocked'
        ? reportOf('transient', { text: reason || 'Blocked (SendGrid)', status })
        : reportOf('permanent', { text: reason || 'Bounced (SendGrid)', status })
    case 'deferred':
      return reportOf('transient', { text: reason || 'Deferred (SendGrid)', status })
    case 'spamreport':
      return reportOf('complaint', { text: 'Spam report (SendGrid)' })
    case 'dropped': {
      if (/^(bounced address|invalid)/i.test(reason)) return reportOf('permanent', { text: `Dropped: ${reason}` })
      if (/^spam reporting address/i.test(reason)) return reportOf('complaint', { text: `Dropped: ${reason}` })
      return undefined
    }
    default:
      return undefined
  }
}
