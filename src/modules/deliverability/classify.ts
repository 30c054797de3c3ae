/**
 * What a refused or failed send says about the address, by the enhanced status code of RFC 3463
 * (`class.subject.detail`) in the reply, and the reply's basic code and text when it has none.
 *
 * - `5.1.x` (bad mailbox, bad domain): hard; the address is suppressed.
 * - `4.x.x`, a timeout or a dropped connection, and `5.2.2` (mailbox full: transient despite its
 *   class): soft, tried again within the send's retry schedule.
 * - `5.7.x` and DMARC / SPF / policy / spam rejections: soft with category `policy`; they say
 *   nothing about the address, so they never suppress it (and retrying does not help).
 * - Any other permanent reply: soft, category `other`, not retried.
 */
export type BounceKind = 'hard' | 'soft'

/** The bounce categories Rapport records (the envelopes show them in capitals). */
export const BOUNCE_CATEGORIES = [
  'bad_mailbox',
  'bad_domain',
  'mailbox_full',
  'policy',
  'transient',
  'timeout',
  'other',
  'complaint',
] as const
export type BounceCategory = (typeof BOUNCE_CATEGORIES)[number]

export interface BounceClassification {
  kind: BounceKind
  category: BounceCategory
  /** The SMTP basic reply code (550), when there was a reply. */
  returnCode: number | null
  /** The RFC 3463 code (5.1.1), when the reply had one. */
  enhancedCode: string | null
  /** The reply text, or what went wrong when there was none. */
  smtpDescription: string
  /** Whether trying again later can help (within the send's retry schedule). */
  isRetryable: boolean
}

export interface SendFailure {
  /** The SMTP basic code of the reply, if the server answered. */
  responseCode?: number | undefined
  /** The reply (`550 5.1.1 <x@y>: no such user`) or the error message. */
  response: string
  /** A network error code (`ETIMEDOUT`, `ECONNECTION`…), when the failure was not a reply. */
  errorCode?: string | undefined
}

const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/
const POLICY_TEXT = /\b(dmarc|spf|dkim|policy|blocked|blacklist|blocklist|spam|reputation|rejected for policy)\b/i
const NO_MAILBOX_TEXT =
  /\b(user unknown|no such (user|mailbox)|unknown (user|recipient)|does not exist|mailbox unavailable|invalid recipient)\b/i
const NO_DOMAIN_TEXT = /\b(host not found|domain not found|no mx|failed to find ip addr|nxdomain)\b/i
const TIMEOUTS = new Set(['ETIMEDOUT', 'ESOCKET', 'ECONNECTION', 'ECONNRESET', 'ECONNREFUSED', 'EDNS', 'ETLS'])

/** Classifies one failed attempt (see the module comment for the rules). */
export function classifySendFailure(failure: SendFailure): BounceClassification {
  const description = failure.response.trim().slice(0, 1000)
  const basic = failure.responseCode ?? leadingCode(description)
  const enhanced = ENHANCED.exec(description)
  const enhancedCode = enhanced ? `${enhanced[1]}.${enhanced[2]}.${enhanced[3]}` : null
  const base = { returnCode: basic ?? null, enhancedCode, smtpDescription: description }
  const soft = (category: BounceCategory, isRetryable: boolean): BounceClassification => ({
    ...base,
    kind: 'soft',
    category,
    isRetryable,
  })
  const hard = (category: BounceCategory): BounceClassification => ({
    ...base,
    kind: 'hard',
    category,
    isRetryable: false,
  })

  if (basic === undefined) return soft(TIMEOUTS.has(failure.errorCode ?? '') ? 'timeout' : 'transient', true)
  const klass = enhanced ? Number(enhanced[1]) : Math.floor(basic / 100)
  const subject = enhanced ? Number(enhanced[2]) : undefined
  const detail = enhanced ? Number(enhanced[3]) : undefined
  if (subject === 7 || POLICY_TEXT.test(description)) return soft('policy', false)
  if (klass === 4 || (basic >= 400 && basic < 500)) {
    return soft(subject === 2 && detail === 2 ? 'mailbox_full' : 'transient', true)
  }
  if (subject === 2 && detail === 2) return soft('mailbox_full', true)
  if (subject === 1)
    return hard(detail === 2 || detail === 10 || NO_DOMAIN_TEXT.test(description) ? 'bad_domain' : 'bad_mailbox')
  if (subject === undefined && NO_DOMAIN_TEXT.test(description)) return hard('bad_domain')
  if (subject === undefined && NO_MAILBOX_TEXT.test(description)) return hard('bad_mailbox')
  return soft('other', false)
}

function leadingCode(text: string): number | undefined {
  const m = /^([2-5]\d\d)[\s-]/.exec(text)
  return m ? Number(m[1]) : undefined
}
