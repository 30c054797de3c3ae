import { type KeyObject, verify, X509Certificate } from 'node:crypto'
import type { Clock } from '../../../lib/clock.js'
import type { ProviderFetch } from './fetch.js'
import { str } from './provider-report.js'

/** An Amazon SNS message as it is posted to an HTTPS subscription (the JSON body). */
export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'
  MessageId: string
  TopicArn: string
  Message: string
  Timestamp: string
  SignatureVersion: string
  Signature: string
  SigningCertURL: string
  Subject?: string
  SubscribeURL?: string
  Token?: string
}

const TYPES = new Set(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'])

/** The fields of a body, when it has the shape of an SNS message; undefined otherwise. */
export function asSnsMessage(body: unknown): SnsMessage | undefined {
  if (!body || typeof body !== 'object') return undefined
  const m = body as Record<string, unknown>
  const required = ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature']
  if (!required.every((k) => typeof m[k] === 'string') || !TYPES.has(m.Type as string)) return undefined
  // The field is SigningCertURL in every message SNS sends; older documents spell it SigningCertUrl.
  const certUrl = str(m.SigningCertURL) ?? str(m.SigningCertUrl)
  if (!certUrl) return undefined
  return { ...(m as unknown as SnsMessage), SigningCertURL: certUrl }
}

/**
 * The string SNS signs: for each field of the message type, in this order, the name, a newline,
 * the value and a newline. A Notification's Subject only when it has one.
 */
export function snsStringToSign(m: SnsMessage): string {
  const fields =
    m.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type']
  let text = ''
  for (const name of fields) {
    const value = (m as unknown as Record<string, unknown>)[name]
    if (typeof value !== 'string') {
      if (name === 'Subject') continue
      return ''
    }
    text += `${name}\n${value}\n`
  }
  return text
}

/**
 * Whether a URL is one of SNS's own: https, the host `sns.<region>.amazonaws.com`, no port, no
 * credentials. Signing certificates and subscription confirmations are fetched from such URLs
 * only: a message names its certificate, so accepting any URL would let a forger sign with a key
 * of their own (and make Rapport fetch addresses of the forger's choosing).
 */
export function isSnsUrl(url: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  return (
    u.protocol === 'https:' &&
    u.port === '' &&
    u.username === '' &&
    u.password === '' &&
    /^sns\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$/.test(u.hostname)
  )
}

const CERT_CACHE_MS = 24 * 3_600_000
const CERT_CACHE_ENTRIES = 64

/**
 * Verifies SNS message signatures: SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, over
 * `snsStringToSign`, with the public key of the certificate at SigningCertURL. Certificates are
 * cached (per process, a day, at most 64): SNS signs with a few certificates that change rarely.
 */
export class SnsVerifier {
  private readonly certificates = new Map<string, { key: KeyObject; validToMs: number; cachedAtMs: number }>()

  constructor(
    private readonly fetcher: () => ProviderFetch,
    private readonly clock: Clock,
  ) {}

  /** True when the message is signed by SNS. Never throws for a bad message; a fetch failure does. */
  async verify(m: SnsMessage): Promise<boolean> {
    const algorithm = m.SignatureVersion === '1' ? 'sha1' : m.SignatureVersion === '2' ? 'sha256' : undefined
    const text = snsStringToSign(m)
    if (!algorithm || !text || !isSnsUrl(m.SigningCertURL)) return false
    const key = await this.certificateKey(m.SigningCertURL)
    if (!key) return false
    try {
      return verify(algorithm, Buffer.from(text, 'utf8'), key, Buffer.from(m.Signature, 'base64'))
    } catch {
      return false
    }
  }

  private async certificateKey(url: string): Promise<KeyObject | undefined> {
    const now = this.clock.nowMs()
    const cached = this.certificates.get(url)
    if (cached && now - cached.cachedAtMs < CERT_CACHE_MS) return now <= cached.validToMs ? cached.key : undefined
    const res = await this.fetcher()(url)
    if (res.status !== 200) throw new Error(`the SNS signing certificate answered ${res.status}`)
    let cert: X509Certificate
    try {
      cert = new X509Certificate(res.body)
    } catch {
      return undefined
    }
    const validFromMs = Date.parse(cert.validFrom)
    const validToMs = Date.parse(cert.validTo)
    if (now < validFromMs || now > validToMs) return undefined
    if (this.certificates.size >= CERT_CACHE_ENTRIES) this.certificates.clear()
    this.certificates.set(url, { key: cert.publicKey, validToMs, cachedAtMs: now })
    return cert.publicKey
  }
}
