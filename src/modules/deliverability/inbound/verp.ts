import { createHmac, hkdfSync } from 'node:crypto'
import type { Config } from '../../../config.js'
import { safeEqual } from '../../../lib/crypto.js'
import { loadMasterKey } from '../../../lib/secret-box.js'

/** The local part before the `+`: every return path of this installation starts with it. */
const LOCAL_PREFIX = 'bounces'
/** 80 bits of HMAC-SHA256 in lower-case hex: unguessable over SMTP, and case-proof (some MTAs lower-case local parts). */
const MAC_HEX_LENGTH = 20
const EMAIL_ID = /^em_[0-9a-z]{26}$/

/** The HMAC key of return paths: derived (HKDF-SHA256) from the master key, never the master key itself. */
export function verpKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'rapport verp return path v1', 32))
}

/**
 * Per-send return paths (VERP): `bounces+<email id>.<mac>@<domain>`, the SMTP envelope sender (MAIL
 * FROM) of each message, where DSNs and feedback reports about it come back. The MAC covers the id,
 * so nobody can make one up for a message we did not send (or for another of ours). The local part
 * is 58 characters, under the 64 of RFC 5321.
 */
export class VerpSigner {
  private key: Buffer | undefined

  /** `loadKey` is called on first use: a process that sends nothing reads no key. */
  constructor(
    readonly domain: string,
    private readonly loadKey: () => Buffer,
  ) {}

  /** The return path of one send. */
  returnPath(emailId: string): string {
    return `${LOCAL_PREFIX}+${emailId}.${this.mac(emailId)}@${this.domain}`
  }

  /**
   * The email id of a return path this installation signed, or undefined for anything else: another
   * domain, another local part, a tampered id or MAC. Case does not matter.
   */
  emailIdOf(address: string): string | undefined {
    const at = address.lastIndexOf('@')
    if (at <= 0 || address.length > 320) return undefined
    const local = address.slice(0, at).toLowerCase()
    const domain = address.slice(at + 1).toLowerCase()
    if (domain !== this.domain || !local.startsWith(`${LOCAL_PREFIX}+`)) return undefined
    const token = local.slice(LOCAL_PREFIX.length + 1)
    const dot = token.lastIndexOf('.')
    const emailId = token.slice(0, dot)
    const mac = token.slice(dot + 1)
    if (dot <= 0 || !EMAIL_ID.test(emailId) || mac.length !== MAC_HEX_LENGTH) return undefined
    return safeEqual(mac, this.mac(emailId)) ? emailId : undefined
  }

  private mac(emailId: string): string {
    this.key ??= this.loadKey()
    return createHmac('sha256', this.key).update(`return-path\n${emailId}`).digest('hex').slice(0, MAC_HEX_LENGTH)
  }
}

/** The signer of this installation's return paths, or undefined when the inbound listener is off (no VERP). */
export function verpSignerFor(
  config: Pick<Config, 'masterKey' | 'dataDir'> & { deliverability: Pick<Config['deliverability'], 'inbound'> },
): VerpSigner | undefined {
  const inbound = config.deliverability.inbound
  if (!inbound) return undefined
  return new VerpSigner(inbound.domain, () => verpKey(loadMasterKey(config.masterKey, config.dataDir)))
}
