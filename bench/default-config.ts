/**
 * The default configuration (`BENCH_SCENARIOS=default-config npm run bench`), on PostgreSQL: what
 * users run, `npm start` (the built `rapport start`: API and worker in one process, default log
 * level, logs written to a file), beside the tuned API role of the API-overhead benchmark (logging
 * off, no worker) and the bare Fastify + pg server, at 32 connections; the same `npm start` with
 * RAPPORT_WORKER_THREAD=off (the worker on the API's event loop and pool, as before); and, for both,
 * contact.created delivery latency to a loopback receiver at 1,000 creates/s offered.
 *
 * `BENCH_DEFAULT_DELIVERY_ONLY=1` runs the delivery part on `npm start` alone (docs left unchanged).
 * `BENCH_DEFAULT_DATABASE_URL` picks the database (default `rapport_bench_default`, created if
 * missing; its public schema is reset). Only the rate limit is raised: the plan's per-minute limit
 * would answer 429 to any load test.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, openSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/database.js'
import { freshPostgres, seedDatabase } from './database.js'
import { runLoad, type Workload } from './load.js'
import { type RunningServer, startServer } from './processes.js'
import { describeMachine, machineList, median, oneMinuteLoad, percentile, writeSection } from './report.js'
import { startReceiver } from './webhooks-children.js'
import { createOrgWithEndpoint, pendingCount } from './webhooks-data.js'
import { pacedCreates } from './webhooks-load.js'

export const DEFAULT_CONFIG_SCENARIO_ID = 'default-config'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CONNECTIONS = 32
const DURATION_SEC = 5
const ROUNDS = 3
const OFFERED_PER_SEC = 1000
const OFFERED_FOR_MS = 10_000

function log(line: string) {
  process.stderr.write(`${line}\n`)
}

interface Started {
  url: string
  stop(): Promise<void>
}

/** `npm start` as users run it (after its prestart build), stdout and stderr appended to a log file. */
async function startDefault(databaseUrl: string, masterKey: string, env: Record<string, string>): Promise<Started> {
  const logFile = path.join(os.tmpdir(), `rapport-bench-default-${process.pid}-${Date.now()}.log`)
  const fd = openSync(logFile, 'a')
  const child: ChildProcess = spawn(process.execPath, ['dist/src/main.js', 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      RAPPORT_MASTER_KEY: masterKey,
      RAPPORT_RATE_LIMITS: 'teams=1000000000/min+off/h',
      RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1',
      ...env,
    },
    stdio: ['ignore', fd, fd],
  })
  closeSync(fd)
  const deadline = Date.now() + 60_000
  for (;;) {
    const line = readFileSync(logFile, 'utf8')
      .split('\n')
      .find((l) => l.includes('"role":"start"') && l.includes('"url"'))
    if (line) {
      return {
        url: (JSON.parse(line) as { url: string }).url,
        stop: async () => {
          const exited = new Promise((resolve) => child.once('exit', resolve))
          child.kill('SIGTERM')
          await exited
        },
      }
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`npm start did not come up: ${readFileSync(logFile, 'utf8').slice(-2000)}`)
    }
    await sleep(200)
  }
}

async function resetDatabase(url: string): Promise<void> {
  await (await freshPostgres(url)).close()
}

interface DeliveryFigures {
  achievedPerSec: number
  p50: number
  p99: number
  max: number
  peakPending: number
}

