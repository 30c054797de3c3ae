import type { Generated } from 'kysely'
import type { Json, Timestamp } from './columns.js'

export type DnsRecordStatus = 'unchecked' | 'verified' | 'missing' | 'mismatch' | 'error'

/** What one check found for one record (stored per record in `sending_domains.dns_check`). */
export interface StoredRecordCheck {
  status: DnsRecordStatus
  /** The record text found, when there was one. */
  found: string | null
  /** Why the status is what it is, in a sentence. */
  detail: string
  /** The record value expected when checked: a changed setting makes the result stale. */
  expected: string | null
}

/** The last SPF and DMARC results of a domain. */
export interface StoredDomainCheck {
  spf: StoredRecordCheck
  dmarc: StoredRecordCheck
}

/** The domains of an organization's senders (migration 0032). */
export interface SendingDomainsTable {
  org_id: string
  livemode: boolean
  domain: string
  dns_check: Json<StoredDomainCheck> | null
  checked_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** A domain's DKIM keys; the private key sealed with the master key (migration 0032). */
export interface SendingDomainDkimKeysTable {
  org_id: string
  livemode: boolean
  domain: string
  selector: string
  algorithm: Generated<string>
  public_key: string
  private_key_sealed: string
  state: 'active' | 'pending' | 'retired'
  dns_status: Generated<DnsRecordStatus>
  dns_found: string | null
  dns_detail: string | null
  checked_at: Timestamp | null
  created_at: Timestamp
  activated_at: Timestamp | null
  retired_at: Timestamp | null
}

export interface SendingDomainTables {
  sending_domains: SendingDomainsTable
  sending_domain_dkim_keys: SendingDomainDkimKeysTable
}
