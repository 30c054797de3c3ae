import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { PGliteDialect } from './pglite-dialect.js'
import { preparingPool } from './prepared-statements.js'
import type { Database, Db } from './schema.js'

// int8 (counts, sums) as JS numbers: every count we return fits in 2^53. Calendar dates (`date`)
// stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
pg.types.setTypeParser(20, (v) => Number(v))
pg.types.setTypeParser(1082, (v) => v)

const PARSERS = { 20: (v: string) => Number(v), 1082: (v: string) => v }

/** Contrib extensions the migrations create (`create extension`), bundled with PGlite. */
const EXTENSIONS = { btree_gin, pg_trgm }

export interface DatabaseHandle {
  db: Db
  engine: 'postgres' | 'pglite'
  /** Calls `onNotify` on each NOTIFY on `channel` (after commit); resolves to an unsubscribe function. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

/**
 * `url`: PostgreSQL, whose recurring statements are prepared unless `preparedStatements` is false,
 * through a pool of `poolSize` connections (RAPPORT_DB_POOL_SIZE; default 10).
 * `snapshot`: a PGlite data-dir dump to start from (skips initdb; tests use a migrated one).
 */
export type DatabaseTarget =
  | { url: string; preparedStatements?: boolean; poolSize?: number }
  | { dataDir: string }
  | { memory: true; snapshot?: Blob }

/**
 * Opens PostgreSQL when given a URL, otherwise embedded PGlite (persisted in `dataDir`, or in memory:
 * one connection, whatever the pool size). `options.poolSize` overrides the target's: a one-shot CLI
 * command needs one connection, whatever the servers are configured with.
 */
export async function openDatabase(
  target: DatabaseTarget,
  options: { poolSize?: number } = {},
): Promise<DatabaseHandle> {
  if ('url' in target) {
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? target.poolSize ?? 10 })
    const dialect = new PostgresDialect({ pool: target.preparedStatements === false ? pool : preparingPool(pool) })
    const db = new Kysely<Database>({ dialect })
    return {
      db,
      engine: 'postgres',
      listen: (channel, onNotify) => listenPostgres(target.url, channel, onNotify),
      close: () => db.destroy(),
    }
  }
  let pglite: PGlite
  if ('dataDir' in target) {
    mkdirSync(target.dataDir, { recursive: true })
    pglite = await PGlite.create({ dataDir: `${target.dataDir}/pgdata`, parsers: PARSERS, extensions: EXTENSIONS })
  } else {
    pglite = await PGlite.create({
      parsers: PARSERS,
      extensions: EXTENSIONS,
      ...(target.snapshot ? { loadDataDir: target.snapshot } : {}),
    })
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
  return {
    db,
    engine: 'pglite',
    listen: async (channel, onNotify) => {
      const unsubscribe = await pglite.listen(channel, onNotify)
      return async () => unsubscribe()
    },
    close: async () => {
      await db.destroy()
      await pglite.close()
    },
  }
}

/** Dumps an embedded database's data dir, to start other in-memory instances from it. */
export async function dumpEmbedded(prepare: (db: Db) => Promise<unknown>): Promise<Blob> {
  const pglite = await PGlite.create({ parsers: PARSERS, extensions: EXTENSIONS })
  try {
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
    await prepare(db)
    return await pglite.dumpDataDir('none')
  } finally {
    await pglite.close()
  }
}

/**
 * LISTEN needs a connection of its own (a pooled one would be handed to other queries). If it
 * drops, it reconnects after a second; workers also poll, so a lost notification only costs latency.
 */
async function listenPostgres(url: string, channel: string, onNotify: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | undefined
  let stopped = false
  let retry: NodeJS.Timeout | undefined
  const connect = async () => {
    const c = new pg.Client({ connectionString: url })
    c.on('notification', () => onNotify())
    c.on('error', () => {
      c.end().catch(() => {})
      if (!stopped) retry = setTimeout(() => connect().catch(() => {}), 1000)
    })
    await c.connect()
    await c.query(`listen ${pg.escapeIdentifier(channel)}`)
    client = c
  }
  await connect()
  return async () => {
    stopped = true
    clearTimeout(retry)
    await client?.end().catch(() => {})
  }
}
