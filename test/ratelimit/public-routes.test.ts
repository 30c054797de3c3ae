import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify'
import { describe, expect, test } from 'vitest'
import { ConfigError, loadConfig, parsePublicRateLimits, parseTrustProxy } from '../../src/config.js'
import { handleError } from '../../src/core/error-reply.js'
import { createMetrics } from '../../src/http/metrics.js'
import { registerRateLimit } from '../../src/http/rate-limit.js'
import { clientAddressKey } from '../../src/lib/client-address.js'
import { memoryLimiter } from '../../src/ratelimit/memory.js'
import { type TestApp, testApp } from '../harness.js'
import { fakeClock, T0 } from './fake-time.js'

/**
 * Runs on the store the environment selects (memory, or Redis when REDIS_URL is set, where every
 * test file shares the counters): every test therefore uses client addresses of its own. The clock
 * is injected (both stores decide at its time), 20 s into a minute that never ends: requests of one
 * test cannot straddle two windows, however slow the machine.
 */
const clock = fakeClock(T0 + 20_000)

const READ_LIMIT = 120
const WRITE_LIMIT = 10

const octet = () => Math.floor(Math.random() * 254) + 1
/** A random client address, never one another test (or another run against the same Redis) uses. */
const randomIPv4 = () => `10.${octet()}.${octet()}.${octet()}`
const hex = () => Math.floor(Math.random() * 0xffff).toString(16)
/** A random /64 under the documentation prefix, as `2001:db8:x:y`. */
const randomPrefix64 = () => `2001:db8:${hex()}:${hex()}`

/** A public page read: an unknown host is a 404, which counts like any answer. */
const PAGE = '/api/public/booking/nobody-here/intro'
/** A public write: an empty body is a 422, which counts like any answer (the limit runs before validation). */
const BOOK = '/api/public/booking/nobody-here/intro/bookings'

function publicRequest(
  h: TestApp,
  method: 'GET' | 'POST',
  url: string,
  remoteAddress: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const options: InjectOptions = { method, url, remoteAddress, headers }
  if (method === 'POST') options.payload = {}
  return h.app.inject(options)
}

async function send(h: TestApp, n: number, method: 'GET' | 'POST', url: string, ip: string) {
  const statuses: number[] = []
  for (let i = 0; i < n; i++) statuses.push((await publicRequest(h, method, url, ip)).statusCode)
  return statuses
}

function expectPublicHeaders(
  res: LightMyRequestResponse,
  rateClass: 'read' | 'write',
  limit: number,
  remaining: number,
) {
  expect(res.headers['x-ratelimit-limit'], `${res.statusCode} ${res.body}`).toBe(String(limit))
  expect(res.headers['x-ratelimit-remaining']).toBe(String(remaining))
  expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(clock.nowMs() / 1000 - 5)
  expect(res.headers['ratelimit-policy']).toBe(`"per-ip-${rateClass}";q=${limit};w=60`)
  expect(res.headers.ratelimit).toMatch(new RegExp(`^"per-ip-${rateClass}";r=${remaining};t=\\d+$`))
}

describe('public reads', () => {
  test(`past ${READ_LIMIT} GETs a minute from one address: 429 rate_limited with Retry-After and the limit headers`, async () => {
    const h = await testApp({ clock })
    const ip = randomIPv4()
    const first = await publicRequest(h, 'GET', PAGE, ip)
    expect(first.statusCode).toBe(404)
    expectPublicHeaders(first, 'read', READ_LIMIT, READ_LIMIT - 1)
    const statuses = await send(h, READ_LIMIT - 1, 'GET', PAGE, ip)
    expect(statuses.every((s) => s === 404)).toBe(true)

    const res = await publicRequest(h, 'GET', `${PAGE}/slots?start=2026-03-02&end=2026-03-02&timezone=UTC`, ip)
    expect(res.statusCode).toBe(429)
    expectPublicHeaders(res, 'read', READ_LIMIT, 0)
    const retryAfter = Number(res.headers['retry-after'])
    expect(Number.isInteger(retryAfter)).toBe(true)
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(120)
    expect(res.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringContaining(`${READ_LIMIT} requests per minute`),
        retry_after: retryAfter,
        request_id: res.headers['x-request-id'],
      },
    })
  })

  test('another address has its own budget', async () => {
    const h = await testApp({ clock })
    const ip = randomIPv4()
    await send(h, READ_LIMIT, 'GET', PAGE, ip)
    expect((await publicRequest(h, 'GET', PAGE, ip)).statusCode).toBe(429)
    const other = await publicRequest(h, 'GET', PAGE, randomIPv4())
    expect(other.statusCode).toBe(404)
    expectPublicHeaders(other, 'read', READ_LIMIT, READ_LIMIT - 1)
  })

  test('every 429 is counted in rapport_rate_limit_rejections_total under plan="public-read"', async () => {
    const h = await testApp({ clock })
    const ip = randomIPv4()
    await send(h, READ_LIMIT + 2, 'GET', PAGE, ip)
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/^rapport_rate_limit_rejections_total\{plan="public-read"\} 2$/m)
  })
})

