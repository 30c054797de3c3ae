/**
 * The webhook delivery benchmark (`BENCH_SCENARIOS=webhooks npm run bench`), on PostgreSQL:
 *
 * 1. Throughput: 20,000 queued `contact.created` deliveries to one loopback endpoint, drained by ONE
 *    `rapport worker` process, against a bare loop of signed undici POSTs to the same receiver
 *    (run before and after the worker), as a ratio.
 * 2. Latency: the API (`buildApp` in a process of its own) plus a fresh worker process; contacts
 *    created at a steady 200/s; latency = arrival at the receiver − the moment the API's 201
 *    reached the client (`Date.now()` in both processes).
 * 3. Overload: the same at 1,000/s requested; the pending backlog sampled every 500 ms until it is
 *    back to 0.
 *
 * Writes its section of docs/benchmarks.md (`bench:webhooks`). Throws on errors only.
 */
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import type { Db } from '../src/db/schema.js'
import { type RunningServer, startServer } from './processes.js'
import { describeMachine, oneMinuteLoad, percentile, writeSection } from './report.js'
import {
  type Baseline,
  cpuOf,
  cpuShare,
  cpuSince,
  type Receiver,
  readCpu,
  startBaseline,
  startReceiver,
  startWorkerProcess,
  type WorkerProcess,
} from './webhooks-children.js'
import {
  attemptFacts,
  type BenchOrg,
  backendPids,
  createOrgWithEndpoint,
  databaseTransactions,
  deliveryCounts,
  enqueueContactEvents,
  pendingCount,
  recreateWebhooksDatabase,
  sampleEnvelope,
  WEBHOOKS_DATABASE_NAME,
} from './webhooks-data.js'
import { pacedCreates } from './webhooks-load.js'
import { type LatencyFigures, type ThroughputFigures, WEBHOOK_PLAN, type WebhookResults } from './webhooks-plan.js'
import { renderWebhooksSection } from './webhooks-section.js'

export const WEBHOOKS_SCENARIO_ID = 'webhooks'

function log(line: string) {
  process.stderr.write(`${line}\n`)
}

/** Reads the CPU of the benchmark's own processes (children and database backends) and of the machine. */
async function readOwnCpu(ctx: Context) {
  return readCpu([...ctx.pids, ...(await backendPids(ctx.db))])
}

interface Context {
  db: Db
  receiver: Receiver
  /** Every child process of the benchmark (for the CPU accounting). */
  pids: Set<number>
}

