import { CompiledQuery, type KyselyPlugin, PostgresQueryCompiler, type RootOperationNode, sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { Db } from '../../src/db/schema.js'
import { purgeExpiredRows } from '../../src/housekeeping/housekeeping.js'
import { newId } from '../../src/lib/ids.js'
import { purgeOldEvents } from '../../src/modules/events/events.repo.js'
import { type TestApp, testApp } from '../harness.js'

/**
 * The events purge (RAPPORT_EVENTS_RETENTION_DAYS) deletes events of every organization and mode
 * older than the retention, and keeps those a delivery still reads. Ages are relative to the
 * database's clock, which both wrote `created_at` and judges it, and sit days from the 30-day
 * boundary; other files' events are minutes old, so a purge here (or theirs) leaves them alone.
 */

const DAY = sql`interval '1 day'`

/** Inserts an event of `org` in `livemode`, `ageDays` days old; returns its id. */
async function eventAged(db: Db, org: string, livemode: boolean, ageDays: number): Promise<string> {
  const id = newId('event')
  await sql`insert into events (id, org_id, livemode, type, data, created_at)
    values (${id}, ${org}, ${livemode}, 'contact.created', '{}'::jsonb, now() - ${ageDays} * ${DAY})`.execute(db)
  return id
}

async function remaining(db: Db, ids: string[]): Promise<string[]> {
  const rows = await db.selectFrom('events').select('id').where('id', 'in', ids).execute()
  return rows.map((r) => r.id).sort()
}

async function endpointOf(h: TestApp): Promise<string> {
  // Disabled: no worker of another file claims its deliveries.
  const res = await h.api('POST', '/api/v1/webhook_endpoints', {
    url: 'http://127.0.0.1:9/hook',
    events: ['contact.created'],
    enabled: false,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id as string
}

describe('the events purge', () => {
  test('deletes events older than the retention in every organization and mode, and keeps newer ones', async () => {
    const h = await testApp({ env: { RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' } })
    const other = await h.newOrg()
    const db = h.deps.db
    const old: string[] = []
    const recent: string[] = []
    for (const org of [h.org.id, other.id]) {
      for (const livemode of [true, false]) {
        old.push(await eventAged(db, org, livemode, 31), await eventAged(db, org, livemode, 400))
        recent.push(await eventAged(db, org, livemode, 29), await eventAged(db, org, livemode, 1))
      }
    }
    expect(await purgeOldEvents(db, 30)).toBeGreaterThanOrEqual(old.length)
    expect(await remaining(db, [...old, ...recent])).toEqual([...recent].sort())
    // The list and the event's own page agree: a purged event is gone from both.
    expect((await h.api('GET', `/api/v1/events/${old[0]}`)).statusCode).toBe(404)
    expect((await h.api('GET', `/api/v1/events/${recent[0]}`)).statusCode).toBe(200)
  })

  test('keeps an old event while a delivery of it is kept (pending, failed or succeeded), then purges it with the deliveries gone', async () => {
    const h = await testApp({ env: { RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' } })
    const db = h.deps.db
    const endpointId = await endpointOf(h)
    const delivered = {
      pending: await eventAged(db, h.org.id, true, 40),
      failed: await eventAged(db, h.org.id, true, 40),
      succeeded: await eventAged(db, h.org.id, true, 40),
    }
    const undelivered = await eventAged(db, h.org.id, true, 40)
    for (const [status, eventId] of Object.entries(delivered)) {
      // The deliveries themselves are recent, so no purge of deliveries (this file's or another's) takes them.
      await db
        .insertInto('webhook_deliveries')
        .values({
          id: `wd_${eventId.slice(4)}${endpointId.slice(3)}`,
          org_id: h.org.id,
          livemode: true,
          endpoint_id: endpointId,
          event_id: eventId,
          event_type: 'contact.created',
          status: status as 'pending' | 'failed' | 'succeeded',
          next_attempt_at: sql`now() + interval '1 day'`,
        })
        .execute()
    }
    const ids = [...Object.values(delivered), undelivered]
    expect(await purgeOldEvents(db, 30)).toBeGreaterThanOrEqual(1)
    expect(await remaining(db, ids)).toEqual(Object.values(delivered).sort())
    const deliveries = await db
      .selectFrom('webhook_deliveries')
      .select('status')
      .where('endpoint_id', '=', endpointId)
      .execute()
    expect(deliveries.map((d) => d.status).sort()).toEqual(['failed', 'pending', 'succeeded'])

    // Once the deliveries are past their own retention, one housekeeping round removes them, then the events.
    await db
      .updateTable('webhook_deliveries')
      .set({ created_at: sql`now() - interval '40 days'` })
      .where('endpoint_id', '=', endpointId)
      .execute()
    const counts = await purgeExpiredRows(db, h.deps.config, new Date(h.deps.clock.nowMs()))
    expect(counts.deliveries).toBeGreaterThanOrEqual(3)
    expect(counts.events).toBeGreaterThanOrEqual(3)
    expect(await remaining(db, ids)).toEqual([])
  })

  test('removes more expired events than one batch holds (batches of 1,000)', async () => {
    const h = await testApp()
    const db = h.deps.db
    const prefix = `evt_batch${Math.random().toString(36).slice(2, 10)}_`
    await sql`insert into events (id, org_id, livemode, type, data, created_at)
      select ${prefix} || g, ${h.org.id}, g % 2 = 0, 'contact.created', '{}'::jsonb, now() - (31 + g % 5) * ${DAY}
      from generate_series(1, 2500) g`.execute(db)
    const left = async () =>
      (
        await db
          .selectFrom('events')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('id', 'like', `${prefix}%`)
          .executeTakeFirstOrThrow()
      ).n
    expect(await left()).toBe(2500)
    expect(await purgeOldEvents(db, 30)).toBeGreaterThan(1000)
    expect(await left()).toBe(0)
  })

  test('finds expired events through the BRIN index on created_at, and their deliveries through the event_id index', async () => {
    const h = await testApp()
    const captured: RootOperationNode[] = []
    const capture: KyselyPlugin = {
      transformQuery: ({ node }) => {
        captured.push(node)
        return node
      },
      transformResult: async ({ result }) => result,
    }
    await purgeOldEvents(h.deps.db.withPlugin(capture), 30)
    const compiler = new PostgresQueryCompiler()
    const statements = captured.map((node) => compiler.compileQuery(node, { queryId: 'explain' } as never))
    // Before it, the BRIN ranges the last purge emptied are summarized again (batched-delete.ts).
    const statement = statements.find((s) => /\bdelete from events where/.test(s.sql))!
    expect(statement).toBeDefined()
    // No parameters: never a prepared statement, whose generic plan would not use the BRIN index.
    expect(statement.parameters).toEqual([])
    const indexes = await h.deps.db.transaction().execute(async (tx) => {
      // The purge's statement, explained over a copy of the table with its indexes, filled as the log
      // fills (in time order, 60 days of it), on which the planner sees what it sees at scale. The
      // suite's events table holds the other files' rows in no time order (and this file's old ones).
      await sql`create temp table events_probe (like events including all) on commit drop`.execute(tx)
      await sql`insert into events_probe (id, org_id, livemode, type, data, created_at)
        select 'evt_probe' || g, ${h.org.id}, true, 'contact.created', '{}'::jsonb, now() - (20000 - g) * interval '259 seconds'
        from generate_series(1, 20000) g`.execute(tx)
      await sql`analyze events_probe`.execute(tx)
      await sql`set local enable_seqscan = off`.execute(tx)
      // Each candidate's deliveries are looked up (a nested loop, as under the 1,000-row limit at
      // scale), not the suite's small deliveries table hashed whole.
      await sql`set local enable_hashjoin = off`.execute(tx)
      await sql`set local enable_mergejoin = off`.execute(tx)
      const probe = statement.sql.replace(/\bevents\b/g, 'events_probe')
      const result = await tx.executeQuery<{ 'QUERY PLAN': unknown }>(
        CompiledQuery.raw(`explain (format json) ${probe}`, [...statement.parameters]),
      )
      const raw = result.rows[0]!['QUERY PLAN']
      const plan = JSON.stringify(typeof raw === 'string' ? JSON.parse(raw) : raw)
      return [...plan.matchAll(/"Index Name":\s*"(\w+)"/g)].map((m) => m[1])
    })
    // The copy’s indexes are named after the copy: events_probe_created_at_idx is events_created_brin.
    expect(indexes).toContain('events_probe_created_at_idx')
    expect(indexes).toContain('webhook_deliveries_event')
  })
})

describe('RAPPORT_EVENTS_RETENTION_DAYS', () => {
  test('defaults to 30 days, or to the webhook retention when that is longer', () => {
    expect(loadConfig({}).eventsRetentionDays).toBe(30)
    expect(loadConfig({ RAPPORT_EVENTS_RETENTION_DAYS: '365' }).eventsRetentionDays).toBe(365)
    expect(loadConfig({ RAPPORT_WEBHOOK_RETENTION_DAYS: '7' }).eventsRetentionDays).toBe(30)
    expect(loadConfig({ RAPPORT_WEBHOOK_RETENTION_DAYS: '90' }).eventsRetentionDays).toBe(90)
    expect(
      loadConfig({ RAPPORT_WEBHOOK_RETENTION_DAYS: '7', RAPPORT_EVENTS_RETENTION_DAYS: '7' }).eventsRetentionDays,
    ).toBe(7)
  })

  test('refuses less than a day, less than the webhook retention, and what is not a whole number', () => {
    expect(() => loadConfig({ RAPPORT_EVENTS_RETENTION_DAYS: '0', RAPPORT_WEBHOOK_RETENTION_DAYS: '0' })).toThrow(
      'RAPPORT_EVENTS_RETENTION_DAYS must be an integer of at least 1, got "0"',
    )
    expect(() => loadConfig({ RAPPORT_EVENTS_RETENTION_DAYS: '14' })).toThrow(
      'RAPPORT_EVENTS_RETENTION_DAYS must be an integer of at least 30 (RAPPORT_WEBHOOK_RETENTION_DAYS: a kept delivery keeps its event), got "14"',
    )
    for (const value of ['thirty', '1.5', '-1']) {
      expect(() => loadConfig({ RAPPORT_EVENTS_RETENTION_DAYS: value })).toThrow(
        `RAPPORT_EVENTS_RETENTION_DAYS must be a non-negative integer, got "${value}"`,
      )
    }
  })
})
