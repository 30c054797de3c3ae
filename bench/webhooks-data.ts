/**
 * The webhook benchmark's own PostgreSQL database, `rapport_bench_webhooks` (dropped and created
 * again on every run; never `test`, which the test suite resets, nor the API benchmark's
 * `rapport_bench`), its organizations and endpoints, and the queue of events it drains.
 */
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import type { Db } from '../src/db/schema.js'
import { newId } from '../src/lib/ids.js'
import { secretBox } from '../src/lib/secret-box.js'
import { ContactsService } from '../src/modules/contacts/contacts.service.js'
import { OrgsService } from '../src/modules/orgs/orgs.service.js'
import { withDatabase } from './database.js'

export const WEBHOOKS_DATABASE_NAME = 'rapport_bench_webhooks'

/** Rows per bulk statement: 2,000 events of ~400 bytes is a ~1 MB parameter. */
const BULK_BATCH = 2_000

/** Drops and creates `rapport_bench_webhooks` beside `baseUrl`'s database; returns its URL. */
export async function recreateWebhooksDatabase(baseUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  try {
    await admin.query(`drop database if exists ${WEBHOOKS_DATABASE_NAME} with (force)`)
    await admin.query(`create database ${WEBHOOKS_DATABASE_NAME}`)
  } finally {
    await admin.end()
  }
  return withDatabase(baseUrl, WEBHOOKS_DATABASE_NAME)
}

export interface BenchOrg {
  orgId: string
  /** A live secret key of the organization (teams plan, every scope). */
  apiKey: string
  endpointId: string
  /** The endpoint's signing secret in clear (`whsec_…`); the database holds it sealed. */
  secret: string
}

/** An organization with one enabled live endpoint on `url`, subscribed to `contact.created` only. */
export async function createOrgWithEndpoint(db: Db, masterKey: Buffer, name: string, url: string): Promise<BenchOrg> {
  const { org, api_key } = await new OrgsService(db).create({ name, plan: 'teams' })
  const secret = `whsec_${randomBytes(24).toString('base64')}`
  const endpointId = newId('webhookEndpoint')
  // Stored the way the API stores an endpoint (see test/delivery/fixtures.ts): the secret sealed.
  await db
    .insertInto('webhook_endpoints')
    .values({
      id: endpointId,
      org_id: org.id,
      livemode: true,
      url,
      events: ['contact.created'],
      metadata: '{}',
      secret_encrypted: secretBox(masterKey).seal(secret),
    })
    .execute()
  return { orgId: org.id, apiKey: api_key.key!, endpointId, secret }
}

export interface Enqueued {
  count: number
  ms: number
}

/**
 * Queues `count` `contact.created` events for `org`, each with its delivery row, as fast as it can:
 * the first through `ContactsService.create` (the real path: contact, `emit`, NOTIFY), the rest in
 * bulk statements that are `emit`'s own fan-out statement over many events at once (same columns,
 * same delivery id formula, `next_attempt_at` = the event's `created_at`), with event data of the
 * same shape and size as the first one's. A check then proves every row has the shape `emit` gives.
 */
export async function enqueueContactEvents(db: Db, org: BenchOrg, count: number, tag: string): Promise<Enqueued> {
  const started = performance.now()
  const scope = { orgId: org.orgId, livemode: true }
  const first = await new ContactsService(db).create(scope, {
    name: 'Webhook Bench 0',
    email: `wb-${tag}-0@example.com`,
  })
  for (let from = 1; from < count; from += BULK_BATCH) {
    const rows = []
    for (let i = from; i < Math.min(count, from + BULK_BATCH); i++) {
      const now = new Date().toISOString()
      rows.push({
        id: newId('event'),
        data: {
          ...first,
          id: newId('contact'),
          name: `Webhook Bench ${i}`,
          email: `wb-${tag}-${i}@example.com`,
          created_at: now,
          updated_at: now,
        },
      })
    }
    await sql`
      with event as (
        insert into events (id, org_id, livemode, type, data)
        select r.id, ${org.orgId}, true, 'contact.created', r.data
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, data jsonb)
        returning id, created_at
      )
      insert into webhook_deliveries (id, org_id, livemode, endpoint_id, event_id, event_type, status, next_attempt_at)
      select 'wd_' || substr(event.id, 5) || substr(e.id, 4), ${org.orgId}, true, e.id, event.id, 'contact.created', 'pending', event.created_at
      from event, webhook_endpoints e
      where e.org_id = ${org.orgId} and e.livemode = true and e.enabled and e.events && array['*', 'contact.created']::text[]`.execute(
      db,
    )
  }
  const ms = performance.now() - started
  const shaped = await sql<{ n: number }>`
    select count(*)::int as n from webhook_deliveries d join events ev on ev.id = d.event_id
    where d.org_id = ${org.orgId} and d.livemode and ev.org_id = d.org_id and ev.livemode = d.livemode
      and d.endpoint_id = ${org.endpointId}
      and d.id = 'wd_' || substr(ev.id, 5) || substr(d.endpoint_id, 4)
      and d.event_type = ev.type and ev.type = 'contact.created'
      and d.status = 'pending' and d.attempt_count = 0 and d.next_attempt_at = ev.created_at
      and d.lease_expires_at is null and d.leased_by is null`.execute(db)
  const n = shaped.rows[0]?.n ?? 0
  if (n !== count) throw new Error(`expected ${count} queued deliveries shaped like emit()'s, found ${n}`)
  await sql`analyze`.execute(db)
  return { count, ms }
}