async function measureThroughput(
  ctx: Context,
  org: BenchOrg,
  baseline: Baseline,
  startWorker: () => Promise<WorkerProcess>,
): Promise<ThroughputFigures> {
  const { db, receiver } = ctx
  const N = WEBHOOK_PLAN.deliveries
  log(`webhooks: queueing ${N} contact.created deliveries`)
  const enqueued = await enqueueContactEvents(db, org, N, Date.now().toString(36))
  log(`webhooks: queued in ${Math.round(enqueued.ms)} ms`)
  const envelope = await sampleEnvelope(db, org.orgId)

  const baselines: ThroughputFigures['baselines'] = []
  const runBaseline = async (label: string) => {
    await receiver.reset(false)
    const cpuBefore = await readOwnCpu(ctx)
    const done = await baseline.run({
      url: receiver.url,
      secret: org.secret,
      envelope,
      count: N,
      concurrency: WEBHOOK_PLAN.concurrency,
      timeoutMs: 15_000,
    })
    const share = cpuShare(cpuBefore, await readOwnCpu(ctx))
    const stats = await receiver.stats()
    if (done.failures > 0 || stats.requests !== N) {
      throw new Error(`baseline: ${done.failures} failed POSTs (${done.firstFailure}), receiver saw ${stats.requests}`)
    }
    const perSec = N / (done.elapsedMs / 1000)
    baselines.push({ perSec, elapsedMs: done.elapsedMs, cpuUsPerPost: done.cpuUs / N, cpu: share })
    log(`webhooks: baseline (${label}): ${Math.round(perSec)} POSTs/s, ${Math.round(done.cpuUs / N)} µs CPU/POST`)
  }
  // Unmeasured: JIT and connections warm, so that "before" and "after" measure the same loop.
  await baseline.run({
    url: receiver.url,
    secret: org.secret,
    envelope,
    count: WEBHOOK_PLAN.baselineWarmup,
    concurrency: WEBHOOK_PLAN.concurrency,
    timeoutMs: 15_000,
  })
  await runBaseline('before')

  await receiver.reset(false)
  const receiverCpuBefore = (await receiver.stats()).cpuUs
  const transactionsBefore = await databaseTransactions(db)
  const worker = await startWorker()
  const cpuAtStart = worker.cpuUs()
  const ownCpuAtStart = await readOwnCpu(ctx)
  const backendsAtStart = cpuOf(await backendPids(db))
  log(`webhooks: worker pid ${worker.pid} started; draining`)
  const deadline = Date.now() + WEBHOOK_PLAN.drainTimeoutMs
  for (;;) {
    await sleep(250)
    if (worker.errors().length > 0) throw new Error(`the worker logged errors: ${worker.errors()[0]}`)
    if ((await receiver.stats()).requests >= N && (await pendingCount(db, org.orgId)) === 0) break
    if (Date.now() > deadline) {
      throw new Error(
        `the worker did not drain ${N} deliveries within ${WEBHOOK_PLAN.drainTimeoutMs / 1000} s: ${JSON.stringify(await deliveryCounts(db, org.orgId))}`,
      )
    }
  }
  const cpuAtEnd = worker.cpuUs()
  const postgresCpuUs = cpuSince(backendsAtStart, cpuOf(await backendPids(db)))
  const share = cpuShare(ownCpuAtStart, await readOwnCpu(ctx))
  const receiverStats = await receiver.stats()
  const counts = await deliveryCounts(db, org.orgId)
  if (counts.succeeded !== N) throw new Error(`after draining: ${JSON.stringify(counts)}`)
  const facts = await attemptFacts(db, org.orgId)
  const workerElapsedMs = facts.lastRecordedMs - worker.startedAtMs
  const workerPerSec = N / (workerElapsedMs / 1000)
  const workerCpuUsPerDelivery =
    cpuAtStart !== undefined && cpuAtEnd !== undefined ? (cpuAtEnd - cpuAtStart) / N : undefined
  log(
    `webhooks: worker: ${Math.round(workerPerSec)} deliveries/s, ` +
      `${workerCpuUsPerDelivery === undefined ? '?' : Math.round(workerCpuUsPerDelivery)} µs CPU/delivery`,
  )
  // Its backends report their transaction counts when they exit: stop it, then count.
  await worker.stop()
  await sleep(1000)
  const transactions = (await databaseTransactions(db)) - transactionsBefore
  await runBaseline('after')

  const baselinePerSec = baselines.reduce((sum, b) => sum + b.perSec, 0) / baselines.length
  return {
    deliveries: N,
    enqueueMs: enqueued.ms,
    workerPerSec,
    workerElapsedMs,
    workerCpuUsPerDelivery,
    cpu: share,
    receiverCpuUsPerRequest: (receiverStats.cpuUs - receiverCpuBefore) / receiverStats.requests,
    meanSendMs: facts.meanSendMs,
    attempts: facts.attempts,
    receiverRequests: receiverStats.requests,
    distinctIds: receiverStats.distinctIds,
    baselines,
    postgresCpuUsPerDelivery: postgresCpuUs / N,
    transactionsPerDelivery: transactions / N,
    ratio: workerPerSec / baselinePerSec,
  }
}

/** Least-squares slope of `points` (x in seconds). */
function slope(points: [number, number][]): number {
  if (points.length < 2) return 0
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0)
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0)
  return den === 0 ? 0 : num / den
}