describe('public writes', () => {
  test(`have their own smaller budget: the ${WRITE_LIMIT + 1}th POST is a 429 while reads still pass`, async () => {
    const h = await testApp({ clock })
    const ip = randomIPv4()
    const first = await publicRequest(h, 'POST', BOOK, ip)
    expect(first.statusCode).toBe(422)
    expectPublicHeaders(first, 'write', WRITE_LIMIT, WRITE_LIMIT - 1)
    expect(await send(h, WRITE_LIMIT - 1, 'POST', BOOK, ip)).toEqual(Array(WRITE_LIMIT - 1).fill(422))
    const rejected = await publicRequest(h, 'POST', '/api/public/bookings/bk_00000000000000000000000000/cancel', ip)
    expect(rejected.statusCode).toBe(429)
    expect(rejected.headers['retry-after']).toMatch(/^\d+$/)
    expectPublicHeaders(rejected, 'write', WRITE_LIMIT, 0)
    // Writes did not use the read budget.
    const read = await publicRequest(h, 'GET', PAGE, ip)
    expect(read.statusCode).toBe(404)
    expectPublicHeaders(read, 'read', READ_LIMIT, READ_LIMIT - 1)
  })
})

describe('routes with a key', () => {
  test('are limited per key only: an address out of public budget still gets through, with per-key headers', async () => {
    const h = await testApp({ plan: 'free', clock })
    const ip = randomIPv4()
    await send(h, WRITE_LIMIT + 1, 'POST', BOOK, ip)
    expect((await publicRequest(h, 'POST', BOOK, ip)).statusCode).toBe(429)
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/v1/contacts',
      remoteAddress: ip,
      headers: { authorization: `Bearer ${h.org.key}` },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['ratelimit-policy']).toBe('"per-key";q=10;w=60, "per-key-hour";q=100;w=3600')
    expect(res.headers['x-ratelimit-remaining']).toBe('9')
  })

  test('a request without a valid key to a keyed route is a 401 that counts against no budget', async () => {
    const h = await testApp({ clock })
    const ip = randomIPv4()
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/contacts', remoteAddress: ip, payload: {} })
    expect(res.statusCode).toBe(401)
    expect(res.headers['x-ratelimit-limit']).toBeUndefined()
    expectPublicHeaders(await publicRequest(h, 'POST', BOOK, ip), 'write', WRITE_LIMIT, WRITE_LIMIT - 1)
  })
})

describe('what is not limited by address', () => {
  test('operators endpoints and the API description carry no public limit headers', async () => {
    const h = await testApp({ clock })
    const ip = randomIPv4()
    for (const url of ['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json', '/docs', '/docs/static/logo.svg']) {
      const res = await h.app.inject({ method: 'GET', url, remoteAddress: ip })
      expect(res.statusCode, url).toBeLessThan(400)
      expect(res.headers['x-ratelimit-limit'], url).toBeUndefined()
    }
  })

  test('requests from loopback (this machine) are not counted', async () => {
    const h = await testApp({ clock })
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const res = await publicRequest(h, 'POST', BOOK, ip)
      expect(res.statusCode, ip).toBe(422)
      expect(res.headers['x-ratelimit-limit'], ip).toBeUndefined()
    }
  })
})

