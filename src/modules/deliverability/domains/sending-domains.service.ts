import { ApiError } from '../../../core/errors.js'
import type { PageParams } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db } from '../../../db/schema.js'
import type { StoredDomainCheck, StoredRecordCheck } from '../../../db/schema-sending-domains.js'
import { inTransaction } from '../../../db/transaction.js'
import type { Clock } from '../../../lib/clock.js'
import { isoOrNull } from '../../../lib/clock.js'
import type { DnsResolver } from '../../../lib/dns-resolver.js'
import type { SecretBox } from '../../../lib/secret-box.js'
import { dkimRecordName, dkimRecordValue, generateDkimKey } from './dkim-keys.js'
import { checkDkim, checkDmarc, checkSpf } from './dns-check.js'
import {
  type DkimKeyRow,
  type DomainRow,
  findDomain,
  hasSenderOn,
  insertDomain,
  insertKey,
  listDomains,
  liveKeysOf,
  lockDomain,
  promotePendingKey,
  saveDomainCheck,
  saveKeyCheck,
  senderDomainsWithoutKeys,
} from './sending-domains.repo.js'
import type { DnsRecord, SendingDomain } from './sending-domains.schemas.js'

/** What the installation says its domains should publish (RAPPORT_SPF_INCLUDE, RAPPORT_DMARC_RUA). */
export interface DomainRecordSettings {
  /** SPF mechanisms that allow the relay, e.g. `["include:_spf.relay.example"]`; undefined: unknown. */
  spfMechanisms: string[] | undefined
  /** Where aggregate DMARC reports go (`mailto:` URI); undefined: `dmarc-reports@<domain>`. */
  dmarcRua: string | undefined
}

export interface SendingDomainsDeps {
  db: Db
  clock: Clock
  secretBox: SecretBox
  resolver: DnsResolver
  settings: DomainRecordSettings
}

export const expectedSpf = (settings: DomainRecordSettings) =>
  settings.spfMechanisms?.length ? `v=spf1 ${settings.spfMechanisms.join(' ')} ~all` : null

export const expectedDmarc = (settings: DomainRecordSettings, domain: string) =>
  `v=DMARC1; p=none; rua=${settings.dmarcRua ?? `mailto:dmarc-reports@${domain}`}`

/**
 * The domains an organization sends from, their DKIM keys and the DNS records to publish. A domain
 * (and its key) is made the first time it is seen: when the domains are listed or read, and when a
 * message from one of its senders is signed, so existing senders need no migration.
 */
export class SendingDomainsService {
  constructor(private readonly deps: SendingDomainsDeps) {}

  /** Makes the domain and its first key, unless another request just did. */
  async addDomain(scope: TenantScope, domain: string): Promise<void> {
    const key = await generateDkimKey(new Date(this.deps.clock.nowMs()))
    await inTransaction(this.deps.db, async (tx) => {
      if (!(await insertDomain(tx, scope, domain))) return
      await insertKey(tx, scope, {
        domain,
        selector: key.selector,
        public_key: key.publicKey,
        private_key_sealed: this.deps.secretBox.seal(key.privateKeyPem),
        state: 'active',
      })
    })
  }

  /**
   * Adds the domains of senders that have none yet (one query when there is nothing to add). Keys
   * are generated four at a time: libuv's thread pool (4 threads) runs the generations side by side.
   */
  async syncWithSenders(scope: TenantScope): Promise<void> {
    const missing = await senderDomainsWithoutKeys(this.deps.db, scope)
    for (let i = 0; i < missing.length; i += 4) {
      await Promise.all(missing.slice(i, i + 4).map((domain) => this.addDomain(scope, domain)))
    }
  }

  /** For signing: makes the domain when a sender of the scope is on it. True when it exists now. */
  async ensureForSending(scope: TenantScope, domain: string): Promise<boolean> {
    if (!(await hasSenderOn(this.deps.db, scope, domain))) return false
    await this.addDomain(scope, domain)
    return true
  }

  async list(scope: TenantScope, query: PageParams) {
    await this.syncWithSenders(scope)
    const page = await listDomains(this.deps.db, scope, query)
    const keys = await liveKeysOf(
      this.deps.db,
      scope,
      page.data.map((d) => d.domain),
    )
    return { ...page, data: page.data.map(({ id: _id, ...row }) => this.view(row, keys)) }
  }

  async get(scope: TenantScope, domain: string): Promise<SendingDomain> {
    await this.syncWithSenders(scope)
    return this.load(scope, normalize(domain))
  }

  /**
   * Looks up every record and stores what was found. A pending key found published becomes the
   * signing key (the previous one is retired: keep its record a few days for mail in flight).
   */
  async check(scope: TenantScope, rawDomain: string): Promise<SendingDomain> {
    const domain = normalize(rawDomain)
    await this.syncWithSenders(scope)
    const row = await findDomain(this.deps.db, scope, domain)
    if (!row) throw notFound(domain)
    const keys = await liveKeysOf(this.deps.db, scope, [domain])
    const { resolver, settings } = this.deps
    // The lookups run before the transaction: a slow DNS server holds no connection or lock.
    const [dkim, spf, dmarc] = await Promise.all([
      Promise.all(keys.map((k) => checkDkim(resolver, domain, k.selector, k.public_key))),
      checkSpf(resolver, domain, settings.spfMechanisms),
      checkDmarc(resolver, domain),
    ])
    await inTransaction(this.deps.db, async (tx) => {
      if (!(await lockDomain(tx, scope, domain))) throw notFound(domain)
      for (const [i, key] of keys.entries()) await saveKeyCheck(tx, scope, domain, key.selector, dkim[i]!)
      await saveDomainCheck(tx, scope, domain, {
        spf: { ...spf, expected: expectedSpf(settings) },
        dmarc: { ...dmarc, expected: expectedDmarc(settings, domain) },
      })
      const pending = keys.findIndex((k) => k.state === 'pending')
      if (pending >= 0 && dkim[pending]!.status === 'verified') await promotePendingKey(tx, scope, domain)
    })
    return this.load(scope, domain)
  }

