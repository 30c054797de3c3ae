/**
 * `npm run bench`: Rapport's API against a bare Fastify + `pg` server doing the same SQL, on
 * PostgreSQL, as a ratio measured in one run; then webhook delivery (`webhooks.ts`), CSV import and
 * search (`crm.ts`) and slot computation (`slots.ts`). See
 * docs/benchmarks.md for the figures and method. `BENCH_SCENARIOS` picks a subset by id.
 * Exits non-zero on errors only; a missed target is reported, not failed.
 */
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { CAMPAIGNS_SCENARIO_ID, runCampaignsBenchmark } from './campaigns.js'
import { CRM_SCENARIO_ID, runCrmBenchmark } from './crm.js'
import { BENCH_DATABASE_NAME, recreateDatabase, type Seeded, seedDatabase, withDatabase } from './database.js'
import { DEFAULT_CONFIG_SCENARIO_ID, runDefaultConfigBenchmark } from './default-config.js'
import { DOCS_PAGE_SCENARIO_ID, runDocsPageBenchmark } from './docs-page.js'
import { type LoadOptions, type Measurement, runLoad, type Workload } from './load.js'
import { type RunningServer, startServer } from './processes.js'
import { describeMachine, oneMinuteLoad, type ScenarioResult, writeSection } from './report.js'
import { runScaleBenchmark, SCALE_SCENARIO_ID } from './scale.js'
import { type RunSettings, renderSection } from './section.js'
import { runSlotsReport, SLOTS_SCENARIO_ID } from './slots.js'
import { checkServer } from './smoke.js'
import { runWebhooksBenchmark, WEBHOOKS_SCENARIO_ID } from './webhooks.js'
import { runWorkspaceBenchmark, WORKSPACE_SCENARIO_ID } from './workspace.js'

const DOCS_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url))
const POOL_SIZE = 10
const SEEDED_CONTACTS = 1_000
const PAUSE_MS = 500

type ServerName = 'bare' | 'bare-prepared' | 'rapport-memory' | 'rapport-redis' | 'rapport-no-audit'

interface Scenario {
  id: string
  title: string
  workload: Workload
  subject: ServerName
  /** What the subject is compared with: the bare server unless said. */
  baseline?: ServerName
  /** The ratio to reach; none for a row that is there to inform. */
  target?: number
}

const SCENARIOS: Scenario[] = [
  {
    id: 'get-memory',
    title: '`GET /api/v1/contacts/:id`, memory limiter',
    workload: 'get-contact',
    subject: 'rapport-memory',
    target: 0.7,
  },
  {
    id: 'get-redis',
    title: '`GET /api/v1/contacts/:id`, Redis limiter',
    workload: 'get-contact',
    subject: 'rapport-redis',
    target: 0.6,
  },
  {
    id: 'create',
    title: '`POST /api/v1/contacts` (row + event), memory limiter',
    workload: 'create-contact',
    subject: 'rapport-memory',
    target: 0.5,
  },
  {
    id: 'audit',
    title: '`GET /api/v1/contacts/:id`, memory limiter, against the same Rapport with `RAPPORT_AUDIT_LOG=off`',
    workload: 'get-contact',
    subject: 'rapport-memory',
    baseline: 'rapport-no-audit',
    target: 0.9,
  },
  {
    id: 'get-prepared',
    title: '`GET /api/v1/contacts/:id`, memory limiter, against a baseline that prepares its statement',
    workload: 'get-contact',
    subject: 'rapport-memory',
    baseline: 'bare-prepared',
  },
  {
    id: 'create-prepared',
    title: '`POST /api/v1/contacts` (row + event), memory limiter, against a baseline that prepares its statement',
    workload: 'create-contact',
    subject: 'rapport-memory',
    baseline: 'bare-prepared',
  },
]

