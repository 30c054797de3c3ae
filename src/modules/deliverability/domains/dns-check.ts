import getDmarcRecord from 'mailauth/lib/dmarc/get-dmarc-record.js'
import spfModule from 'mailauth/lib/spf/index.js'
import tools from 'mailauth/lib/tools.js'
import type { StoredRecordCheck } from '../../../db/schema-sending-domains.js'
import type { DnsResolver } from '../../../lib/dns-resolver.js'
import { dkimRecordName, spkiBase64 } from './dkim-keys.js'

/*
 * The checks of the records a sending domain publishes, made with mailauth through the resolver
 * given (the system's in production, an in-process one in tests). Each answers verified, missing,
 * mismatch, or error when the lookup itself failed (a timeout, SERVFAIL): that says nothing about
 * the record, and the check can be run again.
 */

export type RecordCheck = Pick<StoredRecordCheck, 'status' | 'found' | 'detail'>

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA'])
const codeOf = (err: unknown) => (err as { code?: string }).code

/** TXT records at `name`, each joined from its character-strings; [] when there is none. */
async function txtRecords(resolver: DnsResolver, name: string): Promise<string[]> {
  try {
    const rows = await resolver(name, 'TXT')
    return rows.map((row) => (Array.isArray(row) ? row.join('') : String(row)))
  } catch (err) {
    if (NOT_FOUND.has(codeOf(err) ?? '')) return []
    throw err
  }
}

function lookupFailed(err: unknown): RecordCheck {
  return {
    status: 'error',
    found: null,
    detail: `The DNS lookup failed (${codeOf(err) ?? (err as Error).message}): check again later`,
  }
}

/** The DKIM key record of `selector`: verified when it holds the public key Rapport signs with. */
export async function checkDkim(
  resolver: DnsResolver,
  domain: string,
  selector: string,
  publicKey: string,
): Promise<RecordCheck> {
  const name = dkimRecordName(selector, domain)
  try {
    const published = await tools.getPublicKey('DKIM', name, 1024, resolver)
    if (spkiBase64(published.publicKey) === publicKey) {
      return { status: 'verified', found: published.rr, detail: 'The published key is the one Rapport signs with' }
    }
    return {
      status: 'mismatch',
      found: published.rr,
      detail: `The record at ${name} holds another public key: replace its value with the one shown`,
    }
  } catch (err) {
    const code = codeOf(err)
    const rr = (err as { rr?: string }).rr ?? null
    if (NOT_FOUND.has(code ?? '')) return { status: 'missing', found: null, detail: `No TXT record at ${name}` }
    if (code === 'EINVALIDVAL' && !rr) return { status: 'missing', found: null, detail: `No TXT record at ${name}` }
    if (code?.startsWith('EINVALID') || code === 'ESHORTKEY') {
      return {
        status: 'mismatch',
        found: rr,
        detail: `The record at ${name} is not a usable DKIM key (${(err as Error).message}): replace it with the one shown`,
      }
    }
    return lookupFailed(err)
  }
}

/** An address no relay sends from (TEST-NET-1, RFC 5737): evaluating with it walks the whole record. */
const PROBE_IP = '192.0.2.1'

/**
 * The domain's SPF record. Without `mechanisms` (RAPPORT_SPF_INCLUDE unset) only that one record is
 * published. With them, each must be reached by mailauth's evaluation of the record: an `ip4:` /
 * `ip6:` address must pass, and an `include:`, `a:` or `mx:` name must be looked up along the way
 * (directly, or through another include or a redirect).
 */
