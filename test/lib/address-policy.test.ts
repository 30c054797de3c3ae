import type dns from 'node:dns'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, test } from 'vitest'
import {
  checkUrlAtCreation,
  checkUrlShape,
  createPublicOnlyLookup,
  describeNonPublicAddress,
  isPublicAddress,
  publicOnlyLookup,
} from '../../src/lib/address-policy.js'

const strict = { allowPrivate: false }
const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address }))

describe('isPublicAddress', () => {
  const refused: [string, string, RegExp][] = [
    ['IPv4 loopback', '127.0.0.1', /loopback/],
    ['IPv4 loopback, anywhere in 127/8', '127.255.0.9', /loopback/],
    ['private 10/8', '10.0.0.5', /private/],
    ['private 172.16/12 (low end)', '172.16.0.1', /private/],
    ['private 172.16/12 (high end)', '172.31.255.254', /private/],
    ['private 192.168/16', '192.168.1.1', /private/],
    ['link-local', '169.254.10.20', /link-local/],
    ['cloud metadata', '169.254.169.254', /link-local/],
    ['carrier-grade NAT 100.64/10', '100.64.0.1', /carrier-grade NAT/],
    ['carrier-grade NAT, high end', '100.127.255.254', /carrier-grade NAT/],
    ['"this network" 0/8', '0.0.0.0', /unspecified/],
    ['"this network" 0/8, not zero', '0.1.2.3', /unspecified/],
    ['multicast', '224.0.0.251', /multicast/],
    ['multicast, high end', '239.255.255.250', /multicast/],
    ['broadcast', '255.255.255.255', /broadcast/],
    ['reserved 240/4', '240.0.0.1', /reserved/],
    ['IETF protocol assignments 192.0.0/24', '192.0.0.170', /reserved/],
    ['6to4 relay anycast', '192.88.99.1', /reserved/],
    ['documentation TEST-NET-1', '192.0.2.10', /documentation/],
    ['documentation TEST-NET-2', '198.51.100.10', /documentation/],
    ['documentation TEST-NET-3', '203.0.113.10', /documentation/],
    ['benchmarking 198.18/15', '198.19.0.1', /benchmarking/],
    ['IPv6 loopback', '::1', /loopback/],
    ['IPv6 unspecified', '::', /unspecified/],
    ['IPv6 unique local fc00::/7', 'fc00::1', /unique local/],
    ['IPv6 unique local fd00::/8', 'fd12:3456:789a::1', /unique local/],
    ['IPv6 link-local', 'fe80::1', /link-local/],
    ['IPv6 link-local with a zone', 'fe80::1%eth0', /link-local/],
    ['IPv6 site-local (deprecated)', 'fec0::1', /site-local/],
    ['IPv6 multicast', 'ff02::1', /multicast/],
    ['IPv6 documentation', '2001:db8::1', /documentation/],
    ['IPv6 benchmarking', '2001:2::1', /benchmarking/],
    ['Teredo', '2001:0:4136:e378::1', /reserved/],
    ['discard-only', '100::1', /reserved/],
    ['IPv4-compatible (deprecated)', '::127.0.0.1', /reserved/],
    ['outside global unicast', '5f00::1', /reserved/],
    ['IPv4-mapped loopback, dotted', '::ffff:127.0.0.1', /loopback/],
    ['IPv4-mapped loopback, hex', '::ffff:7f00:1', /loopback/],
    ['IPv4-mapped private', '::ffff:10.0.0.1', /private/],
    ['IPv4-mapped metadata', '::ffff:a9fe:a9fe', /link-local/],
    ['NAT64 of a private address', '64:ff9b::10.0.0.1', /private/],
    ['NAT64 of loopback, hex', '64:ff9b::7f00:1', /loopback/],
    ['NAT64 local use', '64:ff9b:1::a00:1', /reserved/],
    ['6to4 embedding 192.168.1.1', '2002:c0a8:101::1', /private/],
    ['6to4 embedding 127.0.0.1', '2002:7f00:1::', /loopback/],
    ['not an address', 'example.com', /not an IP address/],
  ]
  test.each(refused)('refuses %s (%s)', (_, ip, why) => {
    expect(isPublicAddress(ip)).toBe(false)
    expect(describeNonPublicAddress(ip)).toMatch(why)
  })

  const allowed: [string, string][] = [
    ['public IPv4', '93.184.216.34'],
    ['just below 172.16/12', '172.15.255.255'],
    ['just above 172.16/12', '172.32.0.1'],
    ['just above CGNAT', '100.128.0.1'],
    ['public IPv6', '2606:4700:4700::1111'],
    ['IPv4-mapped public', '::ffff:8.8.8.8'],
    ['NAT64 of a public address', '64:ff9b::8.8.8.8'],
    ['6to4 embedding a public address', '2002:808:808::1'],
  ]
  test.each(allowed)('accepts %s (%s)', (_, ip) => {
    expect(describeNonPublicAddress(ip)).toBeUndefined()
    expect(isPublicAddress(ip)).toBe(true)
  })
})

