import { createHmac, timingSafeEqual } from 'node:crypto'
import { EMAIL_ID_VARIABLE, obj, type ProviderEvent, reportOf, str } from './provider-report.js'

/** How far a signature's timestamp may be from now (either way) before it is refused as stale. */
export const MAILGUN_WINDOW_SEC = 300

export interface MailgunSignature {
  timestamp: string
  token: string
  signature: string
  /** Present for events of a subaccount's domain: the same HMAC keyed with the primary account's signing key. */
  parentSignature?: string
}

/** The `signature` object of a Mailgun webhook body, when it has one. */
export function mailgunSignature(body: unknown): MailgunSignature | undefined {
  const s = obj(obj(body).signature)
  const timestamp = typeof s.timestamp === 'number' ? String(s.timestamp) : str(s.timestamp)
  const token = str(s.token)
  const signature = str(s.signature)
  const parentSignature = str(s['parent-signature'])
  if (!timestamp || !token || !signature) return undefined
  return { timestamp, token, signature, ...(parentSignature ? { parentSignature } : {}) }
}

/**
 * Mailgun's signature: the hex HMAC-SHA256 of the timestamp followed by the token, keyed with the
 * webhook signing key (`signature`, or `parent-signature` when the key is the primary account's and
 * the event is of a subaccount's domain). `stale` when the timestamp is more than MAILGUN_WINDOW_SEC from `nowMs`
 * (a reused token is refused by the caller, which remembers the tokens it took).
 */
export function checkMailgun(signingKey: string, s: MailgunSignature, nowMs: number): 'ok' | 'bad' | 'stale' {
  const expected = createHmac('sha256', signingKey).update(`${s.timestamp}${s.token}`).digest()
  const matches = (hex: string | undefined) => {
    const given = Buffer.from(hex ?? '', 'hex')
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
  if (!matches(s.signature) && !matches(s.parentSignature)) return 'bad'
  const timestamp = Number(s.timestamp)
  if (!Number.isFinite(timestamp) || Math.abs(nowMs / 1000 - timestamp) > MAILGUN_WINDOW_SEC) return 'stale'
  return 'ok'
}

/**
 * The bounce or complaint of a Mailgun webhook (`event-data`): `failed` with `severity` permanent
 * (hard, by the same classification) or temporary (soft), and `complained`. The message is found by
 * our email id in the user variables (`X-Mailgun-Variables: {"rapport_email_id": …}`) or by its
 * Message-ID, which Mailgun keeps.
 */
export function mailgunEvents(body: unknown): ProviderEvent[] {
  const e = obj(obj(body)['event-data'])
  const event = str(e.event)
  if (event !== 'failed' && event !== 'complained') return []
  const headers = obj(obj(e.message).headers)
  const messageId = str(headers['message-id'])
  const emailId = str(obj(e['user-variables'])[EMAIL_ID_VARIABLE])
  const status = obj(e['delivery-status'])
  const code = typeof status.code === 'number' ? status.code : null
  const text = str(status.message) ?? str(status.description) ?? str(e.reason) ?? `${event} (Mailgun)`
  const report =
    event === 'complained'
      ? reportOf('complaint', { text: 'Complaint (Mailgun)' })
      : reportOf(str(e.severity) === 'permanent' ? 'permanent' : 'transient', {
          text,
          code,
          status: str(status['enhanced-code']),
        })
  return [
    {
      key: `mailgun:${str(e.id) ?? `${messageId}:${event}:${String(e.timestamp)}`}`,
      recipient: str(e.recipient),
      emailIds: emailId ? [emailId] : [],
      messageIds: messageId ? [messageId] : [],
      report,
    },
  ]
}