export async function checkSpf(
  resolver: DnsResolver,
  domain: string,
  mechanisms: string[] | undefined,
): Promise<RecordCheck> {
  let records: string[]
  try {
    records = (await txtRecords(resolver, domain)).filter((r) => /^v=spf1(\s|$)/i.test(r.trim()))
  } catch (err) {
    return lookupFailed(err)
  }
  if (records.length === 0) return { status: 'missing', found: null, detail: `No SPF record (v=spf1) at ${domain}` }
  const found = records.join(' | ')
  if (records.length > 1) {
    return {
      status: 'mismatch',
      found,
      detail: 'Several SPF records: receivers treat that as a permanent error. Merge them into one',
    }
  }
  if (!mechanisms || mechanisms.length === 0) {
    return {
      status: 'verified',
      found,
      detail:
        'An SPF record is published. This installation does not know its relay (RAPPORT_SPF_INCLUDE is unset), so what it allows was not checked',
    }
  }
  const missing: string[] = []
  const queried = new Set<string>()
  const observing: DnsResolver = async (name, rrtype) => {
    queried.add(`${rrtype.toUpperCase()} ${name.toLowerCase().replace(/\.$/, '')}`)
    return resolver(name, rrtype)
  }
  const evaluate = (ip: string) =>
    spfModule.spf({ sender: `postmaster@${domain}`, ip, helo: domain, mta: 'rapport', resolver: observing })
  try {
    let probed = false
    for (const mechanism of mechanisms) {
      const [kind, target = ''] = mechanism.toLowerCase().split(/:(.*)/s) as [string, string?]
      if (kind === 'ip4' || kind === 'ip6') {
        const ip = target.split('/')[0]!
        const result = await evaluate(ip)
        if (result.status.result === 'temperror')
          throw Object.assign(new Error(result.status.comment ?? 'temperror'), { code: 'ETEMP' })
        if (result.status.result !== 'pass') missing.push(mechanism)
        continue
      }
      if (!probed) {
        const result = await evaluate(PROBE_IP)
        if (result.status.result === 'temperror')
          throw Object.assign(new Error(result.status.comment ?? 'temperror'), { code: 'ETEMP' })
        probed = true
      }
      const rrtype = kind === 'include' ? 'TXT' : kind === 'mx' ? 'MX' : 'A'
      if (!queried.has(`${rrtype} ${target.replace(/\.$/, '')}`)) missing.push(mechanism)
    }
  } catch (err) {
    return lookupFailed(err)
  }
  if (missing.length > 0) {
    return {
      status: 'mismatch',
      found,
      detail: `The SPF record does not reach ${missing.join(' ')}: add it to the existing record (a domain has one SPF record)`,
    }
  }
  return { status: 'verified', found, detail: `The SPF record allows the relay (${mechanisms.join(' ')})` }
}

const POLICIES = new Set(['none', 'quarantine', 'reject'])

/** The DMARC record at `_dmarc.<domain>`, or the organizational domain's: verified when one valid record applies. */
export async function checkDmarc(resolver: DnsResolver, domain: string): Promise<RecordCheck> {
  const name = `_dmarc.${domain}`
  try {
    const own = (await txtRecords(resolver, name)).filter((r) => /^v=DMARC1\b/i.test(r.trim()))
    if (own.length > 1) {
      return {
        status: 'mismatch',
        found: own.join(' | '),
        detail: `Several DMARC records at ${name}: receivers then apply none. Keep one`,
      }
    }
    const record = await getDmarcRecord(domain, resolver)
    if (!record)
      return { status: 'missing', found: null, detail: `No DMARC record at ${name} (nor at the organizational domain)` }
    const policy = String(record.p ?? '').toLowerCase()
    if (!POLICIES.has(policy)) {
      return {
        status: 'mismatch',
        found: record.rr,
        detail: 'The DMARC record has no valid policy (p=none, quarantine or reject): receivers ignore it',
      }
    }
    return {
      status: 'verified',
      found: record.rr,
      detail: record.isOrgRecord
        ? `The organizational domain's DMARC record applies (p=${policy})`
        : `DMARC policy p=${policy}${policy === 'none' ? ': reports only; move to quarantine once they show only your own mail' : ''}`,
    }
  } catch (err) {
    return lookupFailed(err)
  }
}
