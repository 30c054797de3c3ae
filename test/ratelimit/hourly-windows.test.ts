import { randomUUID } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, test } from 'vitest'
import { buildApp } from '../../src/app.js'
import { ConfigError, loadConfig, parsePlanScopes, parseRateLimits } from '../../src/config.js'
import type { Plan } from '../../src/core/tenancy.js'
import { createDeps } from '../../src/deps.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import type { RateLimiter, RateLimitResult } from '../../src/ratelimit/limiter.js'
import { memoryLimiter } from '../../src/ratelimit/memory.js'
import { redisLimiter } from '../../src/ratelimit/redis.js'
import { testDatabase } from '../harness.js'
import { redisUrl, whyRedisUnavailable } from './backing-services.js'
import { type FakeClock, fakeClock, WINDOW_MS as MINUTE, seededRandom, T0 } from './fake-time.js'

const HOUR = 60 * MINUTE
const unavailable = await whyRedisUnavailable()
const connections: Redis[] = []
function connect(): Redis {
  const redis = new Redis(redisUrl, { enableOfflineQueue: true, maxRetriesPerRequest: 0 })
  connections.push(redis)
  return redis
}
afterAll(() => {
  for (const redis of connections) redis.disconnect()
})

const comparable = ({ storeError: _e, failedOpen, ...rest }: RateLimitResult) => ({ ...rest, failedOpen: !!failedOpen })

describe('RAPPORT_RATE_LIMITS', () => {
  test('defaults: free 10/min + 100/h, pro 200/min + 1,000/h, teams 300/min + 10,000/h, enterprise 10,000/h', () => {
    expect(parseRateLimits(undefined)).toEqual({
      free: { perMinute: 10, perHour: 100 },
      pro: { perMinute: 200, perHour: 1000 },
      teams: { perMinute: 300, perHour: 10_000 },
      enterprise: { perMinute: null, perHour: 10_000 },
    })
  })

  test('takes either window or both, per plan, a bare number being per minute, and off to remove one', () => {
    const limits = parseRateLimits('free=60, pro=300/min+5000/h, enterprise=2000/min, teams=off/h')
    expect(limits.free).toEqual({ perMinute: 60, perHour: 100 })
    expect(limits.pro).toEqual({ perMinute: 300, perHour: 5000 })
    expect(limits.enterprise).toEqual({ perMinute: 2000, perHour: 10_000 })
    expect(limits.teams).toEqual({ perMinute: 300, perHour: null })
  })

  test('refuses what it cannot read, naming the setting', () => {
    for (const bad of ['gold=10', 'free=10/day', 'free=0/h', 'free=ten', 'free=10/min/h', 'free=off/min+off/h']) {
      expect(() => parseRateLimits(bad), bad).toThrow(ConfigError)
      expect(() => parseRateLimits(bad), bad).toThrow(/RAPPORT_RATE_LIMITS/)
    }
  })
})

describe('RAPPORT_PLAN_SCOPES', () => {
  test('by default every plan has lead capture and key management, and the rest follows the plan', () => {
    const table = parsePlanScopes(undefined)
    for (const plan of ['free', 'pro', 'teams', 'enterprise'] as Plan[]) {
      expect(table[plan]).toEqual(expect.arrayContaining(['read', 'leads', 'keys']))
    }
    expect(table.free).not.toContain('write')
    expect(table.pro).not.toContain('webhooks')
    expect(table.teams).toEqual(expect.arrayContaining(['write', 'admin', 'webhooks']))
  })

  test('replaces the plans it names, e.g. webhooks on every plan', () => {
    const table = parsePlanScopes('free=read+leads+keys+webhooks,pro=read+write+leads+keys+webhooks')
    expect(table.free).toEqual(['read', 'webhooks', 'leads', 'keys'])
    expect(table.pro).toEqual(['read', 'write', 'webhooks', 'leads', 'keys'])
    expect(table.teams).toEqual(parsePlanScopes(undefined).teams)
    expect(() => parsePlanScopes('free=read+everything')).toThrow(/RAPPORT_PLAN_SCOPES/)
    expect(() => parsePlanScopes('gold=read')).toThrow(ConfigError)
  })
})

