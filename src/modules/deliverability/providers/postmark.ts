import { safeEqual } from '../../../lib/crypto.js'
import { EMAIL_ID_VARIABLE, obj, type ProviderEvent, reportOf, str, type Verdict } from './provider-report.js'

/**
 * Whether an `Authorization: Basic …` header carries these credentials. Postmark signs nothing:
 * its webhooks are protected by HTTP Basic credentials written into the URL it is given, beside the
 * URL's token. Compared in constant time (as digests, so lengths do not leak either).
 */
export function hasBasicCredentials(header: string | undefined, username: string, password: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!m) return false
  return safeEqual(Buffer.from(m[1]!, 'base64').toString('utf8'), `${username}:${password}`)
}

/** Postmark's bounce types that say something about the address or the message; the rest are not recorded. */
const VERDICTS: Record<string, Verdict> = {
  HardBounce: 'permanent',
  BadEmailAddress: 'permanent',
  SoftBounce: 'transient',
  Transient: 'transient',
  DnsError: 'transient',
  Blocked: 'policy',
  DMARCPolicy: 'policy',
  VirusNotification: 'policy',
  SpamComplaint: 'complaint',
  SpamNotification: 'complaint',
}

/**
 * A Postmark Bounce or SpamComplaint webhook (`RecordType`). The message is found by our email id
 * in its metadata (`X-PM-Metadata-rapport_email_id` when sent over SMTP) or, when the webhook
 * includes the message content, by the `X-Rapport-Email-Id` and `Message-ID` headers in it.
 */
export function postmarkEvents(body: unknown): ProviderEvent[] {
  const b = obj(body)
  const recordType = str(b.RecordType)
  const type = str(b.Type)
  const verdict: Verdict | undefined =
    recordType === 'SpamComplaint' ? 'complaint' : recordType === 'Bounce' && type ? VERDICTS[type] : undefined
  if (!verdict) return []
  const emailIds: string[] = []
  const messageIds: string[] = []
  const fromMetadata = str(obj(b.Metadata)[EMAIL_ID_VARIABLE])
  if (fromMetadata) emailIds.push(fromMetadata)
  const content = str(b.Content) ?? ''
  for (const m of content.matchAll(/^X-Rapport-Email-Id:\s*(\S+)/gim)) emailIds.push(m[1]!)
  for (const m of content.matchAll(/^Message-ID:\s*(<[^>\s]+>)/gim)) messageIds.push(m[1]!)
  const details = str(b.Details) ?? str(b.Description) ?? `${type ?? recordType} (Postmark)`
  return [
    {
      key: `postmark:${recordType}:${String(b.ID ?? '')}`,
      recipient: str(b.Email),
      emailIds,
      messageIds,
      report: reportOf(verdict, { text: verdict === 'complaint' ? `Spam complaint (Postmark): ${details}` : details }),
    },
  ]
}
