import { createPublicKey, generateKeyPair, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'

const generateRsa = promisify(generateKeyPair)

/** A new DKIM key: RSA 2048 (what every receiver verifies; ed25519 is not yet widely checked). */
export interface NewDkimKey {
  selector: string
  /** Base64 of the DER SubjectPublicKeyInfo: the record's `p=` value. */
  publicKey: string
  /** PKCS#8 PEM, to be sealed before it is stored. */
  privateKeyPem: string
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

/**
 * `rapport<yyyymm>-<5 random characters>`: the month says how old a key is, the random part keeps
 * the selectors of one domain's keys in live and test mode (or in two organizations) apart, so two
 * keys never need the same DNS name.
 */
export function newSelector(now: Date): string {
  const month = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`
  const random = [...randomBytes(5)].map((b) => BASE32[b % 32]).join('')
  return `rapport${month}-${random}`
}

/** RSA 2048 generation takes up to half a second of CPU (measured on a busy 2-core machine): done off the event loop, in libuv's thread pool. */
export async function generateDkimKey(now: Date): Promise<NewDkimKey> {
  const { publicKey, privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  return {
    selector: newSelector(now),
    publicKey: (publicKey as unknown as Buffer).toString('base64'),
    privateKeyPem: privateKey as unknown as string,
  }
}

/** The DNS name of a key's record. */
export const dkimRecordName = (selector: string, domain: string) => `${selector}._domainkey.${domain}`

/** The TXT value to publish for a key. */
export const dkimRecordValue = (publicKey: string) => `v=DKIM1; k=rsa; p=${publicKey}`

/** A public key in any form node reads (PEM, SPKI or PKCS#1) as base64 DER SPKI, to compare keys. */
export function spkiBase64(key: string | Buffer): string {
  return createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64')
}
