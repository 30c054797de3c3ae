import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { PGliteDialect } from './pglite-dialect.js'
import type { Database, Db } from './schema.js'

// int8 (counts, sums) as JS numbers: every count we return fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v))

const INT8_AS_NUMBER = { 20: (v: string) => Number(v) }

export interface DatabaseHandle {
  db: Db
  engine: 'postgres' | 'pglite'
  close(): Promise<void>
}

/** `snapshot`: a PGlite data-dir dump to start from (skips initdb; tests use a migrated one). */
export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true; snapshot?: Blob }

/** Opens PostgreSQL when given a URL, otherwise embedded PGlite (persisted in `dataDir`, or in memory). */
export async function openDatabase(
  target: DatabaseTarget,
  options: { poolSize?: number } = {},
): Promise<DatabaseHandle> {
  if ('url' in target) {
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, engine: 'postgres', close: () => db.destroy() }
  }
  let pglite: PGlite
  if ('dataDir' in target) {
    mkdirSync(target.dataDir, { recursive: true })
    pglite = await PGlite.create({ dataDir: `${target.dataDir}/pgdata`, parsers: INT8_AS_NUMBER })
  } else {
    pglite = await PGlite.create({
      parsers: INT8_AS_NUMBER,
      ...(target.snapshot ? { loadDataDir: target.snapshot } : {}),
    })
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
  return {
    db,
    engine: 'pglite',
    close: async () => {
      await db.destroy()
      await pglite.close()
    },
  }
}

/** Dumps an embedded database's data dir, to start other in-memory instances from it. */
export async function dumpEmbedded(prepare: (db: Db) => Promise<unknown>): Promise<Blob> {
  const pglite = await PGlite.create({ parsers: INT8_AS_NUMBER })
  try {
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
    await prepare(db)
    return await pglite.dumpDataDir('none')
  } finally {
    await pglite.close()
  }
}