describe('checkUrlAtCreation', () => {
  test('URL parsing turns numeric, percent-encoded and full-width IPv4 forms into dotted quads, then refused', async () => {
    const forms = [
      '2130706433',
      '0x7f000001',
      '0177.0.0.1',
      '127.1',
      '0x7f.1',
      '017700000001',
      '127.0.0.1.',
      '%31%32%37.0.0.1',
      '①②⑦.0.0.1',
    ]
    for (const host of forms) {
      expect(new URL(`https://${host}/`).hostname, host).toBe('127.0.0.1')
      expect(await checkUrlAtCreation(`https://${host}/hook`, strict), host).toBe('Is a loopback address (127.0.0.1)')
    }
    expect(await checkUrlAtCreation('https://167772165/hook', strict)).toBe('Is a private address (10.0.0.5)')
  })

  test('refuses IPv6 literals that are or embed non-public addresses', async () => {
    expect(await checkUrlAtCreation('https://[::1]/', strict)).toBe('Is a loopback address (::1)')
    expect(await checkUrlAtCreation('https://[::ffff:127.0.0.1]/', strict)).toBe(
      'Is a loopback address (::ffff:7f00:1)',
    )
    expect(await checkUrlAtCreation('https://[0:0:0:0:0:ffff:7f00:1]/', strict)).toMatch(/^Is a loopback address/)
    expect(await checkUrlAtCreation('https://[fd00::1]:8443/', strict)).toMatch(/^Is a unique local address/)
    expect(await checkUrlAtCreation('https://[::ffff:0:7f00:1]/', strict)).toMatch(/^Is a reserved address/)
    expect(await checkUrlAtCreation('https://[64:ff9b::192.168.0.1]/', strict)).toMatch(/^Is a private address/)
    expect(await checkUrlAtCreation('https://[2002:a00:1::1]/', strict)).toMatch(/^Is a private address/)
    expect(await checkUrlAtCreation('https://[2606:4700:4700::1111]/hook', strict)).toBeUndefined()
  })

  test('accepts https on a public IP literal without any DNS', async () => {
    const resolve = async () => {
      throw new Error('must not be called')
    }
    expect(await checkUrlAtCreation('https://93.184.216.34:8443/hook?x=1', { ...strict, resolve })).toBeUndefined()
  })

  test('refuses plain http, other schemes and what is not an absolute URL', async () => {
    expect(await checkUrlAtCreation('http://93.184.216.34/hook', strict)).toBe('Must be an https URL')
    expect(await checkUrlAtCreation('ftp://93.184.216.34/hook', strict)).toBe('Must be an https URL')
    expect(await checkUrlAtCreation('file:///etc/passwd', strict)).toBe('Must be an https URL')
    expect(await checkUrlAtCreation('/relative/path', strict)).toMatch(/^Must be an absolute URL/)
    expect(await checkUrlAtCreation('https://', strict)).toMatch(/^Must be an absolute URL/)
  })

  test('refuses localhost and its subdomains without asking DNS', async () => {
    const resolve = resolvesTo('93.184.216.34')
    for (const url of [
      'https://localhost/hook',
      'https://LOCALHOST:3000/',
      'https://localhost./',
      'https://api.localhost/',
    ]) {
      expect(await checkUrlAtCreation(url, { ...strict, resolve }), url).toMatch(/^Is a loopback host name/)
    }
  })

  test('refuses a host name that resolves to a private address, naming it', async () => {
    const reason = await checkUrlAtCreation('https://hooks.example.com/x', {
      ...strict,
      resolve: resolvesTo('10.0.0.5'),
    })
    expect(reason).toBe('Resolves to a private address (10.0.0.5)')
  })

  test('refuses a host name when any one of its addresses is not public', async () => {
    const resolve = resolvesTo('93.184.216.34', '2606:4700::1', 'fd00::5')
    expect(await checkUrlAtCreation('https://hooks.example.com/', { ...strict, resolve })).toBe(
      'Resolves to a unique local address (fd00::5)',
    )
  })

  test('accepts a host name whose addresses are all public', async () => {
    const resolve = resolvesTo('93.184.216.34', '2606:4700::1')
    expect(await checkUrlAtCreation('https://hooks.example.com/', { ...strict, resolve })).toBeUndefined()
  })

  test('refuses a host name that does not resolve', async () => {
    const resolve = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })
    }
    expect(await checkUrlAtCreation('https://hooks.example.com/', { ...strict, resolve })).toBe(
      'Does not resolve: no address found for hooks.example.com',
    )
    expect(await checkUrlAtCreation('https://hooks.example.com/', { ...strict, resolve: resolvesTo() })).toMatch(
      /^Does not resolve/,
    )
    // Real DNS: .invalid never resolves (RFC 6761).
    expect(await checkUrlAtCreation('https://hooks.rapport.invalid/', strict)).toMatch(/^Does not resolve/)
  })

  test('refuses a host name whose lookup takes longer than the timeout', async () => {
    const resolve = () => new Promise<never>(() => {})
    expect(await checkUrlAtCreation('https://slow.example.com/', { ...strict, resolve, resolveTimeoutMs: 20 })).toBe(
      'Does not resolve: looking up slow.example.com took longer than 0.02 s',
    )
  })

  test('allowPrivate lifts the https and address rules, and asks no DNS', async () => {
    const open = { allowPrivate: true, resolve: resolvesTo('10.0.0.5') }
    for (const url of [
      'http://127.0.0.1:4000/hook',
      'https://[::1]/',
      'http://localhost:3000/',
      'https://10.0.0.5/',
      'https://hooks.example.com/',
    ]) {
      expect(await checkUrlAtCreation(url, open), url).toBeUndefined()
    }
    expect(await checkUrlAtCreation('ftp://127.0.0.1/', open)).toBe('Must be an http or https URL')
  })
})

