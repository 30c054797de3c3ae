/**
 * Campaign throughput (`BENCH_SCENARIOS=campaigns npm run bench`): campaigns to N contacts sent by
 * one email worker to a loopback SMTP sink (smtp-server), alternating with a bare loop of pooled
 * nodemailer sending messages of the same size to the same sink in the same run. Also
 * samples the process's RSS and heap while the campaign sends (flat means the ledger is streamed,
 * not held). Writes its section of docs/benchmarks.md. `BENCH_CAMPAIGN_RECIPIENTS` (default 3000)
 * sets N; it runs on PostgreSQL, in a database of its own (`rapport_bench_campaigns`, recreated).
 */
import { generateKeyPairSync } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import nodemailer from 'nodemailer'
import pg from 'pg'
import { pino } from 'pino'
import { SMTPServer } from 'smtp-server'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import type { Db } from '../src/db/schema.js'
import { createDeps } from '../src/deps.js'
import { startEmailWorker } from '../src/modules/email/emails.worker.js'
import { campaignRunnerFor } from '../src/modules/email/index.js'
import { OrgsService } from '../src/modules/orgs/orgs.service.js'
import { withDatabase } from './database.js'
import { oneMinuteLoad, writeSection } from './report.js'

export const CAMPAIGNS_SCENARIO_ID = 'campaigns'
const DATABASE_NAME = 'rapport_bench_campaigns'

const DOCS_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url))
const N = Number(process.env.BENCH_CAMPAIGN_RECIPIENTS ?? 3000)
/** Sends in flight, the worker's and the baseline's (`BENCH_CAMPAIGN_CONCURRENCY`, default 10: the worker's default). */
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_CAMPAIGN_CONCURRENCY ?? 10))
/** Baseline and campaign rounds, alternating (`BENCH_CAMPAIGN_ROUNDS`, default 3). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_CAMPAIGN_ROUNDS ?? 3))
/** Messages of each baseline run. */
const BASELINE_N = Math.min(N, 3000)
const HTML = `<p>Hello {{ contact.first_name }},</p><p>${'Our news of the month, with a few links. '.repeat(20)}</p><p><a href="https://acme.example/news">Read more</a></p>`