/** A bounded integer setting from the environment. */
function intSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}`)
  return n
}

interface Settings extends RunSettings {
  databaseUrl: string
  redisUrl: string
  scenarios: Scenario[]
  /** Whether the webhook delivery benchmark (its own database, processes and section) runs. */
  webhooks: boolean
  /** Whether the CSV import and contact search benchmark (its own database and section) runs. */
  crm: boolean
  /** Whether the slot computation benchmark (pure CPU, its own section) runs. */
  slots: boolean
  /** Whether the scale benchmark (lists at 10k/100k/1M contacts; its own database and section) runs. */
  scale: boolean
  /** Whether the default-configuration benchmark (`npm start` beside the tuned role; its own database) runs. */
  defaultConfig: boolean
  /** Whether the /docs page benchmark (headless Chromium, in-memory PGlite; its own section) runs. */
  docsPage: boolean
  /** Whether the email campaign benchmark (its own database and section) runs. */
  campaigns: boolean
  cpuProfileDir: string | undefined
}

function readSettings(): Settings {
  const only = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim())
  const scenarios = only ? SCENARIOS.filter((s) => only.includes(s.id)) : SCENARIOS
  const webhooks = !only || only.includes(WEBHOOKS_SCENARIO_ID)
  const crm = !only || only.includes(CRM_SCENARIO_ID)
  const slots = !only || only.includes(SLOTS_SCENARIO_ID)
  const scale = !only || only.includes(SCALE_SCENARIO_ID)
  const defaultConfig = !only || only.includes(DEFAULT_CONFIG_SCENARIO_ID)
  const docsPage = !only || only.includes(DOCS_PAGE_SCENARIO_ID)
  const campaigns = !only || only.includes(CAMPAIGNS_SCENARIO_ID)
  if (scenarios.length === 0 && !webhooks && !crm && !slots && !scale && !defaultConfig && !docsPage && !campaigns) {
    const ids = [
      ...SCENARIOS.map((s) => s.id),
      WEBHOOKS_SCENARIO_ID,
      CRM_SCENARIO_ID,
      SLOTS_SCENARIO_ID,
      SCALE_SCENARIO_ID,
      DEFAULT_CONFIG_SCENARIO_ID,
      DOCS_PAGE_SCENARIO_ID,
      CAMPAIGNS_SCENARIO_ID,
    ]
    throw new Error(`BENCH_SCENARIOS: choose from ${ids.join(', ')}`)
  }
  return {
    databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
    connections: intSetting('BENCH_CONNECTIONS', 10, 1, 100),
    durationSec: intSetting('BENCH_DURATION_SEC', 5, 1, 30),
    warmupSec: intSetting('BENCH_WARMUP_SEC', 2, 0, 10),
    rounds: intSetting('BENCH_ROUNDS', 5, 1, 9),
    scenarios,
    webhooks,
    crm,
    slots,
    scale,
    defaultConfig,
    docsPage,
    campaigns,
    cpuProfileDir: process.env.BENCH_CPU_PROF || undefined,
  }
}

async function assertRedisReachable(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
  } catch (err) {
    throw new Error(`Redis is not reachable at ${url} (set BENCH_REDIS_URL): ${(err as Error).message}`)
  } finally {
    redis.disconnect()
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function log(line: string) {
  process.stderr.write(`${line}\n`)
}

/** Stops every server, even when one fails to stop; then throws if any failed or its limiter failed open. */
async function stopServers(servers: Map<ServerName, RunningServer>): Promise<void> {
  const problems: string[] = []
  for (const [name, server] of servers) {
    try {
      const { limiterErrors } = await server.stop()
      if (limiterErrors > 0) problems.push(`${name}: the rate-limit store failed ${limiterErrors} times (failed open)`)
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  servers.clear()
  if (problems.length > 0) throw new Error(problems.join('; '))
}

async function startServers(settings: Settings, seeded: Seeded, servers: Map<ServerName, RunningServer>) {
  const needed = new Set<ServerName>(settings.scenarios.flatMap((s) => [s.baseline ?? 'bare', s.subject]))
  const profile = settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`] : []
  const common = { databaseUrl: seeded.url, poolSize: POOL_SIZE, orgId: seeded.orgId }
  for (const name of needed) {
    const kind = name === 'bare' || name === 'bare-prepared' ? 'bare' : 'rapport'
    const server = await startServer({
      ...common,
      name,
      kind,
      ...(name === 'rapport-redis' ? { redisUrl: settings.redisUrl } : {}),
      ...(name === 'rapport-no-audit' ? { env: { RAPPORT_AUDIT_LOG: 'off' } } : {}),
      ...(name === 'bare-prepared' ? { env: { BENCH_BARE_PREPARED: '1' } } : {}),
      nodeFlags: profile,
    })
    servers.set(name, server)
    log(`${name}: pid ${server.pid}, ${server.url}`)
    await checkServer(server.url, kind === 'rapport', seeded)
  }
}