describe('X-Forwarded-For', () => {
  test('is ignored without RAPPORT_TRUST_PROXY: the peer address is counted whatever the header says', async () => {
    const h = await testApp({ clock, env: { RAPPORT_TRUST_PROXY: '' } })
    const proxy = randomIPv4()
    for (let i = 0; i < WRITE_LIMIT; i++) {
      const res = await publicRequest(h, 'POST', BOOK, proxy, { 'x-forwarded-for': randomIPv4() })
      expect(res.statusCode).toBe(422)
    }
    const res = await publicRequest(h, 'POST', BOOK, proxy, { 'x-forwarded-for': randomIPv4() })
    expect(res.statusCode).toBe(429)
  })

  test('is honoured from a proxy listed in RAPPORT_TRUST_PROXY: each client behind it has its own budget', async () => {
    const proxy = randomIPv4()
    const h = await testApp({ clock, env: { RAPPORT_TRUST_PROXY: `${proxy},192.0.2.0/24` } })
    const client = randomIPv4()
    for (let i = 0; i < WRITE_LIMIT; i++) {
      const res = await publicRequest(h, 'POST', BOOK, proxy, { 'x-forwarded-for': client })
      expect(res.statusCode).toBe(422)
    }
    expect((await publicRequest(h, 'POST', BOOK, proxy, { 'x-forwarded-for': client })).statusCode).toBe(429)
    // Another client behind the same proxy, and a client behind a second proxy in the listed range.
    const other = await publicRequest(h, 'POST', BOOK, proxy, { 'x-forwarded-for': randomIPv4() })
    expect(other.statusCode).toBe(422)
    expectPublicHeaders(other, 'write', WRITE_LIMIT, WRITE_LIMIT - 1)
    const viaRange = await publicRequest(h, 'POST', BOOK, '192.0.2.77', { 'x-forwarded-for': client })
    expect(viaRange.statusCode).toBe(429)
    // A peer that is not a listed proxy cannot pick its address with the header.
    const spoofer = randomIPv4()
    const spoofed = await publicRequest(h, 'POST', BOOK, spoofer, { 'x-forwarded-for': randomIPv4() })
    expectPublicHeaders(spoofed, 'write', WRITE_LIMIT, WRITE_LIMIT - 1)
    expect((await publicRequest(h, 'POST', BOOK, spoofer, { 'x-forwarded-for': client })).statusCode).toBe(422)
  })

  test('with a hop count, the address that many hops back is the client', async () => {
    const h = await testApp({ clock, env: { RAPPORT_TRUST_PROXY: '1' } })
    const client = randomIPv4()
    const viaA = await publicRequest(h, 'POST', BOOK, randomIPv4(), { 'x-forwarded-for': `6.6.6.6, ${client}` })
    expectPublicHeaders(viaA, 'write', WRITE_LIMIT, WRITE_LIMIT - 1)
    const viaB = await publicRequest(h, 'POST', BOOK, randomIPv4(), { 'x-forwarded-for': `7.7.7.7, ${client}` })
    expectPublicHeaders(viaB, 'write', WRITE_LIMIT, WRITE_LIMIT - 2)
  })
})

describe('IPv6', () => {
  test('addresses are grouped by /64: rotating within the prefix does not reset the budget', async () => {
    const h = await testApp({ clock })
    const prefix = randomPrefix64()
    for (let i = 0; i < WRITE_LIMIT; i++) {
      const res = await publicRequest(h, 'POST', BOOK, `${prefix}:${hex()}:${hex()}:${hex()}:${i + 1}`)
      expect(res.statusCode).toBe(422)
    }
    const rotated = await publicRequest(h, 'POST', BOOK, `${prefix}::beef`)
    expect(rotated.statusCode).toBe(429)
    const neighbour = await publicRequest(h, 'POST', BOOK, `${randomPrefix64()}::1`)
    expect(neighbour.statusCode).toBe(422)
  })

  test('the budget key is the IPv4 address, or the normalized /64 prefix', () => {
    expect(clientAddressKey('203.0.113.9')).toBe('203.0.113.9')
    expect(clientAddressKey('::ffff:203.0.113.9')).toBe('203.0.113.9')
    expect(clientAddressKey('2001:0DB8:0:00a1:1:2:3:4')).toBe('2001:db8:0:a1::/64')
    expect(clientAddressKey('2001:db8:0:a1::7')).toBe('2001:db8:0:a1::/64')
    expect(clientAddressKey('2001:db8::')).toBe('2001:db8:0:0::/64')
    expect(clientAddressKey('::2')).toBe('0:0:0:0::/64')
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(clientAddressKey('64:ff9b:1:2::198.51.100.1')).toBe('64:ff9b:1:2::/64')
    expect(clientAddressKey('127.0.0.2')).toBeUndefined()
    expect(clientAddressKey('::1')).toBeUndefined()
  })
})

