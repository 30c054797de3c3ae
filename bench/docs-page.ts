/**
 * The API reference page (`BENCH_SCENARIOS=docs-page npm run bench`): how long /docs takes, in
 * headless Chromium with an empty cache, from navigation to usable (the page's
 * `rapport-docs-ready` mark: every tag listed and clickable), against a baseline measured in the
 * same run: a static page that fetches the same OpenAPI document, compressed the same way from a
 * server on the same machine, and only parses it (the floor for any page that reads the document).
 * Also the time to open a tag and one of its operations. Rapport runs in this process on an
 * in-memory PGlite (the page reads no data); Chromium is its own process, as a visitor's would be.
 */
import { randomBytes } from 'node:crypto'
import Fastify from 'fastify'
import { chromium } from 'playwright-core'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import { createDeps } from '../src/deps.js'
import { compressedFileOf, sendCompressed } from '../src/http/compressed.js'
import { describeMachine, machineList, median, oneMinuteLoad, writeSection } from './report.js'

export const DOCS_PAGE_SCENARIO_ID = 'docs-page'

const ROUNDS = 7
const TARGET_MS = 2_000
const CHROMIUM = '/usr/bin/chromium'
const READY_MARK = 'rapport-docs-ready'

function log(line: string) {
  process.stderr.write(`${line}\n`)
}

/** The baseline: no rendering at all, only the document fetched and parsed. */
const BASELINE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baseline</title></head>
<body><p id="out">Loading…</p><script>
fetch('/api/v1/openapi.json').then((r) => r.json()).then((d) => {
  document.getElementById('out').textContent = Object.keys(d.paths).length + ' paths'
  performance.mark('${READY_MARK}')
})
</script></body></html>`

/** A static server of the baseline page and a copy of the document, both compressed as Rapport serves them. */
async function startBaseline(documentJson: string) {
  const app = Fastify({ logger: false })
  const page = compressedFileOf(BASELINE_PAGE, 'text/html; charset=utf-8')
  const document = compressedFileOf(documentJson, 'application/json; charset=utf-8')
  app.get('/', (req, reply) => sendCompressed(req, reply, page, 'no-cache'))
  app.get('/api/v1/openapi.json', (req, reply) => sendCompressed(req, reply, document, 'no-cache'))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/`, close: () => app.close() }
}

type Browser = Awaited<ReturnType<typeof chromium.launch>>

/** Milliseconds from navigation to the ready mark, in a fresh context (nothing cached). */
async function timeToReady(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    page.on('pageerror', (e) => log(`page error: ${url}: ${e.message}`))
    await page.goto(url)
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, READY_MARK, {
      timeout: 120_000,
    })
    return await page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, READY_MARK)
  } finally {
    await context.close()
  }
}

/** Milliseconds to open the contacts tag and then List contacts, as clicks (with the driver's round trips). */
async function timeToOpenOperation(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(url)
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 120_000 })
    const started = performance.now()
    await page.locator('#tag-contacts > summary').click()
    await page.locator('#op-listContacts > summary').click()
    await page.locator('#op-listContacts tr[data-param-name]').first().waitFor()
    return performance.now() - started
  } finally {
    await context.close()
  }
}

const fmt = (ms: number) => `${Math.round(ms)} ms`

export async function runDocsPageBenchmark(settings: { docsFile: string }): Promise<void> {
  const machine = describeMachine('none (in-memory PGlite; the page reads no data)')
  const database = await openDatabase({ memory: true })
  await migrate(database.db)
  const deps = await createDeps(loadConfig({ RAPPORT_MASTER_KEY: randomBytes(32).toString('base64') }), { database })
  const app = await buildApp(deps, { logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const docsUrl = `http://127.0.0.1:${port}/docs`
  const documentJson = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body
  const baseline = await startBaseline(documentJson)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  const subject: number[] = []
  const floor: number[] = []
  const opening: number[] = []
  try {
    // Warm-up: the server bundles the page's script and compresses the document on first request.
    await timeToReady(browser, docsUrl)
    await timeToReady(browser, baseline.url)
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['baseline', 'docs'] as const) : (['docs', 'baseline'] as const)
      for (const which of order) {
        const ms = await timeToReady(browser, which === 'docs' ? docsUrl : baseline.url)
        ;(which === 'docs' ? subject : floor).push(ms)
        log(`round ${round + 1}/${ROUNDS} ${which}: ${fmt(ms)}`)
      }
      opening.push(await timeToOpenOperation(browser, docsUrl))
    }
  } finally {
    await browser.close()
    await baseline.close()
    await app.close()
    await deps.close()
    await database.close()
  }
  machine.loadAverages.push(oneMinuteLoad())
  const docs = median(subject)
  const base = median(floor)
  const documentKiB = Math.round(Buffer.byteLength(documentJson) / 1024)
  const section = `## The API reference page (/docs)

\`BENCH_SCENARIOS=docs-page npm run bench\` (bench/docs-page.ts). Headless Chromium with an empty
cache each time, from navigation to the page's ready mark (every tag listed and clickable), over
loopback. The baseline, measured in the same run and alternating with it, is a static page that
fetches the same OpenAPI document (${documentKiB} KiB of JSON, served with the same brotli
compression and ETag) and only parses it: what any page reading the document pays at least.
Medians of ${ROUNDS} rounds; the target is ${TARGET_MS} ms.

| page | median | rounds (ms) |
|---|---|---|
| \`/docs\` (usable) | ${fmt(docs)} | ${subject.map(Math.round).join(', ')} |
| baseline: static page, fetch + parse only | ${fmt(base)} | ${floor.map(Math.round).join(', ')} |
| \`/docs\` ÷ baseline | ${(docs / base).toFixed(2)} | |
| open *contacts*, then *List contacts* (two clicks, after ready) | ${fmt(median(opening))} | ${opening.map(Math.round).join(', ')} |

Within ${TARGET_MS} ms: ${docs <= TARGET_MS ? 'yes' : 'no'}. Before this page (swagger-ui drawing the
whole document), the same machine kind measured 3.7 to 6.1 s at a load average of 20 to 25, and 8 to
33 s before that.

${machineList(machine)}
`
  process.stdout.write(`\n${section}\n`)
  writeSection(settings.docsFile, 'Benchmarks', 'bench:docs-page', section)
  log('written to docs/benchmarks.md')
}