/** contact.created at OFFERED_PER_SEC for OFFERED_FOR_MS; latency = arrival − the 201's arrival. */
async function deliveryAtRate(server: Started, databaseUrl: string, masterKey: Buffer): Promise<DeliveryFigures> {
  const receiver = await startReceiver()
  const handle = await openDatabase({ url: databaseUrl }, { poolSize: 2 })
  try {
    // The throughput rounds before leave a few hundred thousand new contacts: vacuumed and analyzed
    // here, as autovacuum soon would, so that its run does not land inside this 10 s window (it did:
    // p99 4.4 s, against 126 ms for the same part on a database without them).
    await sql`vacuum analyze`.execute(handle.db)
    const org = await createOrgWithEndpoint(handle.db, masterKey, `Delivery ${Date.now()}`, receiver.url)
    await receiver.reset(true)
    let peakPending = 0
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        peakPending = Math.max(peakPending, await pendingCount(handle.db, org.orgId))
        await sleep(500)
      }
    })()
    const load = await pacedCreates({
      baseUrl: server.url,
      apiKey: org.apiKey,
      perSec: OFFERED_PER_SEC,
      durationMs: OFFERED_FOR_MS,
      maxInFlight: 256,
    })
    const deadline = Date.now() + 120_000
    while ((await receiver.stats()).requests < load.answered && Date.now() < deadline) await sleep(200)
    sampling = false
    await sampler
    const latencies: number[] = []
    for (const [id, atMs] of (await receiver.stats(true)).arrivals) {
      const answered = load.answers.get(id)
      if (answered !== undefined) latencies.push(atMs - answered)
    }
    if (latencies.length < load.answered) {
      throw new Error(`${load.answered} contacts created, ${latencies.length} delivered within 2 minutes`)
    }
    latencies.sort((a, b) => a - b)
    return {
      achievedPerSec: Math.round(load.achievedPerSec),
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1)!,
      peakPending,
    }
  } finally {
    await handle.close()
    await receiver.stop()
  }
}

type Subject = 'bare' | 'tuned' | 'default' | 'default-no-thread'

export async function runDefaultConfigBenchmark(settings: { databaseUrl: string; docsFile: string }): Promise<void> {
  const url =
    process.env.BENCH_DEFAULT_DATABASE_URL ||
    Object.assign(new URL(settings.databaseUrl), { pathname: '/rapport_bench_default' }).toString()
  // A trial of the delivery part alone, on `npm start` with its defaults.
  const deliveryOnly = process.env.BENCH_DEFAULT_DELIVERY_ONLY === '1'
  const machine = describeMachine('')
  log('building (npm start prestart)')
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: 'inherit' })
  await resetDatabase(url)
  const seeded = await seedDatabase(url, 1000)
  machine.postgres = seeded.serverVersion
  const masterKey = randomBytes(32)
  const common = { databaseUrl: url, poolSize: 10, orgId: seeded.orgId }
  const bare: RunningServer = await startServer({ ...common, name: 'bare', kind: 'bare' })
  const tuned: RunningServer = await startServer({
    ...common,
    name: 'tuned',
    kind: 'rapport',
    env: { RAPPORT_MASTER_KEY: masterKey.toString('base64') },
  })
  const servers: Record<Subject, Started> = {
    bare: { url: bare.url, stop: async () => void (await bare.stop()) },
    tuned: { url: tuned.url, stop: async () => void (await tuned.stop()) },
    default: await startDefault(url, masterKey.toString('base64'), {}),
    'default-no-thread': await startDefault(url, masterKey.toString('base64'), { RAPPORT_WORKER_THREAD: 'off' }),
  }
  const throughput = new Map<string, number[]>()
  const latencyMs = new Map<string, number[]>()
  const delivery = new Map<Subject, DeliveryFigures>()
  try {
    const options = (durationSec: number) => ({
      connections: CONNECTIONS,
      durationSec,
      apiKey: seeded.key,
      contactIds: seeded.contactIds,
    })
    const subjects = Object.keys(servers) as Subject[]
    for (const workload of deliveryOnly ? [] : (['get-contact', 'create-contact'] as Workload[])) {
      for (const s of subjects) await runLoad(servers[s].url, workload, options(2))
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? subjects : [...subjects].reverse()
        for (const s of order) {
          await sleep(500)
          const m = await runLoad(servers[s].url, workload, options(DURATION_SEC))
          throughput.set(`${workload} ${s}`, [...(throughput.get(`${workload} ${s}`) ?? []), m.reqPerSec])
          latencyMs.set(`${workload} ${s}`, [...(latencyMs.get(`${workload} ${s}`) ?? []), m.p99Ms])
          log(`round ${round + 1} ${workload} ${s}: ${Math.round(m.reqPerSec)} req/s, p99 ${m.p99Ms} ms`)
        }
      }
    }
    for (const s of deliveryOnly ? (['default'] as const) : (['default', 'default-no-thread'] as const)) {
      const d = await deliveryAtRate(servers[s], url, masterKey)
      delivery.set(s, d)
      log(`delivery ${s}: ${JSON.stringify(d)}`)
    }
  } finally {
    for (const s of Object.values(servers)) await s.stop().catch((err) => log(`stopping: ${(err as Error).message}`))
  }
  machine.loadAverages.push(oneMinuteLoad())
  const section = renderSection(throughput, latencyMs, delivery, machine)
  process.stdout.write(`\n${section}\n`)
  if (deliveryOnly) {
    log('delivery only (BENCH_DEFAULT_DELIVERY_ONLY): docs/benchmarks.md left unchanged')
    return
  }
  writeSection(settings.docsFile, 'Benchmarks', 'bench:default-config', section)
  log('written to docs/benchmarks.md')
}

