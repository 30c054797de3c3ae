import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, inject } from 'vitest'
import { describeMismatches, mismatchedEvents } from './event-schemas.js'
import { testDatabase } from './harness.js'

/**
 * Runs around every integration test file: after it, each row of `events` written while it ran is
 * validated against the schema the catalog publishes for its type (GET /api/v1/event_types), and
 * the file fails when one differs. The types seen are recorded for the run's coverage check
 * (test/event-schemas.global.ts: every catalog event is emitted by some test).
 *
 * "Written while it ran" is told by the database clock: a PGlite worker runs its files one after
 * the other on a database of its own, so the window holds this file's events only; on the shared
 * PostgreSQL a concurrent file's events may fall in the window too, and are checked as well (any
 * stored event must match, whoever wrote it).
 */
let startedAt: Date

beforeAll(async () => {
  const { db } = await testDatabase()
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db)
  startedAt = rows[0]!.now
})

afterAll(async () => {
  const { db } = await testDatabase()
  const rows = await db
    .selectFrom('events')
    .select(['id', 'type', 'data'])
    .where('created_at', '>=', startedAt)
    .execute()
  recordTypes(rows.map((r) => r.type))
  const mismatches = mismatchedEvents(rows)
  expect(
    mismatches,
    `events stored by this file do not match their catalog schema:\n${describeMismatches(mismatches)}`,
  ).toEqual([])
})

/** Writes the file's emitted event types where the global teardown reads them. */
function recordTypes(types: string[]) {
  const dir = inject('eventCoverageDir')
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  const file = expect.getState().testPath ?? `unknown-${process.pid}`
  const name = `${Buffer.from(file).toString('base64url').slice(-120)}.json`
  writeFileSync(path.join(dir, name), JSON.stringify({ file, types: [...new Set(types)] }))
}