async function latencyPhase(
  ctx: Context,
  org: BenchOrg,
  api: RunningServer,
  worker: WorkerProcess,
  load: { perSec: number; durationMs: number },
): Promise<LatencyFigures> {
  const { db, receiver } = ctx
  await receiver.reset(true)
  const apiCpuBefore = await api.cpuUs()
  const workerCpuBefore = worker.cpuUs()
  const backendsBefore = cpuOf(await backendPids(db))
  const ownCpuBefore = await readOwnCpu(ctx)
  const startedAtMs = Date.now()
  const samples: [number, number][] = []
  let sampling = true
  const sampler = (async () => {
    for (let tick = 1; sampling; tick++) {
      await sleep(Math.max(0, startedAtMs + tick * WEBHOOK_PLAN.sampleEveryMs - Date.now()))
      if (!sampling) break
      samples.push([(Date.now() - startedAtMs) / 1000, await pendingCount(db, org.orgId)])
    }
  })()
  let result: Awaited<ReturnType<typeof pacedCreates>>
  try {
    result = await pacedCreates({
      baseUrl: api.url,
      apiKey: org.apiKey,
      perSec: load.perSec,
      durationMs: load.durationMs,
      maxInFlight: WEBHOOK_PLAN.maxInFlight,
    })
    const deadline = Date.now() + WEBHOOK_PLAN.settleTimeoutMs
    for (;;) {
      if (worker.errors().length > 0) throw new Error(`the worker logged errors: ${worker.errors()[0]}`)
      const last = samples.at(-1)
      if (last && last[0] * 1000 > result.lastAnswerAtMs - startedAtMs && last[1] === 0) {
        if ((await receiver.stats()).requests >= result.answered) break
      }
      if (Date.now() > deadline) {
        throw new Error(`deliveries still pending ${WEBHOOK_PLAN.settleTimeoutMs / 1000} s after the load stopped`)
      }
      await sleep(100)
    }
  } finally {
    sampling = false
    await sampler
  }
  const apiCpuUs = (await api.cpuUs()) - apiCpuBefore
  const workerCpuAfter = worker.cpuUs()
  const postgresCpuUs = cpuSince(backendsBefore, cpuOf(await backendPids(db)))
  const share = cpuShare(ownCpuBefore, await readOwnCpu(ctx))
  const stats = await receiver.stats(true)
  const latencies: number[] = []
  const matchedIds = new Set<string>()
  for (const [contactId, atMs] of stats.arrivals) {
    const answeredAt = result.answers.get(contactId)
    if (answeredAt === undefined || matchedIds.has(contactId)) continue
    matchedIds.add(contactId)
    latencies.push(atMs - answeredAt)
  }
  if (matchedIds.size !== result.answered) {
    throw new Error(`${result.answered} contacts created, ${matchedIds.size} of them delivered`)
  }
  latencies.sort((a, b) => a - b)
  const responses = [...result.responseMs].sort((a, b) => a - b)
  const last = await sql<{ last: Date }>`
    select max(updated_at) as last from webhook_deliveries
    where org_id = ${org.orgId} and created_at >= ${new Date(startedAtMs - 1000)}`.execute(db)
  const loadSec = (result.lastAnswerAtMs - startedAtMs) / 1000
  const underLoad = samples.filter(([t]) => t <= loadSec)
  return {
    requestedPerSec: load.perSec,
    durationSec: load.durationMs / 1000,
    sent: result.sent,
    achievedPerSec: result.achievedPerSec,
    matched: matchedIds.size,
    latency: {
      min: latencies[0]!,
      p50: percentile(latencies, 0.5),
      p90: percentile(latencies, 0.9),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1)!,
    },
    response: { p50: percentile(responses, 0.5), p99: percentile(responses, 0.99) },
    pending: samples,
    loadSec,
    peakPending: Math.max(0, ...samples.map(([, n]) => n)),
    growthPerSec: slope(underLoad),
    drainedAfterMs: (last.rows[0]?.last.getTime() ?? Number.NaN) - result.lastAnswerAtMs,
    apiCpuUsPerRequest: apiCpuUs / result.answered,
    postgresCpuUsPerRequest: postgresCpuUs / result.answered,
    cpu: share,
    workerCpuUsPerDelivery:
      workerCpuBefore !== undefined && workerCpuAfter !== undefined
        ? (workerCpuAfter - workerCpuBefore) / matchedIds.size
        : undefined,
  }
}

function describeLatency(label: string, f: LatencyFigures) {
  log(
    `webhooks: ${label}: ${Math.round(f.achievedPerSec)}/s achieved of ${f.requestedPerSec}/s; latency p50 ${f.latency.p50} ms, ` +
      `p99 ${f.latency.p99} ms; peak pending ${f.peakPending}; drained ${Math.round(f.drainedAfterMs)} ms after the last 201`,
  )
}

