import { afterAll, beforeAll } from 'vitest'
import { DEFAULT_PLAN_SCOPES, usePlanScopes } from '../src/core/tenancy.js'
import { closeFileApps, closeFileDatabase, testDatabase } from './harness.js'

/**
 * Runs before every integration test file, in the worker that runs it (test files share a
 * worker's modules): opens the file's database, gives the file its own apps and closes both after
 * it, and fails a file that leaves a server, a child process or a worker
 * running. Hooks registered here run around the file's own: before its beforeAll, after its afterAll.
 */

/**
 * Handles that outlive a test file only when it forgot to close something. Timers are checked on
 * PGlite only: on PostgreSQL the pool's idle connections keep a 10 s timer each, which is no leak
 * (the PGlite pass runs in CI too, so a worker left running is still caught).
 */
const LEAKS: Record<string, string> = {
  TCPServerWrap: 'a listening server (an app, receiver or sink not closed)',
  ProcessWrap: 'a child process not ended',
  ...(process.env.DATABASE_URL ? {} : { Timeout: 'a timer still running (a worker or loop not stopped)' }),
}
/** How long a file's last timers (keep-alive sockets, retry pauses) get to end before they count as leaks. */
const SETTLE_MS = 3000

const counts = () => {
  const found: Record<string, number> = {}
  for (const type of process.getActiveResourcesInfo()) if (type in LEAKS) found[type] = (found[type] ?? 0) + 1
  return found
}
const excess = (before: Record<string, number>) =>
  Object.entries(counts())
    .filter(([type, n]) => n > (before[type] ?? 0))
    .map(([type, n]) => `${n - (before[type] ?? 0)} × ${LEAKS[type]}`)

let before: Record<string, number> = {}

beforeAll(async () => {
  // What another file may have left set (a plan-scope table from RAPPORT_PLAN_SCOPES) starts as default.
  usePlanScopes(DEFAULT_PLAN_SCOPES)
  await testDatabase()
  before = counts()
})

afterAll(async () => {
  await closeFileApps()
  await closeFileDatabase()
  const deadline = Date.now() + SETTLE_MS
  let left = excess(before)
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
    left = excess(before)
  }
  if (left.length > 0) throw new Error(`this test file left running: ${left.join('; ')}`)
})