describe('checkUrlShape (the rules that need no DNS, for delivery time)', () => {
  test('refuses IP literals and localhost, and leaves host names to the lookup', () => {
    expect(checkUrlShape('https://169.254.169.254/latest/meta-data', strict)).toBe(
      'Is a link-local address (169.254.169.254)',
    )
    expect(checkUrlShape('https://localhost/', strict)).toMatch(/loopback host name/)
    expect(checkUrlShape('http://93.184.216.34/', strict)).toBe('Must be an https URL')
    expect(checkUrlShape('https://anything.example.com/', strict)).toBeUndefined()
    expect(checkUrlShape('http://127.0.0.1:9/', { allowPrivate: true })).toBeUndefined()
  })
})

describe('publicOnlyLookup', () => {
  const fakeDns = (...addresses: dns.LookupAddress[]): typeof dns.lookup =>
    ((_host: string, _options: dns.LookupOptions, callback: (err: null, addresses: dns.LookupAddress[]) => void) =>
      callback(null, addresses)) as unknown as typeof dns.lookup

  const run = (lookup: ReturnType<typeof createPublicOnlyLookup>, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      lookup('hooks.example.com', { all }, (err, address, family) => resolve({ err, address, family })),
    )

  test('passes public addresses through, in the form the caller asked for', async () => {
    const lookup = createPublicOnlyLookup(
      fakeDns({ address: '93.184.216.34', family: 4 }, { address: '2606:4700::1', family: 6 }),
    )
    expect(await run(lookup, true)).toEqual({
      err: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700::1', family: 6 },
      ],
      family: undefined,
    })
    expect(await run(lookup, false)).toEqual({ err: null, address: '93.184.216.34', family: 4 })
  })

  test('fails with ERR_BLOCKED_ADDRESS when a name is rebound to a private address after creation', async () => {
    const lookup = createPublicOnlyLookup(
      fakeDns({ address: '93.184.216.34', family: 4 }, { address: '10.1.2.3', family: 4 }),
    )
    const { err } = await run(lookup, true)
    expect(err?.code).toBe('ERR_BLOCKED_ADDRESS')
    expect(err?.message).toBe('hooks.example.com resolves to a private address (10.1.2.3)')
  })

  test('stops a real connection to a name that resolves to loopback', async () => {
    const server = http.createServer((_req, res) => res.end('reached'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const get = (lookup?: typeof publicOnlyLookup) =>
      new Promise<string>((resolve, reject) => {
        http
          // agent: false, so that the second request opens a connection (and looks the name up) of its own.
          .get({ host: 'localhost', port, path: '/', agent: false, ...(lookup ? { lookup } : {}) }, (res) => {
            res.setEncoding('utf8')
            let body = ''
            res.on('data', (chunk) => {
              body += chunk
            })
            res.on('end', () => resolve(body))
          })
          .on('error', reject)
      })
    try {
      expect(await get()).toBe('reached')
      await expect(get(publicOnlyLookup)).rejects.toMatchObject({ code: 'ERR_BLOCKED_ADDRESS' })
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
