import dns from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Which network addresses an outbound request (a webhook delivery) may reach: public unicast ones
 * only. Everything else (loopback, private, link-local, carrier-grade NAT, multicast, documentation,
 * benchmarking and reserved ranges, in IPv4 and IPv6, and IPv6 forms that embed such an IPv4
 * address) is refused, so that a subscriber URL cannot make the server call into its own network.
 *
 * The ranges follow the IANA special-purpose address registries. Matching is done by Node's
 * `net.BlockList`, which also matches IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) against IPv4
 * rules; NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`) addresses get a rule per refused IPv4 range.
 */

const IPV4_RANGES: [phrase: string, cidrs: string[]][] = [
  // First: 255.255.255.255 also lies in 240.0.0.0/4.
  ['the broadcast address', ['255.255.255.255/32']],
  ['an unspecified ("this network") address', ['0.0.0.0/8']],
  ['a private address', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
  ['a carrier-grade NAT address', ['100.64.0.0/10']],
  ['a loopback address', ['127.0.0.0/8']],
  ['a link-local address', ['169.254.0.0/16']],
  ['a documentation address', ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24']],
  ['a benchmarking address', ['198.18.0.0/15']],
  ['a multicast address', ['224.0.0.0/4']],
  ['a reserved address', ['192.0.0.0/24', '192.88.99.0/24', '240.0.0.0/4']],
]

const IPV6_RANGES: [phrase: string, cidrs: string[]][] = [
  ['an unspecified address', ['::/128']],
  ['a loopback address', ['::1/128']],
  ['a link-local address', ['fe80::/10']],
  ['a site-local address', ['fec0::/10']],
  ['a unique local address', ['fc00::/7']],
  ['a multicast address', ['ff00::/8']],
  ['a documentation address', ['2001:db8::/32', '3fff::/20']],
  ['a benchmarking address', ['2001:2::/48']],
  // IPv4-compatible (deprecated), NAT64 local use, discard-only, IETF protocol assignments (Teredo, ORCHID…).
  ['a reserved address', ['::/96', '64:ff9b:1::/48', '100::/64', '2001::/23']],
]

function hex16(a: number, b: number): string {
  return ((a << 8) | b).toString(16)
}

/** Ordered: the first range that holds an address names it (IPv6 `::` is unspecified before reserved). */
function buildRanges(): { phrase: string; list: BlockList }[] {
  const ranges: { phrase: string; list: BlockList }[] = []
  for (const [phrase, cidrs] of IPV6_RANGES) {
    const list = new BlockList()
    for (const cidr of cidrs) {
      const [network, bits] = cidr.split('/') as [string, string]
      list.addSubnet(network, Number(bits), 'ipv6')
    }
    ranges.push({ phrase, list })
  }
  for (const [phrase, cidrs] of IPV4_RANGES) {
    const list = new BlockList()
    for (const cidr of cidrs) {
      const [network, bits] = cidr.split('/') as [string, string]
      const prefix = Number(bits)
      list.addSubnet(network, prefix, 'ipv4')
      // The same IPv4 range inside NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::) addresses.
      list.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6')
      const [a, b, c, d] = network.split('.').map(Number) as [number, number, number, number]
      list.addSubnet(`2002:${hex16(a, b)}:${hex16(c, d)}::`, 16 + prefix, 'ipv6')
    }
    ranges.push({ phrase, list })
  }
  return ranges
}

const RANGES = buildRanges()

/** IPv6 space that may be public: global unicast, and the IPv4-mapped and NAT64 forms of public IPv4. */
const PUBLIC_IPV6 = new BlockList()
PUBLIC_IPV6.addSubnet('2000::', 3, 'ipv6')
PUBLIC_IPV6.addSubnet('::ffff:0:0', 96, 'ipv6')
PUBLIC_IPV6.addSubnet('64:ff9b::', 96, 'ipv6')

/**
 * Why `ip` is not a public address, as a phrase ("a loopback address"); undefined when it is public.
 * Something that is not an IP address at all is "not an IP address".
 */
export function describeNonPublicAddress(ip: string): string | undefined {
  const address = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip.split('%')[0]!
  const family = isIP(address)
  if (family === 0) return 'not an IP address'
  const type = family === 4 ? 'ipv4' : 'ipv6'
  for (const { phrase, list } of RANGES) if (list.check(address, type)) return phrase
  if (type === 'ipv6' && !PUBLIC_IPV6.check(address, 'ipv6')) return 'a reserved address'
  return undefined
}

export function isPublicAddress(ip: string): boolean {
  return describeNonPublicAddress(ip) === undefined
}

export interface UrlPolicyOptions {
  /** Development and tests: allow plain http and every address (RAPPORT_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean
}

export interface CreationCheckOptions extends UrlPolicyOptions {
  /** Resolves a host name to all of its addresses; `dns.promises.lookup` unless given (tests). */
  resolve?: (hostname: string) => Promise<{ address: string }[]>
  /** How long a host name may take to resolve. Default 5000. */
  resolveTimeoutMs?: number
}

type Host = { kind: 'ip'; address: string } | { kind: 'name'; name: string }

/** Parses the URL and applies every rule that needs no DNS: the scheme, IP literals, localhost names. */
function checkShape(url: string, options: UrlPolicyOptions): { refusal: string } | { host: Host } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { refusal: 'Must be an absolute URL, such as https://example.com/webhooks' }
  }
  const isHttp = parsed.protocol === 'http:'
  if (parsed.protocol !== 'https:' && !(isHttp && options.allowPrivate)) {
    return { refusal: options.allowPrivate ? 'Must be an http or https URL' : 'Must be an https URL' }
  }
  // WHATWG parsing already turned numeric IPv4 forms (2130706433, 0x7f000001, 0177.0.0.1, 127.1)
  // into dotted quads and bracketed IPv6 into its compressed form.
  const hostname = parsed.hostname
  const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname
  if (isIP(literal) !== 0) {
    const why = describeNonPublicAddress(literal)
    if (why && !options.allowPrivate) return { refusal: `Is ${why} (${literal})` }
    return { host: { kind: 'ip', address: literal } }
  }
  const name = hostname.replace(/\.$/, '')
  if ((name === 'localhost' || name.endsWith('.localhost')) && !options.allowPrivate) {
    return { refusal: `Is a loopback host name (${hostname})` }
  }
  return { host: { kind: 'name', name } }
}

/**
 * The rules that need no DNS, for the moment of delivery: pair it with `publicOnlyLookup`, which
 * checks the addresses a host name resolves to (an IP-literal host never reaches a lookup function).
 * Returns why the URL is refused, or undefined.
 */
export function checkUrlShape(url: string, options: UrlPolicyOptions): string | undefined {
  const shape = checkShape(url, options)
  return 'refusal' in shape ? shape.refusal : undefined
}

const defaultResolve = (hostname: string) => dns.promises.lookup(hostname, { all: true, verbatim: true })

/**
 * Checks a subscriber URL when it is saved: https, and a host that is a public address or a name
 * whose addresses (every one of them) are public. Returns why the URL is refused, for a person, or
 * undefined when it is acceptable. With `allowPrivate`, only the URL syntax is checked.
 *
 * This is advice at creation time: DNS can change afterwards (rebinding), so deliveries must also
 * connect through `publicOnlyLookup`.
 */
export async function checkUrlAtCreation(url: string, options: CreationCheckOptions): Promise<string | undefined> {
  const shape = checkShape(url, options)
  if ('refusal' in shape) return shape.refusal
  if (options.allowPrivate || shape.host.kind === 'ip') return undefined
  const name = shape.host.name
  const timeoutMs = options.resolveTimeoutMs ?? 5000
  let timer: NodeJS.Timeout | undefined
  let addresses: { address: string }[]
  try {
    addresses = await Promise.race([
      (options.resolve ?? defaultResolve)(name),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)
      }),
    ])
  } catch (err) {
    if ((err as Error).message === 'timeout') {
      return `Does not resolve: looking up ${name} took longer than ${timeoutMs / 1000} s`
    }
    return `Does not resolve: no address found for ${name}`
  } finally {
    clearTimeout(timer)
  }
  if (addresses.length === 0) return `Does not resolve: no address found for ${name}`
  for (const { address } of addresses) {
    const why = describeNonPublicAddress(address)
    if (why) return `Resolves to ${why} (${address})`
  }
  return undefined
}

/** What a connection to a non-public address fails with (`code` ERR_BLOCKED_ADDRESS). */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_BLOCKED_ADDRESS'
}

/**
 * A `lookup` for `net`/`tls`/`http` connect options (and undici's `connect`): resolves like
 * `dns.lookup`, then fails with `BlockedAddressError` when any address of the name is not public.
 * The connection is made to an address checked here, so a name that resolved to a public address
 * when the endpoint was saved cannot be rebound to an internal one at delivery time.
 */
export function createPublicOnlyLookup(base: typeof dns.lookup = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '')
      for (const { address } of addresses) {
        const why = describeNonPublicAddress(address)
        if (why) return callback(new BlockedAddressError(`${hostname} resolves to ${why} (${address})`), '')
      }
      const first = addresses[0]
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '')
      if (options.all) return callback(null, addresses)
      callback(null, first.address, first.family)
    })
  }
}

export const publicOnlyLookup: LookupFunction = createPublicOnlyLookup()
