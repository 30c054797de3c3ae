import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import type { TestProject } from 'vitest/node'
import { dumpEmbedded, openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data dir dump: each test file starts from it instead of running initdb. */
    pgliteSnapshot: string
  }
}

/**
 * With DATABASE_URL (CI's PostgreSQL pass), start every run from an empty schema and migrate it
 * once; test files then share that database, each working in organizations of its own. Without it,
 * every test file opens its own in-memory PGlite from one migrated snapshot made here (about three
 * times faster than initdb and migrations in every file).
 */
export default async function setup(project: TestProject) {
  // The integration and isolated projects both name this setup: prepare once per run.
  const state = globalThis as { rapportTestSetup?: Promise<{ snapshot: string; teardown(): void }> }
  state.rapportTestSetup ??= prepare()
  const { snapshot, teardown } = await state.rapportTestSetup
  project.provide('pgliteSnapshot', snapshot)
  return teardown
}

async function prepare(): Promise<{ snapshot: string; teardown(): void }> {
  const url = process.env.DATABASE_URL
  if (url) {
    const handle = await openDatabase({ url })
    try {
      await sql`drop schema if exists public cascade`.execute(handle.db)
      await sql`create schema public`.execute(handle.db)
      await migrate(handle.db)
    } finally {
      await handle.close()
    }
    return { snapshot: '', teardown: () => {} }
  }
  const file = path.join(tmpdir(), `rapport-test-snapshot-${process.pid}.tar`)
  const dump = await dumpEmbedded((db) => migrate(db))
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  return { snapshot: file, teardown: () => rmSync(file, { force: true }) }
}