/** Both stores, with an injected clock: memory always, Redis when it answers. */
function stores(clock: FakeClock): [string, RateLimiter][] {
  const all: [string, RateLimiter][] = [['memory', memoryLimiter(clock)]]
  if (!unavailable) all.push(['redis', redisLimiter(connect(), { clock, timeoutMs: 5_000 })])
  return all
}

describe('a minute and an hour window on one key', () => {
  test.each(['memory', 'redis'])(
    '%s: the stricter decides, and a request one window refuses is counted in neither',
    async (name) => {
      if (name === 'redis' && unavailable) return
      const clock = fakeClock(T0)
      const limiter = stores(clock).find(([n]) => n === name)![1]
      const key = `test:${randomUUID()}`
      const budget = [
        { limit: 3, windowMs: MINUTE },
        { limit: 5, windowMs: HOUR },
      ]
      const allowed: boolean[] = []
      for (let i = 0; i < 4; i++) allowed.push((await limiter.hitWindows(key, budget))[0]!.allowed)
      // The minute allows 3; the fourth is refused by it and not counted in the hour.
      expect(allowed).toEqual([true, true, true, false])
      clock.advance(2 * MINUTE)
      const [minute, hour] = await limiter.hitWindows(key, budget)
      expect(minute).toMatchObject({ allowed: true, remaining: 2 })
      expect(hour).toMatchObject({ allowed: true, remaining: 1 })
      await limiter.hitWindows(key, budget)
      // Five in the hour: the minute has room, the hour refuses, and neither counts the refusal.
      const [m2, h2] = await limiter.hitWindows(key, budget)
      expect(m2).toMatchObject({ allowed: false, remaining: 1, retryAfterSec: 0 })
      expect(h2!.allowed).toBe(false)
      expect(h2!.retryAfterSec).toBeGreaterThan(60)
      clock.advance(HOUR)
      expect((await limiter.hitWindows(key, budget)).map((r) => r.allowed)).toEqual([true, true])
    },
  )

  test.skipIf(unavailable)('Redis answers a random sequence over two windows exactly as memory does', async () => {
    const random = seededRandom(11)
    const clock = fakeClock(T0 + 1234)
    const [[, memory], [, redis]] = stores(clock) as [[string, RateLimiter], [string, RateLimiter]]
    const key = `test:${randomUUID()}`
    const budget = [
      { limit: 4, windowMs: MINUTE },
      { limit: 20, windowMs: HOUR },
    ]
    let compared = 0
    for (let step = 0; step < 150; step++) {
      clock.advance(Math.floor(random() * 40_000))
      const [fromRedis, fromMemory] = await Promise.all([redis.hitWindows(key, budget), memory.hitWindows(key, budget)])
      expect(fromRedis.map(comparable), `step ${step}`).toEqual(fromMemory.map(comparable))
      compared += 1
    }
    expect(compared).toBe(150)
  })

  test.skipIf(unavailable)(
    'admits exactly the hourly limit across connections (processes) hitting one key at once',
    async () => {
      const limiters = [connect(), connect(), connect()].map((c) => redisLimiter(c, { timeoutMs: 5_000 }))
      const key = `test:${randomUUID()}`
      const budget = [
        { limit: 1000, windowMs: MINUTE },
        { limit: 25, windowMs: HOUR },
      ]
      const results = await Promise.all(Array.from({ length: 90 }, (_, i) => limiters[i % 3]!.hitWindows(key, budget)))
      expect(results.flat().filter((r) => r.failedOpen)).toEqual([])
      expect(results.filter((r) => r[0]!.allowed)).toHaveLength(25)
      const remaining = results.filter((r) => r[1]!.allowed).map((r) => r[1]!.remaining)
      expect(remaining.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i))
      // The minute counted the 25 admitted requests only.
      expect(Math.min(...results.map((r) => r[0]!.remaining))).toBe(1000 - 25)
    },
  )
})

/** The app on this file's database with a limiter of our choosing (Redis with the fake clock when it answers). */
async function appWithClock(clock: FakeClock, env: Record<string, string> = {}) {
  const database = await testDatabase()
  const config = loadConfig({ ...process.env, ...env })
  const deps = await createDeps(config, { database, clock })
  await deps.limiter.close()
  deps.limiter = unavailable ? memoryLimiter(clock) : redisLimiter(connect(), { clock, timeoutMs: 5_000 })
  const app = await buildApp(deps, { logger: false })
  afterAll(async () => {
    await app.close()
  })
  return { app, orgs: new OrgsService(database.db) }
}