async function startSink() {
  let count = 0
  let onCount: (() => void) | undefined
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {})
      stream.on('end', () => {
        count++
        onCount?.()
        callback()
      })
    },
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.server.address() as { port: number }
  return {
    url: `smtp://127.0.0.1:${port}`,
    get count() {
      return count
    },
    reset() {
      count = 0
    },
    waitFor(n: number) {
      return new Promise<void>((resolve) => {
        if (count >= n) return resolve()
        onCount = () => {
          if (count >= n) resolve()
        }
      })
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

/**
 * Rapport DKIM-signs every message it sends through SMTP (RSA 2048, one key per sending domain), so
 * the baseline signs its messages the same way: the comparison is of the same messages.
 */
const BASELINE_DKIM = {
  domainName: 'acme.example',
  keySelector: 'bench',
  privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string,
}

/** The baseline: messages through pooled nodemailer, CONCURRENCY in flight, DKIM-signed, nothing else. */
async function bareNodemailer(url: string, n: number): Promise<number> {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 5,
    maxMessages: Number.POSITIVE_INFINITY,
  } as never)
  const started = performance.now()
  let next = 0
  const html = HTML.replace('{{ contact.first_name }}', 'Person')
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++
        await transport.sendMail({
          dkim: BASELINE_DKIM,
          from: 'news@acme.example',
          to: `p${i}@example.com`,
          subject: 'Our news',
          html,
          text: html.replace(/<[^>]+>/g, ''),
          headers: {
            'List-Unsubscribe': '<https://acme.example/u>',
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        })
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  transport.close()
  return n / seconds
}

const progress = (line: string) => process.stderr.write(`${line}\n`)

/** Polls the campaign's status until it is `completed` (or `timeoutMs` passes); returns the last status seen. */
async function completion(db: Db, id: string, timeoutMs: number) {
  const until = performance.now() + timeoutMs
  for (;;) {
    const row = await sql<{ status: string }>`select status from email_campaigns where id = ${id}`.execute(db)
    const status = row.rows[0]?.status ?? 'missing'
    if (status === 'completed' || performance.now() > until) return status
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function recreate(baseUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  try {
    await admin.query(`drop database if exists ${DATABASE_NAME} with (force)`)
    await admin.query(`create database ${DATABASE_NAME}`)
  } finally {
    await admin.end()
  }
  return withDatabase(baseUrl, DATABASE_NAME)
}

export async function runCampaignsBenchmark(settings: { databaseUrl: string; docsFile?: string }): Promise<void> {
  const sink = await startSink()
  progress(`campaigns: recreating database ${DATABASE_NAME}, migrating…`)
  const url = await recreate(settings.databaseUrl)
  const database = await openDatabase({ url })
  await migrate(database.db)
  const config = loadConfig({
    ...process.env,
    RAPPORT_SMTP_URL: sink.url,
    RAPPORT_CAMPAIGN_RATE: '100000',
    RAPPORT_CAMPAIGN_ORG_RATE: '100000',
    RAPPORT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  })
  const deps = await createDeps(config, { database })
  const log = pino({ level: 'warn' })
  const { org } = await new OrgsService(database.db).create({ name: 'Bench', plan: 'teams' })
  await sql`insert into email_senders (id, org_id, livemode, email, name, is_default)
    values ('snd_bench', ${org.id}, true, 'news@acme.example', 'Acme', true)`.execute(database.db)
  await sql`insert into contacts (id, org_id, livemode, name, email, status, source, tags, custom_fields, created_at, updated_at)
    select 'c_bench' || lpad(g::text, 8, '0'), ${org.id}, true, 'Person ' || g, 'p' || g || '@example.com',
      'lead', 'api', array[]::text[], '{}'::jsonb, now(), now()
    from generate_series(1, ${N}::int) g`.execute(database.db)
  await sql`insert into email_lists (id, org_id, livemode, name) values ('lst_bench', ${org.id}, true, 'All')`.execute(
    database.db,
  )
  await sql`insert into email_list_members (list_id, contact_id, org_id, livemode, status)
    select 'lst_bench', id, org_id, true, 'subscribed' from contacts where org_id = ${org.id}`.execute(database.db)
  progress(`seeded ${N} contacts`)

  const heap: number[] = []
  const rss: number[] = []
  /** One campaign to every contact, from scheduling to `completed`; returns messages/s and the times. */
  const runCampaign = async (round: number) => {
    const id = `cmp_bench_${round}`
    await sql`insert into email_campaigns (id, org_id, livemode, name, subject, html, list_ids, status, scheduled_at)
      values (${id}, ${org.id}, true, ${`Bench ${round}`}, 'Our news', ${HTML}, array['lst_bench'], 'scheduled', now())`.execute(
      database.db,
    )
    sink.reset()
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      heap.push(m.heapUsed / 2 ** 20)
      rss.push(m.rss / 2 ** 20)
    }, 250)
    const started = performance.now()
    const worker = await startEmailWorker({
      db: database.db,
      mailer: deps.mailer,
      log,
      retryScheduleSec: [0],
      concurrency: CONCURRENCY,
      pollMs: 50,
      campaigns: campaignRunnerFor(deps, log),
      campaignTickMs: 50,
      ...(database.listen ? { listen: database.listen } : {}),
    })
    const ticker = setInterval(() => progress(`campaign ${round}: ${sink.count}/${N}`), 5000)
    await sink.waitFor(N)
    const sunkSeconds = (performance.now() - started) / 1000
    // The run ends when the campaign is completed: every outcome recorded and campaign.completed
    // written, not when the sink has the last message (the worker has not recorded it yet then).
    const status = await completion(database.db, id, 120_000)
    clearInterval(ticker)
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    await worker.stop(2000)
    return { rate: N / seconds, sunkSeconds, seconds, status }
  }

  // Baseline and campaign alternate (B C B C … B): the machine is shared and its load moves, so
  // each campaign is compared with the baselines run just before and just after it.
  const baselines: number[] = []
  const campaigns: Awaited<ReturnType<typeof runCampaign>>[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    sink.reset()
    baselines.push(await bareNodemailer(sink.url, BASELINE_N))
    progress(`round ${round}: bare nodemailer ${baselines.at(-1)!.toFixed(0)} msg/s; campaign…`)
    campaigns.push(await runCampaign(round))
    progress(`round ${round}: campaign ${campaigns.at(-1)!.rate.toFixed(0)} msg/s`)
  }
  sink.reset()
  baselines.push(await bareNodemailer(sink.url, BASELINE_N))
  const ratios = campaigns.map((c, i) => c.rate / ((baselines[i]! + baselines[i + 1]!) / 2))
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const ratio = median(ratios)
  const baseline = median(baselines)
  const rapport = median(campaigns.map((c) => c.rate))
  const last = campaigns.at(-1)!
  const quarter = Math.max(1, Math.floor(heap.length / 4))
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  const heapFirst = avg(heap.slice(0, quarter))
  const heapLast = avg(heap.slice(-quarter))
  const rssFirst = avg(rss.slice(0, quarter))
  const rssLast = avg(rss.slice(-quarter))
  const rssMax = Math.max(...rss)
  const engine = 'PostgreSQL'
  const fmt = (xs: number[], digits = 0) => xs.map((x) => x.toFixed(digits)).join(', ')
  const body = `## Email campaigns

A campaign to ${N.toLocaleString('en')} list members (send ledger written at start, queued into the email
outbox in batches, sent by one email worker with ${CONCURRENCY} sends in flight over a pool of 5 SMTP
connections) to a loopback \`smtp-server\` sink, against a bare loop of pooled nodemailer sending
${BASELINE_N.toLocaleString('en')} messages of the same size to the same sink with ${CONCURRENCY} in flight over 5
connections, DKIM-signed with an RSA 2048 key as Rapport signs its own. ${engine}; rates set high so that only the machine limits. Baseline and campaign
alternate, ${ROUNDS} campaign${ROUNDS > 1 ? 's' : ''} between ${ROUNDS + 1} baselines; each campaign is compared with the
mean of the baselines just before and after it, and the table gives medians. A campaign's time runs
from the worker's start (ledger written) to \`completed\`. Run: \`BENCH_SCENARIOS=campaigns npm run bench\`
(\`BENCH_CAMPAIGN_RECIPIENTS\` sets the number of recipients, \`BENCH_CAMPAIGN_ROUNDS\` the rounds).

| | messages/s (median) | each round |
|---|---|---|
| bare pooled nodemailer | ${baseline.toFixed(0)} | ${fmt(baselines)} |
| Rapport campaign (ledger → outbox → SMTP, with events and tracking links) | ${rapport.toFixed(0)} | ${fmt(campaigns.map((c) => c.rate))} |
| ratio (target ≥ 0.5, and > 100 msg/s) | ${ratio.toFixed(2)} | ${fmt(ratios, 2)} |

Memory of the process (worker, sink and baseline in one) while campaigns sent, sampled every 250 ms
(${rss.length} samples): RSS ${rssFirst.toFixed(0)} MiB averaged over the first quarter of the samples,
${rssLast.toFixed(0)} MiB over the last quarter, ${rssMax.toFixed(0)} MiB at most; heap used
${heapFirst.toFixed(0)} MiB, then ${heapLast.toFixed(0)} MiB. In the last round the last message reached the
sink after ${last.sunkSeconds.toFixed(1)} s and the campaign was \`${last.status}\` after ${last.seconds.toFixed(1)} s.
One-minute load average at the end: ${oneMinuteLoad()} (a shared machine: other work ran at the same
time). Measured ${new Date().toISOString().slice(0, 10)}.
`
  writeSection(settings.docsFile ?? DOCS_FILE, 'Benchmarks', 'bench-email-campaigns', body)
  process.stdout.write(body)
  await deps.close()
  await database.close()
  await sink.close()
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runCampaignsBenchmark({
    databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    // Another file for a run whose section should not replace the one in docs/benchmarks.md.
    ...(process.env.BENCH_DOCS_FILE ? { docsFile: process.env.BENCH_DOCS_FILE } : {}),
  }).catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
