/** The Markdown section the webhook benchmark writes into docs/benchmarks.md (`bench:webhooks`). */
import { type Machine, machineList } from './report.js'
import type { CpuShare } from './webhooks-children.js'
import { type LatencyFigures, WEBHOOK_PLAN, type WebhookResults } from './webhooks-plan.js'

const int = (n: number) => Math.round(n).toLocaleString('en-US')
const ms = (n: number) => `${int(n)} ms`
const opt = (n: number | undefined, unit = '') => (n === undefined ? 'n/a' : `${int(n)}${unit}`)
const verdict = (ok: boolean) => (ok ? 'pass' : '**miss**')
const others = (c: CpuShare | undefined) => (c === undefined ? 'n/a' : c.otherCores.toFixed(2))
const busy = (c: CpuShare | undefined) => (c === undefined ? 'n/a' : `${Math.round(c.busyPct)}%`)
/** Deliveries per claim statement, from transactions per delivery (one is the attempt's own). */
const claimBatch = (transactionsPerDelivery: number) =>
  transactionsPerDelivery > 1 ? (1 / (transactionsPerDelivery - 1)).toFixed(1) : 'n/a'

/** "Grows" when the backlog rose by more than 5% of the achieved rate each second under load. */
export function backlogGrows(f: LatencyFigures): boolean {
  return f.growthPerSec > 0.05 * f.achievedPerSec
}

function pendingSeries(f: LatencyFigures): string {
  return f.pending.map(([t, n]) => `${t.toFixed(1)} s: ${int(n)}`).join(' · ')
}

function phaseRow(label: string, f: LatencyFigures): string {
  const l = f.latency
  return `| ${[
    label,
    int(f.requestedPerSec),
    int(f.achievedPerSec),
    int(f.matched),
    `${l.min} / ${l.p50} / ${l.p90} / ${l.p99} / ${l.max}`,
    `${f.response.p50.toFixed(1)} / ${f.response.p99.toFixed(1)}`,
    int(f.peakPending),
    `${f.growthPerSec >= 0 ? '+' : ''}${int(f.growthPerSec)}`,
    ms(f.drainedAfterMs),
    `${int(f.apiCpuUsPerRequest)} / ${opt(f.workerCpuUsPerDelivery)} / ${int(f.postgresCpuUsPerRequest)}`,
    `${busy(f.cpu)} / ${others(f.cpu)}`,
  ].join(' | ')} |`
}

