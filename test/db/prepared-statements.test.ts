import { randomUUID } from 'node:crypto'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { preparingPool } from '../../src/db/prepared-statements.js'
import { postgresAdminUrl, whyPostgresUnavailable } from '../ratelimit/backing-services.js'

const unavailable = await whyPostgresUnavailable()
if (unavailable) console.warn(`Skipping the prepared-statement tests: ${unavailable}`)

// biome-ignore lint/suspicious/noExplicitAny: the tests only run raw SQL
type AnyDb = Kysely<any>

/** A Kysely on one connection (so the session's prepared statements can be listed), preparing as production does. */
function connect(options: Parameters<typeof preparingPool>[1] = {}): AnyDb {
  const pool = new pg.Pool({ connectionString: postgresAdminUrl, max: 1 })
  const db = new Kysely({ dialect: new PostgresDialect({ pool: preparingPool(pool, options) }) })
  opened.push(db)
  return db
}
const opened: AnyDb[] = []

async function preparedTexts(db: AnyDb): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)
  return rows.map((r) => r.statement)
}

const table = `prepared_test_${randomUUID().replaceAll('-', '')}`

describe.skipIf(unavailable)(`named prepared statements${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    const db = connect()
    await sql.raw(`create table ${table} (id int primary key, name text)`).execute(db)
    await sql.raw(`insert into ${table} values (1, 'one'), (2, 'two')`).execute(db)
  })
  afterAll(async () => {
    await sql.raw(`drop table if exists ${table}`).execute(opened[0]!)
    for (const db of opened) await db.destroy()
  })

  test('a statement with parameters is prepared from its second use on, and answers the same each time', async () => {
    const db = connect()
    const read = (id: number) =>
      sql<{ id: number; name: string }>`select id, name from ${sql.table(table)} where id = ${id}`
    expect((await read(1).execute(db)).rows).toEqual([{ id: 1, name: 'one' }])
    expect(await preparedTexts(db)).toEqual([])
    expect((await read(2).execute(db)).rows).toEqual([{ id: 2, name: 'two' }])
    expect(await preparedTexts(db)).toEqual([`select id, name from "${table}" where id = $1`])
    expect((await read(1).execute(db)).rows).toEqual([{ id: 1, name: 'one' }])
    expect(await preparedTexts(db)).toHaveLength(1)
  })

  test('statements without parameters, and transactions, are never prepared', async () => {
    const db = connect()
    for (let i = 0; i < 3; i++) {
      await sql.raw(`select count(*) from ${table}`).execute(db)
      await db.transaction().execute(async (tx) => sql`select ${i}::int as i`.execute(tx))
    }
    // Only the parameterised select inside the transactions, not begin, commit or the count.
    expect(await preparedTexts(db)).toEqual(['select $1::int as i'])
  })

  test('past the cap, further statements run unprepared and still answer', async () => {
    const db = connect({ max: 2 })
    for (let round = 0; round < 3; round++) {
      for (const column of ['id', 'name', 'id, name']) {
        const { rows } = await sql`select ${sql.raw(column)} from ${sql.table(table)} where id = ${2}`.execute(db)
        expect(rows).toEqual([
          column === 'id' ? { id: 2 } : column === 'name' ? { name: 'two' } : { id: 2, name: 'two' },
        ])
      }
    }
    expect(await preparedTexts(db)).toHaveLength(2)
  })

  test('a prepared statement whose table changed shape is retried unprepared, and not prepared again', async () => {
    const own = `${table}_shape`
    const db = connect()
    await sql.raw(`create table ${own} (id int primary key)`).execute(db)
    try {
      await sql.raw(`insert into ${own} values (1)`).execute(db)
      const readAll = () => sql<Record<string, unknown>>`select * from ${sql.table(own)} where id = ${1}`.execute(db)
      await readAll()
      await readAll()
      expect((await preparedTexts(db)).some((t) => t.includes(own))).toBe(true)
      await sql.raw(`alter table ${own} add column note text`).execute(db)
      expect((await readAll()).rows).toEqual([{ id: 1, note: null }])
      expect((await readAll()).rows).toEqual([{ id: 1, note: null }])
      // Inside a transaction the refusal aborts it, so it reaches the caller: prove it with a fresh text.
      const inTx = () =>
        db.transaction().execute((tx) => sql`select * from ${sql.table(own)} where id = ${1} and true`.execute(tx))
      await inTx()
      await inTx()
      await sql.raw(`alter table ${own} add column other text`).execute(db)
      await expect(inTx()).rejects.toThrow(/cached plan must not change result type/)
      expect((await inTx()).rows).toEqual([{ id: 1, note: null, other: null }])
    } finally {
      await sql.raw(`drop table ${own}`).execute(db)
    }
  })
})
