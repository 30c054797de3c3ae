import { createServer, type Server, type Socket } from 'node:net'
import { Redis } from 'ioredis'
import { describe, expect, onTestFinished, test } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createDeps } from '../../src/deps.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import { redisLimiter } from '../../src/ratelimit/redis.js'
import { testDatabase } from '../harness.js'

const REDIS_PASSWORD = 's3cret-redis-password'

/** A loopback TCP server that accepts connections and never answers: a hung Redis. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A loopback port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const s = await silentServer()
  await s.close()
  return s.port
}

describe('when Redis is unreachable', () => {
  test('the API keeps serving: requests succeed quickly, are counted in /metrics, logged without secrets and reported to onLimiterError', async () => {
    const database = await testDatabase()
    const port = await closedPort()
    const config = loadConfig({ ...process.env, REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${port}` })
    const reported: unknown[] = []
    const startedAt = performance.now()
    const deps = await createDeps(config, { database, onLimiterError: (err) => reported.push(err) })
    const startupMs = performance.now() - startedAt
    // Time spent in the store alone (the first requests also pay for warming up the database).
    const hitMs: number[] = []
    const limiter = deps.limiter
    deps.limiter = {
      async hit(...args) {
        const sentAt = performance.now()
        try {
          return await limiter.hit(...args)
        } finally {
          hitMs.push(performance.now() - sentAt)
        }
      },
      async hitWindows(...args) {
        const sentAt = performance.now()
        try {
          return await limiter.hitWindows(...args)
        } finally {
          hitMs.push(performance.now() - sentAt)
        }
      },
      close: () => limiter.close(),
    }
    const logLines: string[] = []
    const app = await buildApp(deps, { logger: { level: 'warn', stream: { write: (line) => logLines.push(line) } } })
    onTestFinished(async () => {
      await app.close()
      await deps.close()
    })
    const { api_key } = await new OrgsService(database.db).create({ name: 'Fail-open org', plan: 'free' })

    // Twice the free plan's 10: with no store to count in, none is refused.
    for (let i = 0; i < 20; i++) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/contacts',
        headers: { authorization: `Bearer ${api_key.key}` },
      })
      expect(res.statusCode).toBe(200)
      expect(res.headers['x-ratelimit-limit']).toBe('10')
    }
    // Neither the 2 s "wait for ready" at startup nor the 250 ms store timeout per request: a refused
    // connection fails at once. (Bounds leave room for a loaded CI machine.)
    expect(startupMs).toBeLessThan(1_500)
    expect(hitMs).toHaveLength(20)
    expect(Math.max(...hitMs)).toBeLessThan(250)
    expect(reported.map(String).filter((e) => e.includes('timed out'))).toEqual([])

    const metrics = await app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/^rapport_rate_limit_store_errors_total 20$/m)
    expect(reported).toHaveLength(20)

    const warnings = logLines.map((l) => JSON.parse(l)).filter((l) => /rate-limit store unavailable/.test(l.msg))
    expect(warnings.length).toBeGreaterThanOrEqual(1)
    expect(warnings.length).toBeLessThan(20) // throttled
    expect(warnings[0]).toMatchObject({ level: 40, storeError: { message: expect.any(String) } })
    const logged = logLines.join('\n')
    expect(logged).not.toContain(REDIS_PASSWORD)
    expect(logged).not.toContain(api_key.key!)
  })
})

describe('when Redis accepts connections but never answers', () => {
  test('a request fails open after the store timeout and the error is reported', async () => {
    const server = await silentServer()
    const redis = new Redis(server.port, '127.0.0.1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Ready at once, without waiting on answers to the ready check or CLIENT SETINFO.
      enableReadyCheck: false,
      disableClientInfo: true,
    })
    redis.on('error', () => {})
    await new Promise<void>((resolve) => redis.once('ready', () => resolve()))
    const reported: unknown[] = []
    const limiter = redisLimiter(redis, { timeoutMs: 100, onStoreError: (err) => reported.push(err) })
    try {
      const sentAt = performance.now()
      const result = await limiter.hit('key:hung', 10, 60_000)
      const tookMs = performance.now() - sentAt
      expect(result).toMatchObject({ allowed: true, failedOpen: true, limit: 10 })
      expect(tookMs).toBeGreaterThanOrEqual(95)
      expect(tookMs).toBeLessThan(1_000)
      expect(reported).toHaveLength(1)
      expect(String(reported[0])).toContain('timed out after 100 ms')
    } finally {
      await limiter.close()
      await server.close()
    }
  })
})