export function renderWebhooksSection(r: WebhookResults, machine: Machine): string {
  const t = r.throughput
  const [before, after] = t.baselines
  const baselinePerSec = t.baselines.reduce((a, b) => a + b.perSec, 0) / t.baselines.length
  const s = r.steady
  const o = r.overload
  const grows = backlogGrows(o)
  const P = WEBHOOK_PLAN
  return `## Webhook delivery: one worker against a bare signed-POST loop, and event-to-receiver latency

A \`rapport worker\` process draining queued deliveries to a loopback receiver, against a bare loop
of signed undici POSTs to the same receiver; then the API and a worker process together, from the
\`201\` of \`POST /api/v1/contacts\` to the \`contact.created\` delivery reaching the receiver. On
PostgreSQL, everything measured in one run.

| measurement | Rapport | baseline | target | result | other work on the machine (cores) |
| --- | --- | --- | --- | --- | --- |
| throughput: ${int(t.deliveries)} deliveries, 1 worker, concurrency ${P.concurrency} (per s) | ${int(t.workerPerSec)} | ${int(baselinePerSec)} (before ${int(before!.perSec)}, after ${int(after!.perSec)}) | ≥ ${P.targetRatio.toFixed(1)}× | ${t.ratio.toFixed(2)}×, ${verdict(t.ratio >= P.targetRatio)} | ${others(t.cpu)} (baselines ${others(before!.cpu)}, ${others(after!.cpu)}) |
| latency p50 at ${int(s.requestedPerSec)} creates/s (${int(s.achievedPerSec)} achieved) | ${ms(s.latency.p50)} | | ≤ ${P.targetP50Ms} ms | ${verdict(s.latency.p50 <= P.targetP50Ms)} | ${others(s.cpu)} |
| latency p99 at ${int(s.requestedPerSec)} creates/s | ${ms(s.latency.p99)} | | ≤ ${P.targetP99Ms} ms | ${verdict(s.latency.p99 <= P.targetP99Ms)} | ${others(s.cpu)} |
| backlog at ${int(o.requestedPerSec)} creates/s requested (${int(o.achievedPerSec)} achieved) | peak ${int(o.peakPending)} pending; back to 0 ${ms(o.drainedAfterMs)} after the last 201 | | none set | ${grows ? `grows (${int(o.growthPerSec)}/s)` : 'does not grow'} | ${others(o.cpu)} |

### Throughput

- Queue: ${int(t.deliveries)} \`contact.created\` events with their delivery rows, written in
  ${ms(t.enqueueMs)} before the worker starts (1 through \`ContactsService.create\`, the rest in bulk
  statements: see Method).
- Worker: ${int(t.deliveries)} deliveries in ${(t.workerElapsedMs / 1000).toFixed(1)} s, from its
  "webhook worker started" log line to the \`updated_at\` of the last delivery it recorded (both
  its own clock); ${int(t.attempts)} attempts, all \`succeeded\`; the receiver saw
  ${int(t.receiverRequests)} requests with ${int(t.distinctIds)} distinct \`webhook-id\`s.
- CPU per delivery: worker process ${opt(t.workerCpuUsPerDelivery, ' µs')}, its PostgreSQL backends
  ${int(t.postgresCpuUsPerDelivery)} µs, receiver ${int(t.receiverCpuUsPerRequest)} µs. Baseline
  process: ${int(before!.cpuUsPerPost)} / ${int(after!.cpuUsPerPost)} µs per POST (before / after).
  The machine's CPUs were ${busy(t.cpu)} busy while the worker drained (${busy(before!.cpu)} /
  ${busy(after!.cpu)} during the baselines), of which other work, outside this benchmark's processes
  and database backends, took ${others(t.cpu)} cores (${others(before!.cpu)} / ${others(after!.cpu)}).
- Database transactions per delivery: ${t.transactionsPerDelivery.toFixed(2)} (\`pg_stat_database\`;
  attempts are recorded in batches, one statement for all those that finished while the previous
  batch was being written, and each claim statement is one more: about ${claimBatch(t.transactionsPerDelivery)} deliveries per statement).
- Mean attempt duration as the worker logged it (\`webhook_attempts.duration_ms\`: the POST and
  reading the answer): ${t.meanSendMs.toFixed(1)} ms.

### Latency and backlog

| phase | requested /s | achieved /s | deliveries matched | latency min / p50 / p90 / p99 / max ms | API response p50 / p99 ms | peak pending | backlog growth /s under load | back to 0 after the last 201 | CPU µs per contact: API / worker / PostgreSQL | machine busy / other work (cores) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${phaseRow(`steady, ${s.durationSec} s`, s)}
${phaseRow(`overload, ${o.durationSec} s`, o)}

Pending deliveries of the organization, sampled every ${P.sampleEveryMs} ms from the start of the load
(the last 201 came at ${s.loadSec.toFixed(1)} s and ${o.loadSec.toFixed(1)} s):

- steady: ${pendingSeries(s)}
- overload: ${pendingSeries(o)}

### Machine

${machineList(machine)}

### Method

- \`npm run bench\` (or \`BENCH_SCENARIOS=webhooks npm run bench\` for this part alone) drops and
  creates the database \`${'rapport_bench_webhooks'}\`, applies the migrations, and creates two teams
  organizations, each with one live endpoint subscribed to \`contact.created\` on the receiver, its
  \`whsec_\` secret sealed with a master key made for the run.
- **Receiver**: a plain \`node:http\` server on 127.0.0.1 in a process of its own, answering 200
  with an empty body as soon as a request's body has arrived (keep-alive 60 s).
- **Queue**: one event through \`ContactsService.create\` (the real path), then the rest with
  \`emit()\`'s own fan-out statement, applied to 2,000 events per statement
  (\`insert into events … select from jsonb_to_recordset(…)\` feeding \`insert into
  webhook_deliveries … select 'wd_' || … from event, webhook_endpoints e where …\`), with event
  data shaped like the first contact's. Why bulk: through \`ContactsService.create\`, 10 at a time,
  the queue fills at about 1,000 contacts a second here (measured once), so 20,000 would add some
  20 s to this scenario for rows the worker cannot tell apart from these; the bulk statements take
  1 to 2 s. A check then requires every delivery row
  to be what \`emit()\` writes (id formula, \`event_type\`, \`pending\`, \`attempt_count\` 0,
  \`next_attempt_at\` = the event's \`created_at\`, no lease); the contacts themselves are not
  inserted (the worker never reads them).
- **Rapport**: one \`node --import tsx src/main.ts worker\` process (\`DATABASE_URL\`,
  \`RAPPORT_MASTER_KEY\`, \`RAPPORT_WEBHOOK_ALLOW_PRIVATE=1\`, everything else default: concurrency
  32, a \`pg\` pool of 10), started cold once the queue is full and stopped once it is empty (so that its
  backends report their transaction counts); a second, fresh one serves the latency phases. CPU
  times come from \`/proc/<pid>/stat\` of the worker and of the PostgreSQL backends connected to
  the benchmark's database (\`pg_stat_activity\`).
- **Baseline**: a process of its own running ${P.concurrency} loops over one undici \`Agent\` with
  ${P.concurrency} connections (as the worker's sender), each POST with a fresh message id, the
  body \`JSON.stringify\`-ed from the same envelope the worker sends (same size), both header
  families from Rapport's \`signedHeaders\`, and reading the answer; ${int(t.deliveries)} POSTs,
  run just before and just after the worker, after ${int(P.baselineWarmup)} unmeasured ones. The ratio divides the worker's rate by the mean of the two.
- **Latency**: the API as in the API benchmark (\`createDeps\` + \`buildApp\`, its own process, logging
  off, memory rate limiter with an unreachable limit, a pool of ${P.apiPoolSize}) plus the worker
  above. The load generator (this process) sends \`POST /api/v1/contacts\` open-loop at the
  requested rate, at most ${P.maxInFlight} outstanding, after a ${P.warmup.durationMs / 1000} s warm-up at
  ${P.warmup.perSec}/s. Latency = the receiver's \`Date.now()\` when the delivery's request reached its
  handler − this process's \`Date.now()\` when the \`201\` arrived, matched by the contact id in the
  delivered body (\`data.id\`); one machine, one clock, millisecond resolution. A delivery can reach
  the receiver before the client has read its \`201\` (negative values count as they are).
- **Backlog**: pending deliveries counted every ${P.sampleEveryMs} ms from the start of the load until
  0; "back to 0" is the worker's \`updated_at\` on the phase's last delivery minus the last \`201\`.
  Growth is the least-squares slope of the samples taken under load; it "grows" above 5% of the
  achieved rate.
- **Other work on the machine**: the machine's busy CPU time (\`/proc/stat\`) minus that of this
  process, its children and the PostgreSQL backends of \`rapport_bench_webhooks\`, in cores' worth,
  over the same interval. It includes PostgreSQL's own background processes (WAL writer,
  autovacuum) and anything else running: well above 0.1, the figures of that row were measured on a
  shared machine.
- On two cores, the worker, the API, the receiver, the load generator and PostgreSQL share the
  CPUs: absolute rates understate a dedicated worker.

### Reproduce

With PostgreSQL listening on loopback:

\`\`\`sh
npm ci
BENCH_SCENARIOS=webhooks npm run bench
\`\`\`

\`BENCH_DATABASE_URL\` (default \`postgres://postgres@127.0.0.1:5432/postgres\`) chooses the server;
\`rapport_bench_webhooks\` is created beside it. \`BENCH_CPU_PROF=<dir>\` writes CPU profiles of the
worker and API processes and leaves this section unchanged. A plain \`npm run bench\` runs this
benchmark after the API overhead one. This part takes one to two minutes.`
}
