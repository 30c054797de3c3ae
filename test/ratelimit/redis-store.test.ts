import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, test } from 'vitest'
import type { RateLimitResult } from '../../src/ratelimit/limiter.js'
import { memoryLimiter } from '../../src/ratelimit/memory.js'
import { redisLimiter } from '../../src/ratelimit/redis.js'
import { redisUrl, whyRedisUnavailable } from './backing-services.js'
import { fakeClock, seededRandom, T0, WINDOW_MS as W } from './fake-time.js'

const unavailable = await whyRedisUnavailable()
if (unavailable) console.warn(`Skipping the Redis store tests: ${unavailable}`)

const connections: Redis[] = []
/** A connection as deps.ts makes it; closed after the file. */
function connect(): Redis {
  const redis = new Redis(redisUrl, { enableOfflineQueue: true, maxRetriesPerRequest: 0 })
  connections.push(redis)
  return redis
}
afterAll(() => {
  for (const redis of connections) redis.disconnect()
})

const comparable = ({ storeError: _e, failedOpen, ...rest }: RateLimitResult) => ({ ...rest, failedOpen: !!failedOpen })

describe.skipIf(unavailable)(`Redis store${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  test('answers a random sequence of requests exactly as the memory store does (same injected clock)', async () => {
    const random = seededRandom(7)
    let compared = 0
    for (const limit of [1, 3, 10, 200]) {
      const clock = fakeClock(T0 + Math.floor(random() * W))
      const memory = memoryLimiter(clock)
      const redis = redisLimiter(connect(), { clock, timeoutMs: 5_000 })
      const key = `test:${randomUUID()}`
      for (let step = 0; step < 80; step++) {
        const r = random()
        clock.advance(r < 0.05 ? Math.floor(random() * 2.5 * W) : Math.floor(random() * (W / limit) * 1.5))
        const burst = limit > 50 ? 1 + Math.floor(random() * 40) : 1 + Math.floor(random() * 3)
        for (let i = 0; i < burst; i++) {
          const [fromRedis, fromMemory] = await Promise.all([redis.hit(key, limit, W), memory.hit(key, limit, W)])
          expect(comparable(fromRedis), `limit ${limit}, step ${step}`).toEqual(comparable(fromMemory))
          compared += 1
        }
      }
    }
    expect(compared).toBeGreaterThan(300)
  })

  test("decides on the Redis server's clock by default, whatever the process's clock says", async () => {
    const conn = connect()
    const limiter = redisLimiter(conn, { timeoutMs: 5_000 })
    const [beforeSec, beforeUs] = await conn.time()
    const result = await limiter.hit(`test:${randomUUID()}`, 10, W)
    const [afterSec, afterUs] = await conn.time()
    const toMs = (sec: string | number | undefined, us: string | number | undefined) =>
      Number(sec) * 1000 + Math.floor(Number(us) / 1000)
    expect(result.failedOpen).toBeUndefined()
    expect(result.nowMs).toBeGreaterThanOrEqual(toMs(beforeSec, beforeUs))
    expect(result.nowMs).toBeLessThanOrEqual(toMs(afterSec, afterUs))
    expect(result.resetAtMs).toBe((Math.floor(result.nowMs / W) + 1) * W)
  })

  test('a busy event loop does not turn a prompt Redis answer into a timeout', async () => {
    const conn = connect()
    await conn.ping()
    const limiter = redisLimiter(conn, { timeoutMs: 20 })
    const key = `test:${randomUUID()}`
    // Until the script is in Redis's cache (the first call costs a NOSCRIPT round trip more).
    let warmups = 1
    while ((await limiter.hit(key, 10, W)).failedOpen && warmups < 8) warmups += 1
    const pending = limiter.hit(key, 10, W)
    const busyUntil = performance.now() + 300
    while (performance.now() < busyUntil) {
      // Block the event loop well past the timeout while Redis answers.
    }
    expect(await pending).toMatchObject({ allowed: true, remaining: 9 - warmups })
    expect((await pending).failedOpen).toBeUndefined()
  })

  test('sends the requests of one event-loop turn as one script call, each counted in order on its own key', async () => {
    const conn = connect()
    await conn.ping()
    const calls: string[] = []
    const send = conn.sendCommand.bind(conn)
    conn.sendCommand = (command, ...rest) => {
      calls.push(command.name)
      return send(command, ...rest)
    }
    const limiter = redisLimiter(conn, { timeoutMs: 5_000, maxBatch: 8 })
    const [a, b] = [`test:${randomUUID()}`, `test:${randomUUID()}`]
    // 12 hits on a (limit 5) and 3 on b (limit 2), interleaved, all in one turn: 15 requests, two
    // script calls of at most 8 (the first may be preceded by a NOSCRIPT miss and its EVAL).
    const keys = Array.from({ length: 15 }, (_, i) => (i % 5 === 4 ? b : a))
    const results = await Promise.all(keys.map((key) => limiter.hit(key, key === a ? 5 : 2, W)))
    expect(results.filter((r) => r.failedOpen)).toEqual([])
    expect(calls.filter((name) => name === 'evalsha')).toHaveLength(2)
    const ofA = results.filter((_, i) => keys[i] === a)
    const ofB = results.filter((_, i) => keys[i] === b)
    expect(ofA.map((r) => r.allowed)).toEqual([...Array(5).fill(true), ...Array(7).fill(false)])
    expect(ofA.slice(0, 5).map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0])
    expect(ofB.map((r) => r.allowed)).toEqual([true, true, false])
    expect(ofA.filter((r) => !r.allowed).every((r) => r.retryAfterSec >= 1)).toBe(true)
  })

  test('admits exactly the limit when many connections hit one key at once', async () => {
    const limiters = [connect(), connect(), connect()].map((c) => redisLimiter(c, { timeoutMs: 5_000 }))
    const key = `test:${randomUUID()}`
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => limiters[i % 3]!.hit(key, 10, W)))
    expect(results.filter((r) => r.failedOpen)).toEqual([])
    expect(results.filter((r) => r.allowed)).toHaveLength(10)
    // Each admitted request saw a distinct count: remaining 9 … 0, once each.
    const remaining = results.filter((r) => r.allowed).map((r) => r.remaining)
    expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
})