const policyOf = (res: LightMyRequestResponse) => String(res.headers.ratelimit).split(';')[0]

describe('per-key limits over HTTP (memory, or Redis when it answers; the clock injected)', () => {
  test('free: 10 a minute and 100 an hour, both enforced; the headers follow the window closest to its limit', async () => {
    // At the start of an hour, so that the hour's fixed window holds every request below.
    const H0 = Math.ceil(T0 / HOUR) * HOUR
    const clock = fakeClock(H0)
    const { app, orgs } = await appWithClock(clock)
    const { api_key } = await orgs.create({ name: 'Hourly', plan: 'free' })
    const get = () =>
      app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { authorization: `Bearer ${api_key.key}` } })
    const first = await get()
    expect(first.statusCode).toBe(200)
    expect(first.headers['ratelimit-policy']).toBe('"per-key";q=10;w=60, "per-key-hour";q=100;w=3600')
    expect(first.headers['x-ratelimit-limit']).toBe('10')
    expect(first.headers.ratelimit).toMatch(/^"per-key";r=9;t=\d+, "per-key-hour";r=99;t=\d+$/)
    for (let i = 1; i < 10; i++) await get()
    const overMinute = await get()
    expect(overMinute.statusCode).toBe(429)
    expect(overMinute.json().error.message).toMatch(/10 requests per minute/)
    expect(policyOf(overMinute)).toBe('"per-key"')
    // Ten every other minute (the minute between empties the sliding minute): 90 by minute 16.
    for (let minute = 2; minute <= 16; minute += 2) {
      clock.set(H0 + minute * MINUTE)
      for (let i = 0; i < 10; i++) expect((await get()).statusCode, `minute ${minute}, request ${i}`).toBe(200)
    }
    clock.set(H0 + 18 * MINUTE)
    let last = first
    for (let i = 0; i < 5; i++) last = await get()
    // 5 of 10 left in the minute, 5 of 100 in the hour: the hour is the closer one.
    expect(last.statusCode).toBe(200)
    expect(policyOf(last)).toBe('"per-key-hour"')
    expect(last.headers['x-ratelimit-limit']).toBe('100')
    expect(last.headers['x-ratelimit-remaining']).toBe('5')
    for (let i = 0; i < 5; i++) expect((await get()).statusCode).toBe(200)
    clock.set(H0 + 20 * MINUTE)
    const overHour = await get()
    expect(overHour.statusCode).toBe(429)
    expect(overHour.json().error.message).toMatch(/100 requests per hour/)
    expect(policyOf(overHour)).toBe('"per-key-hour"')
    expect(Number(overHour.headers['retry-after'])).toBeGreaterThan(60)
    expect(overHour.json().error.retry_after).toBe(Number(overHour.headers['retry-after']))
    clock.set(H0 + 2 * HOUR)
    expect((await get()).statusCode).toBe(200)
  })

  test('enterprise: 10,000 an hour and no minute window unless configured', async () => {
    const clock = fakeClock(T0)
    const { app, orgs } = await appWithClock(clock)
    const { api_key } = await orgs.create({ name: 'Big', plan: 'enterprise' })
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/contacts',
      headers: { authorization: `Bearer ${api_key.key}` },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['ratelimit-policy']).toBe('"per-key-hour";q=10000;w=3600')
    expect(res.headers['x-ratelimit-remaining']).toBe('9999')
  })

  test('RAPPORT_RATE_LIMITS gives enterprise a per-minute window too', async () => {
    const clock = fakeClock(T0)
    const { app, orgs } = await appWithClock(clock, { RAPPORT_RATE_LIMITS: 'enterprise=2/min' })
    const { api_key } = await orgs.create({ name: 'Big', plan: 'enterprise' })
    const get = () =>
      app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { authorization: `Bearer ${api_key.key}` } })
    expect([(await get()).statusCode, (await get()).statusCode, (await get()).statusCode]).toEqual([200, 200, 429])
  })
})