  /**
   * Makes a new key, `pending` until a check finds its record: until then the current key keeps
   * signing, so no message is signed with a key receivers cannot find. One rotation at a time.
   */
  async rotateDkim(scope: TenantScope, rawDomain: string): Promise<SendingDomain> {
    const domain = normalize(rawDomain)
    await this.syncWithSenders(scope)
    const key = await generateDkimKey(new Date(this.deps.clock.nowMs()))
    await inTransaction(this.deps.db, async (tx) => {
      if (!(await lockDomain(tx, scope, domain))) throw notFound(domain)
      const keys = await liveKeysOf(tx, scope, [domain])
      if (keys.some((k) => k.state === 'pending')) {
        throw new ApiError(
          'conflict',
          `A new DKIM key for ${domain} is already waiting for its DNS record: publish it and check the domain`,
        )
      }
      await insertKey(tx, scope, {
        domain,
        selector: key.selector,
        public_key: key.publicKey,
        private_key_sealed: this.deps.secretBox.seal(key.privateKeyPem),
        state: keys.length === 0 ? 'active' : 'pending',
      })
    })
    return this.load(scope, domain)
  }

  private async load(scope: TenantScope, domain: string): Promise<SendingDomain> {
    const row = await findDomain(this.deps.db, scope, domain)
    if (!row) throw notFound(domain)
    return this.view(row, await liveKeysOf(this.deps.db, scope, [domain]))
  }

  private view(row: DomainRow, allKeys: DkimKeyRow[]): SendingDomain {
    const keys = allKeys.filter((k) => k.domain === row.domain)
    const { settings } = this.deps
    const checkedAt = isoOrNull(row.checked_at)
    const dkimRecords: DnsRecord[] = keys.map((k) => ({
      purpose: 'dkim',
      type: 'TXT',
      name: dkimRecordName(k.selector, row.domain),
      value: dkimRecordValue(k.public_key),
      status: k.dns_status,
      found: k.dns_found,
      detail:
        k.dns_detail ??
        (k.state === 'pending'
          ? 'Publish this record, then check the domain: the new key starts signing once it is found'
          : 'Publish this record, then check the domain'),
      checked_at: isoOrNull(k.checked_at),
      dkim_selector: k.selector,
      dkim_state: k.state === 'pending' ? 'pending' : 'active',
    }))
    const stored = row.dns_check as StoredDomainCheck | null
    const spfValue = expectedSpf(settings)
    const records: DnsRecord[] = [
      ...dkimRecords,
      recordOf(
        'spf',
        row.domain,
        spfValue,
        stored?.spf,
        checkedAt,
        spfValue === null
          ? 'Publish one SPF record that allows the SMTP server Rapport sends through (your relay documents the include:… or ip4:… to use; the operator can name it in RAPPORT_SPF_INCLUDE)'
          : 'Publish this record, or add its mechanism to the SPF record you have (a domain has one)',
      ),
      recordOf(
        'dmarc',
        `_dmarc.${row.domain}`,
        expectedDmarc(settings, row.domain),
        stored?.dmarc,
        checkedAt,
        'Publish this record: p=none only asks for reports; move to quarantine once they show only your own mail',
      ),
    ]
    const active = keys.find((k) => k.state === 'active')
    return {
      object: 'sending_domain',
      domain: row.domain,
      status: !row.checked_at
        ? 'unchecked'
        : records.every((r) => r.status === 'verified')
          ? 'verified'
          : 'action_required',
      dkim_selector: active?.selector ?? '',
      sender_count: row.sender_count,
      records,
      checked_at: checkedAt,
      created_at: row.created_at.toISOString(),
    }
  }
}

/** An SPF or DMARC record with its last result; a result for another expected value is stale. */
function recordOf(
  purpose: 'spf' | 'dmarc',
  name: string,
  value: string | null,
  stored: StoredRecordCheck | undefined,
  checkedAt: string | null,
  advice: string,
): DnsRecord {
  const current = stored && stored.expected === value ? stored : undefined
  return {
    purpose,
    type: 'TXT',
    name,
    value,
    status: current?.status ?? 'unchecked',
    found: current?.found ?? stored?.found ?? null,
    detail: current
      ? current.detail
      : stored
        ? 'The expected record changed since the last check: check again'
        : advice,
    checked_at: current ? checkedAt : null,
    dkim_selector: null,
    dkim_state: null,
  }
}

const normalize = (domain: string) => domain.toLowerCase().replace(/\.$/, '')

function notFound(domain: string) {
  return new ApiError('not_found', `Sending domain ${domain} not found: add a sender on it first`)
}
