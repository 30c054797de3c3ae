import type { Config } from '../config.js'
import type { Db } from '../db/schema.js'
import type { Clock } from '../lib/clock.js'
import type { DnsResolver } from '../lib/dns-resolver.js'
import type { PublicUrl } from '../lib/public-url.js'
import type { SecretBox } from '../lib/secret-box.js'
import type { ProviderFetch } from './deliverability/providers/fetch.js'
import type { MailTransport } from './email/transport.js'

/**
 * What a module's plugin receives from the app's wiring: the part of `Deps` (src/deps.ts, which builds
 * all of it) that modules use. Declared here so that modules never import the wiring above them.
 */
export interface ModuleDeps {
  config: Config
  db: Db
  clock: Clock
  /** Seals and opens webhook signing secrets with the master key. */
  secretBox: SecretBox
  /** Builds the links handed to people (invites, sign-in and reset links): never from a Host header. */
  publicUrl: PublicUrl
  /** Where outgoing email goes: the SMTP server of RAPPORT_SMTP_URL, else the development mailbox. */
  mailer: MailTransport
  /** DNS lookups (the sending-domain checks); unset: the system's resolver. Tests inject an in-process zone. */
  dnsResolver?: DnsResolver
  /** How provider hooks fetch SNS certificates and confirmations; unset: HTTPS (tests inject their own). */
  providerFetch?: ProviderFetch
}
