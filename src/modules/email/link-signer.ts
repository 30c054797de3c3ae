import { createHmac, hkdfSync } from 'node:crypto'
import { safeEqual } from '../../lib/crypto.js'

/** What a signed link in an email is for. The purpose is inside the MAC: a link for one use is no key to another. */
export type LinkPurpose = 'confirm' | 'unsubscribe' | 'open' | 'click'

/** The HMAC key of email links: derived (HKDF-SHA256) from the master key, never the master key itself. */
export function emailLinkKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'rapport email link v1', 32))
}

/**
 * Signs and verifies the tokens of links in emails: `<subject>.<HMAC-SHA256(purpose, subject, extra) truncated to 128 bits, base64url>`.
 * `subject` is an id (or ids joined by `~`); `extra` is covered by the MAC without travelling in the token
 * (a click link's destination, which travels in its own query parameter). The key is read lazily.
 */
export class LinkSigner {
  private key: Buffer | undefined

  constructor(private readonly loadKey: () => Buffer) {}

  sign(purpose: LinkPurpose, subject: string, extra = ''): string {
    return `${subject}.${this.mac(purpose, subject, extra)}`
  }

  /** The subject of a token this server signed for `purpose` (and `extra`), or undefined. */
  verify(purpose: LinkPurpose, token: string, extra = ''): string | undefined {
    const dot = token.lastIndexOf('.')
    if (dot <= 0 || token.length > 500) return undefined
    const subject = token.slice(0, dot)
    return safeEqual(token.slice(dot + 1), this.mac(purpose, subject, extra)) ? subject : undefined
  }

  private mac(purpose: string, subject: string, extra: string): string {
    this.key ??= this.loadKey()
    // 128 bits of the MAC: unguessable, and short enough that a token fits in one path segment (≤ 100 characters).
    return createHmac('sha256', this.key)
      .update(`${purpose}\n${subject}\n${extra}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url')
  }
}