async function main() {
  // Named alone (a million contacts and Chromium): BENCH_SCENARIOS=workspace.
  if (process.env.BENCH_SCENARIOS?.trim() === WORKSPACE_SCENARIO_ID)
    return runWorkspaceBenchmark({
      databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
      docsFile: DOCS_FILE,
    })
  const settings = readSettings()
  if (settings.scenarios.length > 0) await runApiOverhead(settings)
  if (settings.webhooks) {
    await runWebhooksBenchmark({
      databaseUrl: settings.databaseUrl,
      cpuProfileDir: settings.cpuProfileDir,
      docsFile: DOCS_FILE,
    })
  }
  if (settings.crm) await runCrmBenchmark({ databaseUrl: settings.databaseUrl, docsFile: DOCS_FILE })
  if (settings.slots) runSlotsReport({ docsFile: DOCS_FILE })
  if (settings.scale) await runScaleBenchmark({ databaseUrl: settings.databaseUrl, docsFile: DOCS_FILE })
  if (settings.defaultConfig) {
    await runDefaultConfigBenchmark({ databaseUrl: settings.databaseUrl, docsFile: DOCS_FILE })
  }
  if (settings.docsPage) await runDocsPageBenchmark({ docsFile: DOCS_FILE })
  if (settings.campaigns) await runCampaignsBenchmark({ databaseUrl: settings.databaseUrl, docsFile: DOCS_FILE })
}

async function runApiOverhead(settings: Settings) {
  const machine = describeMachine('')
  log(`recreating database ${BENCH_DATABASE_NAME}`)
  await recreateDatabase(settings.databaseUrl)
  const seeded = await seedDatabase(withDatabase(settings.databaseUrl, BENCH_DATABASE_NAME), SEEDED_CONTACTS)
  if (settings.scenarios.some((s) => s.subject === 'rapport-redis')) await assertRedisReachable(settings.redisUrl)
  machine.postgres = seeded.serverVersion

  const servers = new Map<ServerName, RunningServer>()
  const results: ScenarioResult[] = settings.scenarios.map((s) => ({ title: s.title, target: s.target, rounds: [] }))
  try {
    await startServers(settings, seeded, servers)
    const load = (warmup: boolean): LoadOptions => ({
      connections: settings.connections,
      durationSec: warmup ? settings.warmupSec : settings.durationSec,
      apiKey: seeded.key,
      contactIds: seeded.contactIds,
    })
    if (settings.warmupSec > 0) {
      const warmed = new Set<string>()
      for (const s of settings.scenarios) {
        for (const name of [s.baseline ?? 'bare', s.subject] as const) {
          if (warmed.has(`${name} ${s.workload}`)) continue
          warmed.add(`${name} ${s.workload}`)
          log(`warm-up: ${name} ${s.workload}`)
          await runLoad(servers.get(name)!.url, s.workload, load(true))
        }
      }
    }
    // Round-major and alternating: each pair runs seconds apart, and neither side always goes first.
    for (let round = 0; round < settings.rounds; round++) {
      for (const [i, s] of settings.scenarios.entries()) {
        const baseline = s.baseline ?? 'bare'
        const order = round % 2 === 0 ? ([baseline, s.subject] as const) : ([s.subject, baseline] as const)
        const measured: Partial<Record<ServerName, Measurement>> = {}
        for (const name of order) {
          await sleep(PAUSE_MS)
          const server = servers.get(name)!
          const cpuBeforeUs = await server.cpuUs()
          const m = await runLoad(server.url, s.workload, load(false))
          m.serverCpuUsPerRequest = ((await server.cpuUs()) - cpuBeforeUs) / m.requests
          measured[name] = m
          log(
            `round ${round + 1}/${settings.rounds} ${s.id} ${name}: ${Math.round(m.reqPerSec)} req/s, ` +
              `${Math.round(m.serverCpuUsPerRequest)} µs server CPU/request`,
          )
        }
        results[i]!.rounds.push({ baseline: measured[baseline]!, subject: measured[s.subject]! })
      }
    }
  } catch (err) {
    await stopServers(servers).catch((stopErr) => log(`while stopping after an error: ${stopErr.message}`))
    throw err
  }
  await stopServers(servers)
  machine.loadAverages.push(oneMinuteLoad())

  const section = renderSection(results, machine, settings)
  process.stdout.write(`\n${section}\n`)
  if (settings.scenarios.length === SCENARIOS.length && !settings.cpuProfileDir) {
    writeSection(DOCS_FILE, 'Benchmarks', 'bench:api-overhead', section)
    log(`\nwritten to docs/benchmarks.md`)
  } else {
    log('\npartial or profiled run: docs/benchmarks.md left unchanged')
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