export async function runWebhooksBenchmark(settings: {
  databaseUrl: string
  cpuProfileDir: string | undefined
  docsFile: string
}): Promise<void> {
  const machine = describeMachine('')
  log(`webhooks: recreating database ${WEBHOOKS_DATABASE_NAME}`)
  const databaseUrl = await recreateWebhooksDatabase(settings.databaseUrl)
  const handle = await openDatabase({ url: databaseUrl }, { poolSize: 4 })
  const { db } = handle
  const nodeFlags = settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`] : []
  const masterKey = randomBytes(32)
  const stops: (() => Promise<unknown>)[] = []
  // If this process is stopped or dies, the worker (not an IPC child) must not outlive it.
  const workers: WorkerProcess[] = []
  const killWorkers = () => {
    for (const w of workers) w.kill()
  }
  const onSignal = () => process.exit(130)
  process.on('exit', killWorkers)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  let results: WebhookResults
  let finished = false
  const problems: string[] = []
  try {
    await migrate(db)
    const version = await sql<{ version: string }>`select version()`.execute(db)
    machine.postgres = version.rows[0]?.version ?? 'unknown'

    const receiver = await startReceiver()
    stops.push(() => receiver.stop())
    const baseline = await startBaseline()
    stops.push(() => baseline.stop())
    log(`webhooks: receiver pid ${receiver.pid} at ${receiver.url}`)
    const pids = new Set([receiver.pid, baseline.pid])
    const ctx: Context = { db, receiver, pids }
    const bulkOrg = await createOrgWithEndpoint(db, masterKey, 'Webhook Throughput Org', receiver.url)
    const liveOrg = await createOrgWithEndpoint(db, masterKey, 'Webhook Latency Org', receiver.url)

    const startWorker = async () => {
      const w = await startWorkerProcess({ databaseUrl, masterKey, nodeFlags })
      workers.push(w)
      pids.add(w.pid)
      stops.push(() => w.stop())
      return w
    }
    const throughput = await measureThroughput(ctx, bulkOrg, baseline, startWorker)

    // A fresh worker for the latency phases (the first one was stopped to read its database counts).
    const worker = await startWorker()

    const api = await startServer({
      name: 'rapport-api',
      kind: 'rapport',
      databaseUrl,
      poolSize: WEBHOOK_PLAN.apiPoolSize,
      orgId: liveOrg.orgId,
      nodeFlags,
    })
    stops.push(() => api.stop())
    pids.add(api.pid)
    log(`webhooks: API pid ${api.pid} at ${api.url}; warm-up`)
    await latencyPhase(ctx, liveOrg, api, worker, WEBHOOK_PLAN.warmup)
    log(`webhooks: ${WEBHOOK_PLAN.steady.perSec} creates/s for ${WEBHOOK_PLAN.steady.durationMs / 1000} s`)
    const steady = await latencyPhase(ctx, liveOrg, api, worker, WEBHOOK_PLAN.steady)
    describeLatency('steady', steady)
    log(`webhooks: ${WEBHOOK_PLAN.overload.perSec} creates/s for ${WEBHOOK_PLAN.overload.durationMs / 1000} s`)
    const overload = await latencyPhase(ctx, liveOrg, api, worker, WEBHOOK_PLAN.overload)
    describeLatency('overload', overload)
    results = { throughput, steady, overload }
    finished = true
  } finally {
    for (const stop of stops.reverse()) {
      await stop().catch((err: Error) => problems.push(err.message))
    }
    await handle.close()
    process.off('exit', killWorkers)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    // After an error, that error is the one reported; the stop problems are only logged.
    if (!finished && problems.length > 0) log(`webhooks: while stopping after an error: ${problems.join('; ')}`)
  }
  if (problems.length > 0) throw new Error(`webhooks: while stopping: ${problems.join('; ')}`)
  machine.loadAverages.push(oneMinuteLoad())
  const section = renderWebhooksSection(results, machine)
  process.stdout.write(`\n${section}\n`)
  if (settings.cpuProfileDir) {
    log('\nprofiled run: docs/benchmarks.md left unchanged')
  } else {
    writeSection(settings.docsFile, 'Benchmarks', 'bench:webhooks', section)
    log('\nwebhooks: written to docs/benchmarks.md')
  }
}
