/**
 * The contacts table of the workspace at a million contacts (`BENCH_SCENARIOS=workspace npm run
 * bench`, run alone: it seeds a million contacts and drives Chromium). One organization on
 * PostgreSQL holds 10,000 contacts, then 1,000,000 (bench/scale-data.ts, the same rows as the scale
 * benchmark); at each size headless Chromium, signed in as the owner, measures:
 *
 * - **first rows**: from navigation to /app/contacts to the first row of the table painted (the
 *   frame after it entered the page), the page's scripts in the browser's cache as on a second visit;
 * - **10,000 rows deep**: from the loaded table to row 10,000 painted, the body scrolled to the end
 *   of the loaded rows at every frame (as fast as the table lets anyone scroll): 100 keyset pages of
 *   `POST /api/v1/contacts/search` one after another, drawn by the virtualizer.
 *
 * The figures at 1,000,000 are written as ratios to those at 10,000 measured in the same run, with
 * the load average, in the "Workspace at 1,000,000 contacts" section of docs/benchmarks.md.
 *
 * PostgreSQL: `BENCH_WORKSPACE_DATABASE_URL` (default the `rapport_bench_workspace` database beside
 * `BENCH_DATABASE_URL`, created if missing); its `public` schema is dropped and migrated again.
 * `BENCH_WORKSPACE_SIZES` (e.g. `10000,100000`) makes a trial run, which leaves the docs unchanged.
 */
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { type Browser, chromium, type Page } from 'playwright-core'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { migrate } from '../src/db/migrator.js'
import { createDeps } from '../src/deps.js'
import { freshPostgres } from './database.js'
import { describeMachine, machineList, median, oneMinuteLoad, writeSection } from './report.js'
import { seedContacts, settle, withIndexesRebuilt } from './scale-data.js'

export const WORKSPACE_SCENARIO_ID = 'workspace'

const CHROMIUM = '/usr/bin/chromium'
const FULL_SIZES = [10_000, 1_000_000]
const ROUNDS = 5
/** The row the deep scroll reaches, counted from 1: the last row of the 10,000-contact table. */
const DEEP_ROW = 10_000
/** The table's row height (web/src/pages/workspace-a/contacts.tsx). */
const ROW_HEIGHT_PX = 44
const PASSWORD = 'bench password, not a secret'

function log(line: string) {
  process.stderr.write(`${line}\n`)
}

/*
 * The code run in the page is kept as text: functions handed to the browser would be serialized,
 * and the TypeScript runner's helpers they may call do not exist there.
 */

/** Records, in the page, when the table's first row and the deep row are painted (the frame after they appear). */
const WATCH_ROWS = `(() => {
  const deep = '.grid-body [aria-rowindex="${DEEP_ROW + 1}"]' // aria-rowindex counts the header row as 1
  new MutationObserver(() => {
    if (window.benchFirstRowMs === undefined && document.querySelector('.grid-body [role="row"]')) {
      window.benchFirstRowMs = -1
      requestAnimationFrame(() => { window.benchFirstRowMs = performance.now() })
    }
    if (window.benchDeepRowMs === undefined && document.querySelector(deep)) {
      window.benchDeepRowMs = -1
      requestAnimationFrame(() => { window.benchDeepRowMs = performance.now() })
    }
  }).observe(document, { childList: true, subtree: true })
})()`

/**
 * Scrolls the table's body to the last loaded row at every frame until the deep row is painted:
 * each time the end comes into view the table asks for the next page, so this goes as deep as fast
 * as the table can. Resolves to the ms it took.
 */
const SCROLL_DEEP = `new Promise((resolve, reject) => {
  const body = document.querySelector('.grid-body')
  if (!body) return reject(new Error('no table body'))
  const started = performance.now()
  const step = () => {
    if ((window.benchDeepRowMs ?? -1) > 0) return resolve(window.benchDeepRowMs - started)
    if (performance.now() - started > 600000) return reject(new Error('the deep row never came'))
    body.scrollTop = Math.min(${(DEEP_ROW - 1) * ROW_HEIGHT_PX}, body.scrollHeight)
    requestAnimationFrame(step)
  }
  step()
})`

/** One visit: ms from navigation to the first row painted, and from then to the deep row painted. */
async function visit(page: Page, origin: string): Promise<{ firstRowMs: number; deepRowMs: number }> {
  await page.goto(`${origin}/app/contacts`)
  // A function, not text: the page's CSP forbids evaluating strings inside it.
  await page.waitForFunction(() => ((window as { benchFirstRowMs?: number }).benchFirstRowMs ?? -1) > 0, null, {
    timeout: 120_000,
  })
  const firstRowMs = (await page.evaluate('window.benchFirstRowMs')) as number
  const deepRowMs = (await page.evaluate(SCROLL_DEEP)) as number
  return { firstRowMs, deepRowMs }
}

interface SizeResult {
  size: number
  firstRows: number[]
  deepRows: number[]
}

async function measure(browser: Browser, origin: string, storage: string, size: number): Promise<SizeResult> {
  const context = await browser.newContext({
    storageState: JSON.parse(storage),
    viewport: { width: 1280, height: 800 },
  })
  await context.addInitScript({ content: WATCH_ROWS })
  const result: SizeResult = { size, firstRows: [], deepRows: [] }
  try {
    const page = await context.newPage()
    page.on('pageerror', (e) => log(`page error: ${e.message}`))
    // Warm-up: the scripts into the cache, the database's pages into memory.
    await visit(page, origin)
    for (let round = 0; round < ROUNDS; round++) {
      const { firstRowMs, deepRowMs } = await visit(page, origin)
      result.firstRows.push(firstRowMs)
      result.deepRows.push(deepRowMs)
      log(
        `  ${size.toLocaleString('en-US')} contacts, round ${round + 1}/${ROUNDS}: first rows ${Math.round(firstRowMs)} ms, ` +
          `row ${DEEP_ROW.toLocaleString('en-US')} ${Math.round(deepRowMs)} ms`,
      )
    }
  } finally {
    await context.close()
  }
  return result
}

