import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrator.js'
import { OrgsService } from '../../src/modules/orgs/orgs.service.js'
import { postgresAdminUrl, redisUrl, whyPostgresUnavailable, whyRedisUnavailable } from './backing-services.js'

/**
 * Two real API processes, each with its own Redis connection, in front of one PostgreSQL database
 * (a private one, created and dropped here) and one Redis: the limit must hold for the key as a
 * whole, not per process.
 */
const unavailable = (await whyRedisUnavailable()) ?? (await whyPostgresUnavailable())
if (unavailable) console.warn(`Skipping the multi-process rate-limit test: ${unavailable}`)

const LIMIT = 7
const REQUESTS_PER_PROCESS = 3 * LIMIT
const FIXTURE = fileURLToPath(new URL('./api-process.ts', import.meta.url))

const databaseName = `rapport_ratelimit_${randomBytes(6).toString('hex')}`
const databaseUrl = (() => {
  const u = new URL(postgresAdminUrl)
  u.pathname = `/${databaseName}`
  return u.toString()
})()

/** Runs one statement on the admin connection (create/drop database cannot run in a transaction). */
async function onAdminDatabase(statement: string) {
  const admin = await openDatabase({ url: postgresAdminUrl }, { poolSize: 1 })
  try {
    await sql.raw(statement).execute(admin.db)
  } finally {
    await admin.close()
  }
}

interface ApiProcess {
  child: ChildProcess
  port: number
}

async function startApiProcess(): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, databaseUrl], {
    env: { ...process.env, REDIS_URL: redisUrl, RAPPORT_RATE_LIMITS: `free=${LIMIT}` },
    stdio: ['pipe', 'pipe', 'pipe'], // stdin: closes when this process dies, stopping the child
  })
  processes.push(child)
  let stderr = ''
  child.stderr!.on('data', (chunk) => {
    stderr += chunk
  })
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = ''
    child.stdout!.on('data', (chunk) => {
      stdout += chunk
      const line = stdout.split('\n').find((l) => l.startsWith('{"port":'))
      if (line) resolve(JSON.parse(line).port)
    })
    child.once('exit', (code) => reject(new Error(`API process exited with ${code} before listening: ${stderr}`)))
  })
  return { child, port }
}

const processes: ChildProcess[] = []
let key = ''
let servers: ApiProcess[] = []

describe.skipIf(unavailable)(
  `several API processes sharing Redis${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    beforeAll(async () => {
      await onAdminDatabase(`create database "${databaseName}"`)
      const handle = await openDatabase({ url: databaseUrl }, { poolSize: 1 })
      try {
        await migrate(handle.db)
        key = (await new OrgsService(handle.db).create({ name: 'Multi-process org', plan: 'free' })).api_key.key!
      } finally {
        await handle.close()
      }
      servers = await Promise.all([startApiProcess(), startApiProcess()])
    })

    afterAll(async () => {
      await Promise.all(
        processes.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return
          const exited = once(child, 'exit')
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
          await exited
          clearTimeout(timer)
        }),
      )
      await onAdminDatabase(`drop database if exists "${databaseName}" with (force)`)
    })

    test('admit exactly the limit for one key across both processes, not the limit per process', async () => {
      const requests = Array.from({ length: 2 * REQUESTS_PER_PROCESS }, (_, i) =>
        fetch(`http://127.0.0.1:${servers[i % 2]!.port}/api/v1/contacts`, {
          headers: { authorization: `Bearer ${key}` },
        }).then(async (res) => ({
          status: res.status,
          remaining: res.headers.get('x-ratelimit-remaining'),
          retryAfter: res.headers.get('retry-after'),
          body: await res.text(),
        })),
      )
      const responses = await Promise.all(requests)
      const admitted = responses.filter((r) => r.status === 200)
      const rejected = responses.filter((r) => r.status === 429)
      expect(admitted).toHaveLength(LIMIT)
      expect(rejected).toHaveLength(2 * REQUESTS_PER_PROCESS - LIMIT)
      // Each admitted request saw its own count: remaining LIMIT-1 … 0, once each.
      expect(admitted.map((r) => Number(r.remaining)).sort((a, b) => a - b)).toEqual(
        Array.from({ length: LIMIT }, (_, i) => i),
      )
      for (const r of rejected) {
        expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1)
        expect(JSON.parse(r.body).error.code).toBe('rate_limited')
      }

      // Each process counted its own 429s, and no store error: together, every rejection.
      const metrics = await Promise.all(
        servers.map(async (s) => (await fetch(`http://127.0.0.1:${s.port}/metrics`)).text()),
      )
      const rejections = metrics.map((m) =>
        Number(/^rapport_rate_limit_rejections_total\{plan="free"\} (\d+)$/m.exec(m)?.[1] ?? 0),
      )
      expect(rejections[0]! + rejections[1]!).toBe(rejected.length)
      for (const m of metrics) expect(m).toMatch(/^rapport_rate_limit_store_errors_total 0$/m)
    })
  },
)
