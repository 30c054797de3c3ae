import type { TenantScope } from '../../../core/tenancy.js'
import type { Db } from '../../../db/schema.js'
import type { Clock } from '../../../lib/clock.js'
import type { SecretBox } from '../../../lib/secret-box.js'
import { findActiveKey } from './sending-domains.repo.js'
import type { SendingDomainsService } from './sending-domains.service.js'

/** What signs one message: nodemailer's per-message `dkim` option. */
export interface DkimSigningKey {
  domainName: string
  keySelector: string
  privateKey: string
}

/** Finds the key to sign a message from `domain` with; undefined when the domain has none. */
export type DkimKeyLookup = (scope: TenantScope, domain: string) => Promise<DkimSigningKey | undefined>

/**
 * The signing keys, cached `ttlMs` per organization, mode and domain (a campaign signs thousands
 * of messages with one key: one query and one unsealing each minute, not per message). A domain
 * seen for the first time that belongs to a sender gets its key here, so its first message is
 * signed. A key promoted by a check elsewhere is picked up within `ttlMs`; the retired key's record
 * stays published meanwhile, so messages signed with it still verify.
 */
export function dkimKeyLookup(
  deps: { db: Db; clock: Clock; secretBox: SecretBox; domains: SendingDomainsService },
  ttlMs = 60_000,
): DkimKeyLookup {
  const cache = new Map<string, { key: DkimSigningKey | undefined; expiresAtMs: number }>()
  return async (scope, rawDomain) => {
    const domain = rawDomain.toLowerCase().replace(/\.$/, '')
    const cacheKey = `${scope.orgId}\n${scope.livemode}\n${domain}`
    const now = deps.clock.nowMs()
    const cached = cache.get(cacheKey)
    if (cached && cached.expiresAtMs > now) return cached.key
    let row = await findActiveKey(deps.db, scope, domain)
    if (!row && (await deps.domains.ensureForSending(scope, domain))) row = await findActiveKey(deps.db, scope, domain)
    const key = row
      ? { domainName: domain, keySelector: row.selector, privateKey: deps.secretBox.open(row.private_key_sealed) }
      : undefined
    if (cache.size >= 10_000) cache.clear()
    cache.set(cacheKey, { key, expiresAtMs: now + ttlMs })
    return key
  }
}