export async function runWorkspaceBenchmark(settings: { databaseUrl: string; docsFile: string }): Promise<void> {
  const url =
    process.env.BENCH_WORKSPACE_DATABASE_URL ||
    Object.assign(new URL(settings.databaseUrl), { pathname: '/rapport_bench_workspace' }).toString()
  const sizes = process.env.BENCH_WORKSPACE_SIZES?.split(',').map((s) => Number(s.trim())) ?? FULL_SIZES
  const machine = describeMachine('')
  const loads = [oneMinuteLoad()]
  const handle = await freshPostgres(url)
  machine.postgres = (await sql<{ v: string }>`select version() as v`.execute(handle.db)).rows[0]!.v
  await migrate(handle.db)
  const config = loadConfig({
    ...process.env,
    RAPPORT_RATE_LIMITS: 'teams=1000000',
    RAPPORT_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
  })
  const deps = await createDeps(config, { database: handle })
  const app = await buildApp(deps, { logger: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  const results: SizeResult[] = []
  try {
    // The owner signs up on the empty installation, as after `npm start`.
    const signIn = await browser.newContext()
    const page = await signIn.newPage()
    await page.goto(`${origin}/app/login`)
    const session = await page.evaluate(async (password) => {
      const res = await fetch('/api/v1/setup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          organization_name: 'Million',
          name: 'Bench Owner',
          email: 'owner@bench.example',
          password,
        }),
      })
      if (!res.ok) throw new Error(`setup: ${res.status} ${await res.text()}`)
      return (await res.json()) as { organization: { id: string } }
    }, PASSWORD)
    const storage = JSON.stringify(await signIn.storageState())
    await signIn.close()
    const orgId = session.organization.id

    let seeded = 0
    for (const size of sizes) {
      const started = performance.now()
      await withIndexesRebuilt(handle.db, 'contacts', () => seedContacts(handle.db, orgId, seeded + 1, size))
      await settle(handle.db, ['contacts', 'contact_tags'])
      seeded = size
      log(`${size.toLocaleString('en-US')} contacts seeded in ${Math.round(performance.now() - started)} ms`)
      results.push(await measure(browser, origin, storage, size))
      loads.push(oneMinuteLoad())
    }
  } finally {
    await browser.close()
    await app.close()
    await deps.close()
    await sql`drop schema if exists public cascade`.execute(handle.db)
    await sql`create schema public`.execute(handle.db)
    await handle.close()
  }
  machine.loadAverages = loads

  const section = renderSection(results, machine)
  process.stdout.write(`\n${section}\n`)
  if (sizes.join() === FULL_SIZES.join()) {
    writeSection(settings.docsFile, 'Benchmarks', 'bench:workspace', section)
    log('written to docs/benchmarks.md')
  } else {
    log('trial run: docs/benchmarks.md left unchanged')
  }
}

const ms = (values: number[]) => `${Math.round(median(values))} ms`

function renderSection(results: SizeResult[], machine: ReturnType<typeof describeMachine>): string {
  const base = results[0]!
  const rows = results.map((r) => {
    const first = median(r.firstRows) / median(base.firstRows)
    const deep = median(r.deepRows) / median(base.deepRows)
    return `| ${r.size.toLocaleString('en-US')} | ${ms(r.firstRows)} | ${first.toFixed(2)} | ${ms(r.deepRows)} | ${deep.toFixed(2)} |`
  })
  return `## Workspace at 1,000,000 contacts

\`BENCH_SCENARIOS=workspace npm run bench\` (bench/workspace.ts, run alone). The contacts table
(\`/app/contacts\`) of one organization on PostgreSQL, in headless Chromium at 1280 × 800 signed in
as its owner, with the rows of the scale benchmark (bench/scale-data.ts): first ${base.size.toLocaleString('en-US')}
contacts, then the same organization grown to ${results.at(-1)!.size.toLocaleString('en-US')}, measured in
the same run. **First rows**: from navigation to the table's first row painted, the page's scripts
cached (a second visit). **Row ${DEEP_ROW.toLocaleString('en-US')}**: from the loaded table to that row painted, the
body scrolled to the end of the loaded rows at every frame: ${DEEP_ROW / 100} keyset pages of 100
(\`POST /api/v1/contacts/search\` with \`cursor\`) one after another, only the rows in view drawn.
Medians of ${ROUNDS} visits after one warm-up visit; the ratio is to the first size.

| contacts | first rows | × first size | row ${DEEP_ROW.toLocaleString('en-US')} | × first size |
|---|---|---|---|---|
${rows.join('\n')}

Rounds (ms): ${results
    .map(
      (r) =>
        `${r.size.toLocaleString('en-US')}: first rows ${r.firstRows.map(Math.round).join(', ')}; deep ${r.deepRows.map(Math.round).join(', ')}`,
    )
    .join(' · ')}.

The row-10,000 figure is 100 requests made one after another as the table asks for them (a
hundredth of it is one page: request, answer, rows drawn). A ratio near 1 means the table costs the
same at either size; on a shared machine the load average (below) moves the figures more than the
table's size does.

${machineList(machine)}
`
}
