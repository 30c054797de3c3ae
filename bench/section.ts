/** The Markdown section this benchmark writes into docs/benchmarks.md: figures, machine, method. */
import { type Machine, machineList, resultTable, type ScenarioResult } from './report.js'

export interface RunSettings {
  connections: number
  durationSec: number
  warmupSec: number
  rounds: number
}

export function renderSection(results: ScenarioResult[], machine: Machine, s: RunSettings): string {
  return `## API overhead: Rapport against a bare Fastify + pg server

Rapport's whole request path (API key check, rate limiter, scope check, idempotency and metrics
hooks, schema validation and serialization, Kysely, the service) against a bare Fastify 5 + \`pg\`
server that runs the same SQL, on PostgreSQL, measured in the same run. The ratio is Rapport's
requests per second divided by the baseline's: 1.00× would mean no overhead at all.

${resultTable(results)}

Each figure is the median of ${s.rounds} rounds; the ratio is the median of the per-round ratios
(listed in the last column). Latencies are autocannon's, in whole milliseconds. Server CPU is the
CPU time (user + system) of the server's process divided by the requests it answered: a second
view, less dependent on how much CPU the server was given, though it too rises when the machine is
contended (syscalls and wake-ups get dearer).

### Machine

${machineList(machine)}

### Method

- \`npm run bench\` drops and creates the database \`rapport_bench\`, applies the migrations, and
  seeds one teams organization, its live secret key and 1,000 contacts.
- Every server runs in a child process of its own, on 127.0.0.1 port 0, with logging off,
  \`NODE_ENV=production\` and a \`pg\` pool of 10 connections:
  - **baseline**: Fastify with no hooks and no schemas, one unnamed statement per request (as
    \`pool.query(text, values)\` sends it, parsed and planned by PostgreSQL every time): for GET,
    \`select\` of the 11 contact columns \`where org_id = $1 and livemode = $2 and id = $3\`; for
    POST, a single-row \`insert … returning\` of a contact.
  - **prepared baseline**: the same server sending the same statement as a named prepared
    statement (parsed and planned once per connection), as Rapport sends its recurring statements
    (\`RAPPORT_DB_PREPARED_STATEMENTS\`). The rows against it have no target: they show what the
    stack itself costs once both sides spare PostgreSQL the parsing, while the rows with targets
    compare with the plain server the targets were set against.
  - **Rapport**: \`createDeps\` + \`buildApp\` as in production (audit log on: each request appends
    a row that a timer writes in batches), API role only (key cache at its default of
    500 ms) and no webhook endpoint (so \`contact.created\` fans out to no delivery and sends no
    \`pg_notify\`), with the teams plan's limit raised to 1,000,000,000 requests a minute through
    \`config.rateLimits\`, so the limiter counts every request but never rejects one. The Redis
    scenario sets \`REDIS_URL\`: every request is counted by an atomic Lua script, and the
    requests that arrive in one turn of the event loop share one script call. A start-up check confirms
    that \`X-RateLimit-Remaining\` goes down, and the run fails if the store ever failed open.
- The audit scenario compares Rapport with the same Rapport started with \`RAPPORT_AUDIT_LOG=off\`
  (no row recorded): the ratio is what recording every call costs, with a target of at least 0.90×.
- The load is autocannon in the parent process: ${s.connections} connections, ${s.durationSec} s per
  measurement, after a ${s.warmupSec} s warm-up of each server. GET cycles through the 1,000 seeded
  ids; POST sends \`{"name", "email"}\` with an email no other request uses. Both sides get the
  same requests and headers (the baseline ignores \`Authorization\`). Any non-2xx response,
  connection error or timeout aborts the run.
- In each round, every scenario measures the baseline and Rapport back to back, and the order
  alternates from round to round, so drift (autovacuum, a growing table, a noisy neighbour)
  falls on both sides.
- On a two-core machine autocannon, the server, PostgreSQL and Redis share the CPUs: the absolute
  figures understate a dedicated server; read the ratio. When other work shares the machine too
  (see the load average above), single rounds swing widely: the per-round ratios show how much.

### Reproduce

With PostgreSQL and Redis listening on loopback:

\`\`\`sh
npm ci
npm run bench
\`\`\`

Settings (environment): \`BENCH_DATABASE_URL\` (default
\`postgres://postgres@127.0.0.1:5432/postgres\`; \`rapport_bench\` is created beside it),
\`BENCH_REDIS_URL\` (default \`redis://127.0.0.1:6379\`), \`BENCH_CONNECTIONS\` (10),
\`BENCH_DURATION_SEC\` (5), \`BENCH_WARMUP_SEC\` (2), \`BENCH_ROUNDS\` (5). For investigation,
\`BENCH_SCENARIOS=get-memory,get-redis,create,audit,get-prepared,create-prepared\` runs a subset and \`BENCH_CPU_PROF=<dir>\` writes
CPU profiles of every server (one file per process, named by its pid); neither kind of run rewrites this section.`
}