/** One queued event, as the worker will send it (the envelope of src/webhook-worker/worker.ts). */
export async function sampleEnvelope(db: Db, orgId: string): Promise<Record<string, unknown>> {
  const ev = await db
    .selectFrom('events')
    .select(['id', 'type', 'data', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  return { id: ev.id, event: ev.type, timestamp: ev.created_at.toISOString(), data: ev.data }
}

/** Deliveries of `orgId` by status. */
export async function deliveryCounts(
  db: Db,
  orgId: string,
): Promise<Record<'pending' | 'succeeded' | 'failed', number>> {
  const rows = await sql<{ status: 'pending' | 'succeeded' | 'failed'; n: number }>`
    select status, count(*)::int as n from webhook_deliveries where org_id = ${orgId} group by status`.execute(db)
  const counts = { pending: 0, succeeded: 0, failed: 0 }
  for (const r of rows.rows) counts[r.status] = r.n
  return counts
}

/** Pending deliveries of `orgId` (the partial index `webhook_deliveries_due` covers this). */
export async function pendingCount(db: Db, orgId: string): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from webhook_deliveries where status = 'pending' and org_id = ${orgId}`.execute(db)
  return r.rows[0]?.n ?? 0
}

/**
 * When the worker recorded its last attempt for `orgId` (`updated_at` is set by the worker's clock,
 * `new Date()`, when it records the attempt), and what the attempts took to send on average.
 */
export async function attemptFacts(
  db: Db,
  orgId: string,
): Promise<{ lastRecordedMs: number; firstStartedMs: number; attempts: number; meanSendMs: number }> {
  const r = await sql<{ last: Date; first: Date; attempts: number; mean_ms: number }>`
    select max(d.updated_at) as last, min(d.last_attempt_at) as first,
      (select count(*)::int from webhook_attempts a join webhook_deliveries x on x.id = a.delivery_id where x.org_id = ${orgId}) as attempts,
      (select avg(a.duration_ms)::float8 from webhook_attempts a join webhook_deliveries x on x.id = a.delivery_id where x.org_id = ${orgId}) as mean_ms
    from webhook_deliveries d where d.org_id = ${orgId}`.execute(db)
  const row = r.rows[0]!
  return {
    lastRecordedMs: row.last.getTime(),
    firstStartedMs: row.first.getTime(),
    attempts: row.attempts,
    meanSendMs: row.mean_ms,
  }
}

/**
 * Transactions committed or rolled back in this database so far (`pg_stat_database`). A backend
 * reports its counts when it exits or goes idle (within 10 s), so read this after the processes
 * measured have closed their connections.
 */
export async function databaseTransactions(db: Db): Promise<number> {
  await sql`select pg_stat_clear_snapshot()`.execute(db)
  const r = await sql<{ n: number }>`
    select (xact_commit + xact_rollback)::float8 as n from pg_stat_database where datname = current_database()`.execute(
    db,
  )
  return r.rows[0]?.n ?? 0
}

/** The process ids of the PostgreSQL backends connected to this database now. */
export async function backendPids(db: Db): Promise<number[]> {
  const r = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db)
  return r.rows.map((row) => row.pid)
}