describe('configuration', () => {
  test('RAPPORT_PUBLIC_RATE_LIMITS sets the budgets of the app', async () => {
    const h = await testApp({ clock, env: { RAPPORT_PUBLIC_RATE_LIMITS: 'write=2' } })
    const ip = randomIPv4()
    const statuses = await send(h, 3, 'POST', BOOK, ip)
    expect(statuses.slice(0, 2).every((s) => s !== 429)).toBe(true)
    expect(statuses[2]).toBe(429)
  })

  test('RAPPORT_PUBLIC_RATE_LIMITS sets each class, classes left out keep their default', () => {
    expect(parsePublicRateLimits(undefined)).toEqual({ read: 120, write: 10 })
    expect(parsePublicRateLimits('write=3')).toEqual({ read: 120, write: 3 })
    expect(loadConfig({ RAPPORT_PUBLIC_RATE_LIMITS: 'read=600, write=20' }).publicRateLimits).toEqual({
      read: 600,
      write: 20,
    })
  })

  test('the budgets passed to the limiter apply, and a route can choose its class or opt out', async () => {
    const app = Fastify()
    app.setErrorHandler(handleError)
    const one = { perMinute: 1, perHour: null }
    const plans = { free: one, pro: one, teams: one, enterprise: one }
    registerRateLimit(app, memoryLimiter(fakeClock()), plans, createMetrics(), {
      read: 3,
      write: 2,
    })
    app.get('/read', async () => ({ ok: true }))
    app.post('/write', async () => ({ ok: true }))
    app.get('/expensive', { config: { publicRateLimit: 'write' } }, async () => ({ ok: true }))
    app.post('/free', { config: { publicRateLimit: false } }, async () => ({ ok: true }))
    const hit = async (method: 'GET' | 'POST', url: string) =>
      (await app.inject({ method, url, remoteAddress: '198.51.100.1' })).statusCode
    const reads = [await hit('GET', '/read'), await hit('GET', '/read'), await hit('GET', '/read')]
    expect([...reads, await hit('GET', '/read')]).toEqual([200, 200, 200, 429])
    expect([await hit('POST', '/write'), await hit('GET', '/expensive'), await hit('POST', '/write')]).toEqual([
      200, 200, 429,
    ])
    for (let i = 0; i < 5; i++) expect(await hit('POST', '/free')).toBe(200)
    await app.close()
  })

  test('RAPPORT_TRUST_PROXY accepts off, true, a hop count or a list of addresses and CIDRs', () => {
    expect(parseTrustProxy(undefined)).toBe(false)
    expect(parseTrustProxy('false')).toBe(false)
    expect(parseTrustProxy('0')).toBe(false)
    expect(parseTrustProxy('true')).toBe(true)
    const hops = parseTrustProxy('2')
    expect(typeof hops).toBe('function')
    if (typeof hops === 'function') expect([0, 1, 2].map((i) => hops('10.0.0.1', i))).toEqual([true, true, false])
    expect(parseTrustProxy('10.0.0.0/8, 192.0.2.1,fd00::/8,loopback')).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      'fd00::/8',
      'loopback',
    ])
  })

  test.each([
    ['RAPPORT_PUBLIC_RATE_LIMITS', 'read=lots', /RAPPORT_PUBLIC_RATE_LIMITS: "read=lots" is not class=requests/],
    ['RAPPORT_PUBLIC_RATE_LIMITS', 'delete=5', /classes: read, write/],
    ['RAPPORT_PUBLIC_RATE_LIMITS', 'write=0', /"write=0" is not class=requests/],
    ['RAPPORT_TRUST_PROXY', 'yes', /RAPPORT_TRUST_PROXY: "yes" is not an IP address, a CIDR/],
    ['RAPPORT_TRUST_PROXY', '10.0.0.0/33', /"10.0.0.0\/33"/],
    ['RAPPORT_TRUST_PROXY', '10.0.0.1,', /RAPPORT_TRUST_PROXY: "" is not/],
  ])('%s=%s stops the start with a message naming the variable', async (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(message)
    await expect(testApp({ env: { [name]: value } })).rejects.toThrow(message)
  })
})
