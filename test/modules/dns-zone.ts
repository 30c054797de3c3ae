import { type DnsResolver, dnsNotFound } from '../../src/lib/dns-resolver.js'

/**
 * An in-process DNS zone for the tests: TXT, A and MX answers kept in memory and answered as node's
 * resolver answers (a TXT record is an array of character-strings; a missing name rejects with
 * ENOTFOUND, a name without that type with ENODATA). No test asks the network.
 */
export function dnsZone() {
  const records = new Map<string, Map<string, unknown[]>>()
  const queries: string[] = []
  let isDown = false
  const key = (name: string) => name.toLowerCase().replace(/\.$/, '')
  const set = (name: string, rrtype: string, answers: unknown[]) => {
    const byType = records.get(key(name)) ?? new Map<string, unknown[]>()
    byType.set(rrtype, answers)
    records.set(key(name), byType)
  }
  const resolve: DnsResolver = async (name, rrtype) => {
    queries.push(`${rrtype} ${key(name)}`)
    if (isDown) throw Object.assign(new Error(`query${rrtype} ETIMEOUT ${name}`), { code: 'ETIMEOUT' })
    const byType = records.get(key(name))
    if (!byType) throw dnsNotFound(name, 'ENOTFOUND')
    const answers = byType.get(rrtype.toUpperCase())
    if (!answers || answers.length === 0) throw dnsNotFound(name, 'ENODATA')
    return answers
  }
  return {
    resolve,
    queries,
    /** Publishes TXT records at `name` (each string split in 255-character strings, as DNS stores it). */
    txt(name: string, ...values: string[]) {
      set(
        name,
        'TXT',
        values.map((v) => v.match(/.{1,255}/gs) ?? ['']),
      )
    },
    a(name: string, ...addresses: string[]) {
      set(name, 'A', addresses)
    },
    remove(name: string) {
      records.delete(key(name))
    },
    /** While down, every lookup fails as a timed-out server's does (ETIMEOUT). */
    setDown(down: boolean) {
      isDown = down
    },
  }
}
