import type { BounceReport } from '../bounces.js'
import { type BounceCategory, classifySendFailure } from '../classify.js'

/** What a provider says of a message, before Rapport's own classification. */
export type Verdict = 'permanent' | 'transient' | 'policy' | 'complaint'

/** One bounce or complaint a provider told of: one recipient of one message. */
export interface ProviderEvent {
  /** Unique per provider event and recipient: a retried event has the same key. */
  key: string
  /** The bounced or complaining address, when the provider names it. */
  recipient: string | null
  /** Our email ids the provider echoed back (X-Rapport-Email-Id, custom args, metadata). */
  emailIds: string[]
  /** Message-ID headers of the original message (ours are `<em_…@sender-domain>`). */
  messageIds: string[]
  report: BounceReport
}

const NO_DOMAIN = /\b(domain|mx|host not found|nxdomain|dns)\b/i

/**
 * The classification of a provider's report, by the same rules as a reply at send time
 * (classify.ts): the provider's verdict says hard or soft, the reply's enhanced status code and
 * text say the category. Two rules win over a provider's "permanent": a policy rejection (5.7.x,
 * DMARC, spam) stays soft `policy`, which never suppresses, and a full mailbox (5.2.2) stays soft.
 */
export function reportOf(
  verdict: Verdict,
  diagnostic: { text: string; code?: number | null; status?: string | null; category?: BounceCategory },
): BounceReport {
  const text = describe(diagnostic.text, diagnostic.status)
  if (verdict === 'complaint') return { kind: 'complaint', category: 'complaint', smtpDescription: text || null }
  const c = classifySendFailure({ response: text, responseCode: diagnostic.code ?? undefined })
  const base = { returnCode: c.returnCode, enhancedCode: c.enhancedCode, smtpDescription: c.smtpDescription }
  if (verdict === 'policy' || c.category === 'policy' || diagnostic.category === 'policy') {
    return { ...base, kind: 'soft', category: 'policy' }
  }
  if (diagnostic.category === 'mailbox_full' || c.category === 'mailbox_full') {
    return { ...base, kind: 'soft', category: 'mailbox_full' }
  }
  if (verdict === 'transient') {
    return { ...base, kind: 'soft', category: diagnostic.category ?? (c.kind === 'hard' ? 'transient' : c.category) }
  }
  if (c.kind === 'hard') return { ...base, kind: 'hard', category: c.category }
  const isBadDomain = c.enhancedCode === '5.1.2' || c.enhancedCode === '5.1.10' || NO_DOMAIN.test(text)
  return { ...base, kind: 'hard', category: isBadDomain ? 'bad_domain' : 'bad_mailbox' }
}

/**
 * The reply as one line: the `smtp;` type prefix of a DSN's Diagnostic-Code dropped, and the
 * enhanced status code put in front when the text does not carry it.
 */
function describe(text: string, status: string | null | undefined): string {
  const line = text
    .replace(/^\s*smtp\s*;\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim()
  if (status && /^[245]\.\d{1,3}\.\d{1,3}$/.test(status) && !line.includes(status)) {
    const m = /^([2-5]\d\d)\s+/.exec(line)
    return (m ? `${m[1]} ${status} ${line.slice(m[0].length)}` : `${status} ${line}`).trim().slice(0, 1000)
  }
  return line.slice(0, 1000)
}

/** A string field of a parsed body, or null. */
export const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null)
/** An object field of a parsed body, or an empty object. */
export const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}

/** The name custom arguments, metadata and user variables carry our email id under. */
export const EMAIL_ID_VARIABLE = 'rapport_email_id'
