import { Resolver } from 'node:dns/promises'

/**
 * A DNS lookup shaped like node's `dns.promises.resolve(name, rrtype)`, as mailauth takes it: TXT
 * answers are arrays of character-strings (`[["v=spf1 ", "-all"]]`). A name or record that does not
 * exist rejects with an error whose `code` is `ENOTFOUND` or `ENODATA`. Tests pass an in-process
 * object instead of the system's resolver, so no test asks the network.
 */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown[]>

/**
 * The system's resolvers (/etc/resolv.conf), giving up on one lookup after about `timeoutMs` × 2
 * tries. Made on first use: a process that never checks a domain opens no resolver channel.
 */
export function systemDnsResolver(timeoutMs = 5000): DnsResolver {
  let resolver: Resolver | undefined
  return (name, rrtype) => {
    resolver ??= new Resolver({ timeout: timeoutMs, tries: 2 })
    return resolver.resolve(name, rrtype as 'TXT') as Promise<unknown[]>
  }
}

/** An error as node's resolver rejects with when there is no such name (ENOTFOUND) or record (ENODATA). */
export function dnsNotFound(name: string, code: 'ENOTFOUND' | 'ENODATA' = 'ENOTFOUND'): Error {
  return Object.assign(new Error(`queryTxt ${code} ${name}`), { code, hostname: name })
}
