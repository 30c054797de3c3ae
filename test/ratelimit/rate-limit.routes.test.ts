import type { LightMyRequestResponse } from 'fastify'
import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import { fakeClock, T0 } from './fake-time.js'

/**
 * Runs on the store the environment selects: memory, or Redis when REDIS_URL is set. The clock is
 * injected (both stores decide at its time), 20 s into a minute that never ends: requests of one
 * test cannot straddle two windows, however slow the machine.
 */
const clock = fakeClock(T0 + 20_000)
const nowSec = () => clock.nowMs() / 1000

function limitHeaders(res: LightMyRequestResponse) {
  return {
    limit: res.headers['x-ratelimit-limit'],
    remaining: res.headers['x-ratelimit-remaining'],
    reset: res.headers['x-ratelimit-reset'],
    policy: res.headers['ratelimit-policy'],
    ratelimit: res.headers.ratelimit,
  }
}

function expectLimitHeaders(res: LightMyRequestResponse, limit: number, remaining: number) {
  const h = limitHeaders(res)
  expect(h.limit, `${res.statusCode} ${res.body}`).toBe(String(limit))
  expect(h.remaining).toBe(String(remaining))
  expect(Number(h.reset)).toBeGreaterThan(nowSec() - 5)
  expect(Number(h.reset)).toBeLessThanOrEqual(nowSec() + 2 * 60 + 5)
  // The minute window is the one shown (the closest to its limit); the hour's follows it.
  expect(h.policy).toMatch(new RegExp(`^"per-key";q=${limit};w=60, "per-key-hour";q=\\d+;w=3600$`))
  expect(h.ratelimit).toMatch(new RegExp(`^"per-key";r=${remaining};t=\\d+, "per-key-hour";r=\\d+;t=\\d+$`))
}

describe('rate-limit headers', () => {
  test('every authenticated response carries them, 403, 404, 400 and 429 included, and every one counts', async () => {
    const h = await testApp({ plan: 'free', clock })
    const responses = [
      await h.api('GET', '/api/v1/contacts'), // 200
      await h.api('POST', '/api/v1/contacts', { email: 'a@example.com' }), // 403: free plans cannot write
      await h.api('GET', '/api/v1/contacts/c_00000000000000000000000000'), // 404
      await h.api('GET', '/api/v1/contacts?limit=1000'), // 400
    ]
    expect(responses.map((r) => r.statusCode)).toEqual([200, 403, 404, 400])
    responses.forEach((res, i) => {
      expectLimitHeaders(res, 10, 9 - i)
    })
    for (let i = 4; i < 10; i++) expectLimitHeaders(await h.api('GET', '/api/v1/contacts'), 10, 9 - i)
    const rejected = await h.api('GET', '/api/v1/contacts')
    expect(rejected.statusCode).toBe(429)
    expectLimitHeaders(rejected, 10, 0)
  })

  test('a 422 carries them too', async () => {
    const h = await testApp({ plan: 'teams', clock })
    const res = await h.api('POST', '/api/v1/contacts', { email: 'not-an-email' })
    expect(res.statusCode).toBe(422)
    expectLimitHeaders(res, 300, 299)
  })

  test('unauthenticated requests are not counted and carry none', async () => {
    const h = await testApp({ plan: 'free', clock })
    const res = await h.api('GET', '/api/v1/contacts', undefined, { authorization: 'Bearer rk_live_nope' })
    expect(res.statusCode).toBe(401)
    expect(limitHeaders(res).limit).toBeUndefined()
    expectLimitHeaders(await h.api('GET', '/api/v1/contacts'), 10, 9)
  })
})

describe('over the limit', () => {
  test('answers 429 with Retry-After and the rate_limited error body, retry_after equal to Retry-After', async () => {
    const h = await testApp({ plan: 'free', clock })
    for (let i = 0; i < 10; i++) expect((await h.api('GET', '/api/v1/contacts')).statusCode).toBe(200)
    const res = await h.api('GET', '/api/v1/contacts')
    expect(res.statusCode).toBe(429)
    const retryAfter = Number(res.headers['retry-after'])
    expect(Number.isInteger(retryAfter)).toBe(true)
    // A fresh key's 10 requests in one window: the next one is allowed 6 s into the next window at the latest.
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(66)
    const body = res.json()
    expect(body).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringContaining('10 requests per minute'),
        retry_after: retryAfter,
        request_id: res.headers['x-request-id'],
      },
    })
    // The reset headers point at the retry moment, not earlier.
    expect(res.headers.ratelimit).toMatch(new RegExp(`^"per-key";r=0;t=${retryAfter}, "per-key-hour";`))
    expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(Math.floor(nowSec()) + retryAfter - 1)
  })

  test('RAPPORT_RATE_LIMITS sets the per-minute limit of a plan', async () => {
    const h = await testApp({ plan: 'pro', clock, env: { RAPPORT_RATE_LIMITS: 'pro=3' } })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await h.api('GET', '/api/v1/contacts')).statusCode)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
  })

  test('each key has its own counter, even within one organization', async () => {
    const h = await testApp({ plan: 'free', clock, env: { RAPPORT_RATE_LIMITS: 'free=2' } })
    const other = await h.newKey(h.org.id)
    for (let i = 0; i < 2; i++) await h.api('GET', '/api/v1/contacts')
    expect((await h.api('GET', '/api/v1/contacts')).statusCode).toBe(429)
    const res = await h.api('GET', '/api/v1/contacts', undefined, { authorization: `Bearer ${other}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-ratelimit-remaining']).toBe('1')
  })

  test('counts every 429 in rapport_rate_limit_rejections_total, by plan', async () => {
    const h = await testApp({ plan: 'free', clock, env: { RAPPORT_RATE_LIMITS: 'free=2' } })
    for (let i = 0; i < 5; i++) await h.api('GET', '/api/v1/contacts')
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/^rapport_rate_limit_rejections_total\{plan="free"\} 3$/m)
    expect(metrics.body).not.toMatch(/^rapport_rate_limit_rejections_total\{plan="(pro|teams)"\}/m)
  })

  test('waiting Retry-After seconds is enough for the next request (memory store, injected clock)', async () => {
    const ownClock = fakeClock(T0 + 20_000)
    const h = await testApp({ plan: 'free', clock: ownClock, env: { REDIS_URL: '' } })
    for (let i = 0; i < 10; i++) expect((await h.api('GET', '/api/v1/contacts')).statusCode).toBe(200)
    const first = await h.api('GET', '/api/v1/contacts')
    expect(first.statusCode).toBe(429)
    // 10 used 20 s into a window: they weigh 10 × (1 − e) in the next one, room for 1 from e = 0.1.
    expect(first.headers['retry-after']).toBe('46')
    expect(first.headers['x-ratelimit-reset']).toBe(String((T0 + 66_000) / 1000))
    ownClock.advance(45_000)
    const early = await h.api('GET', '/api/v1/contacts')
    expect(early.statusCode).toBe(429)
    expect(early.headers['retry-after']).toBe('1')
    ownClock.advance(1_000)
    const allowed = await h.api('GET', '/api/v1/contacts')
    expect(allowed.statusCode).toBe(200)
    // That used the last one: 10 × (1 − e) + 2 ≤ 10 from e = 0.2, 12 s into the window, 6 s from now.
    expect(allowed.headers['x-ratelimit-remaining']).toBe('0')
    expect(allowed.headers['x-ratelimit-reset']).toBe(String((T0 + 72_000) / 1000))
    expect(allowed.headers.ratelimit).toMatch(/^"per-key";r=0;t=6, "per-key-hour";r=\d+;t=\d+$/)
  })
})
