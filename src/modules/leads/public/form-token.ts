import { createHmac, hkdfSync } from 'node:crypto'
import { safeEqual } from '../../../lib/crypto.js'

/** What a public form token carries: the form, the publishable key it was issued to, and when. */
export interface FormTokenClaims {
  formId: string
  keyId: string
  issuedAtMs: number
}

/** A token is accepted for this long after it was issued; the widget fetches a new one after. */
export const FORM_TOKEN_TTL_MS = 24 * 60 * 60 * 1000

/** The HMAC key of form tokens: derived (HKDF-SHA256) from the master key, never the master key itself. */
export function formTokenKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'rapport form token v1', 32))
}

/**
 * Signs and verifies public form tokens: `<form id>.<key id>.<issued ms>.<HMAC-SHA256, base64url>`.
 * The key is read lazily (the master key file is touched only when a public form is used).
 */
export class FormTokens {
  private key: Buffer | undefined

  constructor(private readonly loadKey: () => Buffer) {}

  sign(claims: FormTokenClaims): string {
    const payload = `${claims.formId}.${claims.keyId}.${claims.issuedAtMs}`
    return `${payload}.${this.mac(payload)}`
  }

  /** The claims of a token this server signed, or undefined for anything else. */
  verify(token: string): FormTokenClaims | undefined {
    const parts = token.split('.')
    if (parts.length !== 4) return undefined
    const [formId = '', keyId = '', issued = '', mac = ''] = parts
    if (!/^\d{1,16}$/.test(issued) || !safeEqual(mac, this.mac(`${formId}.${keyId}.${issued}`))) return undefined
    return { formId, keyId, issuedAtMs: Number(issued) }
  }

  private mac(payload: string): string {
    this.key ??= this.loadKey()
    return createHmac('sha256', this.key).update(payload).digest('base64url')
  }
}
