import { isIPv4, isIPv6 } from 'node:net'

/**
 * What one client's budget is keyed by: its IPv4 address, or the /64 prefix of its IPv6 address
 * (one host usually holds a whole /64 and can rotate within it). IPv4-mapped IPv6 counts as the
 * IPv4 address. Loopback is not limited (undefined): it is this machine — a health check, a local
 * script, or a reverse proxy on the same host that is not declared in RAPPORT_TRUST_PROXY, whose
 * clients would otherwise share one budget.
 */
export function clientAddressKey(ip: string): string | undefined {
  const address = ip.replace(/%.*$/, '')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  const v4 = mapped ?? address
  if (isIPv4(v4)) return v4.startsWith('127.') ? undefined : v4
  if (!isIPv6(address)) return address
  const groups = ipv6Groups(address)
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return undefined
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of a valid IPv6 address ('::' expanded, a trailing dotted IPv4 as two groups). */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::')
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [Number.parseInt(g, 16)]
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number)
          return [a * 256 + b, c * 256 + d]
        })
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
}