const NAMES: Record<Subject, string> = {
  bare: 'bare Fastify + pg',
  tuned: 'tuned: API role alone, logging off',
  default: '`npm start` (default: worker on its own thread)',
  'default-no-thread': '`npm start`, `RAPPORT_WORKER_THREAD=off`',
}

function renderSection(
  throughput: Map<string, number[]>,
  latencyMs: Map<string, number[]>,
  delivery: Map<Subject, DeliveryFigures>,
  machine: ReturnType<typeof describeMachine>,
): string {
  const rows: string[][] = []
  for (const workload of ['get-contact', 'create-contact']) {
    const bare = median(throughput.get(`${workload} bare`) ?? [])
    for (const s of Object.keys(NAMES) as Subject[]) {
      const rps = median(throughput.get(`${workload} ${s}`) ?? [])
      rows.push([
        workload === 'get-contact' ? '`GET /api/v1/contacts/:id`' : '`POST /api/v1/contacts`',
        NAMES[s],
        Math.round(rps).toLocaleString('en-US'),
        `${(rps / bare).toFixed(2)}×`,
        String(median(latencyMs.get(`${workload} ${s}`) ?? [])),
      ])
    }
  }
  const header = ['request', 'server', 'req/s (median of rounds)', 'against bare', 'p99 ms']
  const deliveryRows = [...delivery].map(([s, d]) => [
    NAMES[s],
    String(d.achievedPerSec),
    String(d.p50),
    String(d.p99),
    String(d.max),
    String(d.peakPending),
  ])
  const dHeader = ['server', 'creates/s accepted', 'delivery p50 ms', 'p99 ms', 'max ms', 'peak pending']
  const table = (h: string[], r: string[][]) =>
    [h, h.map(() => '---'), ...r].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
  return [
    '## Default configuration: `npm start` beside the tuned API role and a bare server',
    '',
    `${CONNECTIONS} connections, ${DURATION_SEC} s per run, ${ROUNDS} alternating rounds, PostgreSQL, one`,
    'organization with 1,000 contacts. `npm start` runs the built CLI with its defaults (log level',
    '`info`, one JSON line per request, written to a file), only the rate limit raised.',
    '',
    table(header, rows),
    '',
    `### Delivery at ${OFFERED_PER_SEC.toLocaleString('en-US')} creates/s offered for ${OFFERED_FOR_MS / 1000} s`,
    '',
    'Latency: arrival of `contact.created` at a loopback receiver − arrival of the 201 at the client.',
    '',
    table(dHeader, deliveryRows),
    '',
    '### Machine',
    '',
    machineList(machine),
    '',
    '### Reproduce',
    '',
    '```sh',
    'BENCH_SCENARIOS=default-config npm run bench   # BENCH_DEFAULT_DATABASE_URL picks the database (its public schema is reset)',
    '```',
  ].join('\n')
}
