import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, test } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createDeps } from '../../src/deps.js'
import type { Clock } from '../../src/lib/clock.js'
import { SIGN_IN_WINDOW_MS } from '../../src/modules/accounts/sign-in-throttle.js'
import { redisLimiter } from '../../src/ratelimit/redis.js'
import { testApp, testDatabase } from '../harness.js'
import { fakeClock } from '../ratelimit/fake-time.js'
import { PASSWORD, randomAddress, unique } from './accounts-fixtures.js'

/*
 * Sign-in throttling: guessing is slowed per address and per (account, address), and failures sent
 * from other addresses never lock the account's owner out. With REDIS_URL set, the counters live in
 * Redis, as in production, with the test's clock injected.
 */

/** The start of a sign-in window: what happens within one window does not depend on the wall clock. */
const START_MS = Date.UTC(2030, 0, 7, 9)

/**
 * The real app on this file's database, its sign-in counters in Redis when REDIS_URL is set (a
 * connection of its own, so two apps are two API processes), in memory otherwise; both on `clock`.
 */
async function signInApp(clock: Clock, limits?: string): Promise<FastifyInstance> {
  const database = await testDatabase()
  const config = loadConfig({
    ...process.env,
    REDIS_URL: '',
    RAPPORT_ALLOW_SIGNUP: '1',
    ...(limits ? { RAPPORT_LOGIN_RATE_LIMITS: limits } : {}),
  })
  const deps = await createDeps(config, { database, clock })
  const redisUrl = process.env.REDIS_URL
  if (redisUrl) {
    // A busy CI machine may take seconds to connect; a store that fails open would fail the tests.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 0, connectTimeout: 30_000 })
    redis.on('error', () => {})
    deps.limiter = redisLimiter(redis, { clock, timeoutMs: 5_000 })
  }
  const app = await buildApp(deps, { logger: false })
  afterAll(async () => {
    await app.close()
    await deps.close()
  })
  return app
}

async function ownerEmail(app: FastifyInstance): Promise<string> {
  const email = `owner.${unique()}@acme.example`
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    payload: { organization_name: `Org ${unique()}`, name: 'Olive Owner', email, password: PASSWORD },
  })
  expect(res.statusCode, res.body).toBe(201)
  return email
}

const signIn = (app: FastifyInstance, email: string, password: string, remoteAddress: string) =>
  app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, payload: { email, password } })

describe('sign-in throttling', () => {
  test('ten wrong passwords from ten addresses do not lock the owner out: the right password from their address works', async () => {
    const h = await testApp({ env: { RAPPORT_ALLOW_SIGNUP: '1' } })
    const email = await ownerEmail(h.app)
    for (let i = 0; i < 10; i++) {
      expect((await signIn(h.app, email, `wrong password ${i}`, randomAddress())).statusCode).toBe(401)
    }
    const owner = await signIn(h.app, email, PASSWORD, randomAddress())
    expect(owner.statusCode, owner.body).toBe(200)
  })

  test('under a spread-out attack each failing address is blocked for the account, and an address with no failure still gets in', async () => {
    const app = await signInApp(fakeClock(START_MS), 'account=5,account_ip=10')
    const email = await ownerEmail(app)
    const attackers = Array.from({ length: 8 }, () => randomAddress())
    for (const address of attackers) expect((await signIn(app, email, 'wrong password', address)).statusCode).toBe(401)
    // The sixth failure onwards came after the account's five: those addresses are spent for it,
    // even with the right password (a guess that happens to be right gets nothing).
    const late = await signIn(app, email, PASSWORD, attackers[7] as string)
    expect(late.statusCode).toBe(429)
    expect(late.json().error.code).toBe('rate_limited')
    expect(Number(late.headers['retry-after'])).toBeGreaterThan(0)
    // An early attacker address failed once: it is limited like any address, not blocked yet.
    expect((await signIn(app, email, 'wrong password', attackers[0] as string)).statusCode).toBe(401)
    expect((await signIn(app, email, PASSWORD, attackers[0] as string)).statusCode).toBe(429)
    // The owner, from an address that has not been failing, signs in.
    expect((await signIn(app, email, PASSWORD, randomAddress())).statusCode).toBe(200)
    // The blocked addresses are blocked for this account only.
    const other = await ownerEmail(app)
    expect((await signIn(app, other, PASSWORD, attackers[7] as string)).statusCode).toBe(200)
  })

  test('a blocked address may try again once the window has slid past its attempts', async () => {
    const clock = fakeClock(START_MS)
    const app = await signInApp(clock, 'account_ip=2,account=50')
    const email = await ownerEmail(app)
    const address = randomAddress()
    expect((await signIn(app, email, 'wrong password', address)).statusCode).toBe(401)
    expect((await signIn(app, email, 'wrong password', address)).statusCode).toBe(401)
    expect((await signIn(app, email, PASSWORD, address)).statusCode).toBe(429)
    clock.advance(SIGN_IN_WINDOW_MS / 2)
    expect((await signIn(app, email, PASSWORD, address)).statusCode).toBe(429)
    clock.advance(2 * SIGN_IN_WINDOW_MS)
    expect((await signIn(app, email, PASSWORD, address)).statusCode).toBe(200)
  })

  test('one address is limited across accounts, and its attempts do not count against other addresses', async () => {
    const app = await signInApp(fakeClock(START_MS), 'ip=3')
    const email = await ownerEmail(app)
    const [sprayer, owner] = [randomAddress(), randomAddress()]
    for (let i = 0; i < 3; i++) {
      expect((await signIn(app, `n.${unique()}@x.example`, 'whatever password', sprayer)).statusCode).toBe(401)
    }
    expect((await signIn(app, email, PASSWORD, sprayer)).statusCode).toBe(429)
    expect((await signIn(app, email, PASSWORD, owner)).statusCode).toBe(200)
  })

  test('an IPv6 client counts by its /64: rotating addresses within it does not buy more guesses', async () => {
    const app = await signInApp(fakeClock(START_MS), 'account_ip=2')
    const email = await ownerEmail(app)
    const prefix = randomAddress().replace(/::7$/, '')
    expect((await signIn(app, email, 'wrong password', `${prefix}::1`)).statusCode).toBe(401)
    expect((await signIn(app, email, 'wrong password', `${prefix}::2`)).statusCode).toBe(401)
    expect((await signIn(app, email, 'wrong password', `${prefix}:0:0:0:3`)).statusCode).toBe(429)
  })

  test.skipIf(!process.env.REDIS_URL)(
    'with Redis two API processes share the counters: failures on one block the address on the other',
    async () => {
      const clock = fakeClock(START_MS)
      const [one, two] = [await signInApp(clock, 'account_ip=3'), await signInApp(clock, 'account_ip=3')]
      const email = await ownerEmail(one)
      const address = randomAddress()
      expect((await signIn(one, email, 'wrong password', address)).statusCode).toBe(401)
      expect((await signIn(two, email, 'wrong password', address)).statusCode).toBe(401)
      expect((await signIn(one, email, 'wrong password', address)).statusCode).toBe(401)
      expect((await signIn(two, email, PASSWORD, address)).statusCode).toBe(429)
      expect((await signIn(two, email, PASSWORD, randomAddress())).statusCode).toBe(200)
    },
  )
})
