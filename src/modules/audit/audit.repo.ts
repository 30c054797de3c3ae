import { type Expression, type SqlBool, sql } from 'kysely'
import { type ListResult, narrowBranch, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import { deleteOlderThan } from '../../db/batched-delete.js'
import { prefixPattern } from '../../db/like.js'
import type { Executor } from '../../db/schema.js'
import { scoped } from '../../db/scoped.js'
import { newId } from '../../lib/ids.js'
import type { AuditEntry, AuditQuery } from './audit.schemas.js'

const NEWEST_FIRST = {
  name: 'occurred_at',
  expression: sql`occurred_at`,
  castTo: 'timestamptz',
  descending: true,
} as const

/** `404` → [404, 404]; `4xx` → [400, 499]. */
function statusRange(status: string): [number, number] {
  if (status.endsWith('xx')) {
    const hundreds = Number(status[0]) * 100
    return [hundreds, hundreds + 99]
  }
  return [Number(status), Number(status)]
}

/**
 * One page of the audit log in `scope`: API calls and webhook delivery attempts merged newest
 * first. Each side reads only what this page can need through its own index; the union is
 * counted whole.
 */
export async function listAuditEntries(
  db: Executor,
  scope: TenantScope,
  query: AuditQuery,
): Promise<ListResult<AuditEntry>> {
  const since = query.since ? new Date(query.since) : undefined
  const until = query.until ? new Date(query.until) : undefined
  const range = query.status ? statusRange(query.status) : undefined
  const wantCalls = query.kind !== 'webhook_attempt'
  // Attempts have no key or user: a filter on either leaves only API calls.
  const wantAttempts = query.kind !== 'api_call' && !query.key_id && !query.user_id

  let calls = scoped(db, 'audit_log', scope).select([
    'id',
    sql<string>`'api_call'`.as('kind'),
    'occurred_at',
    'method',
    'path',
    sql<number | null>`status`.as('status'),
    'key_id',
    'user_id',
    'ip',
    sql<number>`duration_ms::float8`.as('duration_ms'),
    sql<string | null>`request_id`.as('request_id'),
    sql<string | null>`null::text`.as('endpoint_id'),
    sql<string | null>`null::text`.as('delivery_id'),
    sql<string | null>`null::text`.as('event_type'),
  ])
  if (since) calls = calls.where('occurred_at', '>=', since)
  if (until) calls = calls.where('occurred_at', '<', until)
  if (query.key_id) calls = calls.where('key_id', '=', query.key_id)
  if (query.user_id) calls = calls.where('user_id', '=', query.user_id)
  if (range) calls = calls.where('status', '>=', range[0]).where('status', '<=', range[1])
  if (query.method) calls = calls.where('method', '=', query.method)
  if (query.path) calls = calls.where('path', 'like', prefixPattern(query.path))
  if (!wantCalls) calls = calls.where(sql<SqlBool>`false`)

  let attempts = db
    .selectFrom('webhook_attempts as a')
    .innerJoin('webhook_endpoints as e', 'e.id', 'a.endpoint_id')
    .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
    .select([
      'a.id',
      sql<string>`'webhook_attempt'`.as('kind'),
      'a.started_at as occurred_at',
      sql<string>`'POST'`.as('method'),
      'e.url as path',
      sql<number | null>`a.status_code`.as('status'),
      sql<string | null>`null::text`.as('key_id'),
      sql<string | null>`null::text`.as('user_id'),
      sql<string | null>`null::text`.as('ip'),
      sql<number>`a.duration_ms::float8`.as('duration_ms'),
      sql<string | null>`null::text`.as('request_id'),
      sql<string | null>`a.endpoint_id`.as('endpoint_id'),
      sql<string | null>`a.delivery_id`.as('delivery_id'),
      sql<string | null>`d.event_type`.as('event_type'),
    ])
    .where('e.org_id', '=', scope.orgId)
    .where('e.livemode', '=', scope.livemode)
  if (since) attempts = attempts.where('a.started_at', '>=', since)
  if (until) attempts = attempts.where('a.started_at', '<', until)
  if (range) attempts = attempts.where('a.status_code', '>=', range[0]).where('a.status_code', '<=', range[1])
  if (query.method && query.method !== 'POST') attempts = attempts.where(sql<SqlBool>`false`)
  if (query.path) attempts = attempts.where('e.url', 'like', prefixPattern(query.path))
  if (!wantAttempts) attempts = attempts.where(sql<SqlBool>`false`)

  // Each side reads only what this page can need through its own index; the union is counted whole.
  const callsPage = narrowBranch(calls, NEWEST_FIRST, sql<string>`id`, query)
  const attemptsPage = narrowBranch(attempts, { ...NEWEST_FIRST, expression: sql`a.started_at` }, sql`a.id`, query)
  const base = db.selectFrom(
    db
      .selectFrom(callsPage.as('c'))
      .selectAll()
      .unionAll(db.selectFrom(attemptsPage.as('w')).selectAll())
      .as('entries'),
  )
  const page = await paginate(
    base,
    (qb) => qb.selectAll(),
    sql<string>`id` as Expression<string>,
    NEWEST_FIRST,
    query,
    { countFrom: db.selectFrom(calls.unionAll(attempts).as('entries')) },
  )
  return {
    data: page.data.map((r) => ({
      ...r,
      object: 'audit_entry' as const,
      kind: r.kind as AuditEntry['kind'],
      occurred_at: (r.occurred_at as Date).toISOString(),
    })),
    pagination: page.pagination,
  }
}

/** API calls per UTC day and caller since `since`, in `scope`. */
export function usageByDay(db: Executor, scope: TenantScope, since: Date) {
  return scoped(db, 'audit_log', scope)
    .select([
      sql<string>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD')`.as('date'),
      'key_id',
      'user_id',
      sql<number>`count(*)::int`.as('calls'),
      sql<number>`(count(*) filter (where status = 429))::int`.as('rate_limited'),
      sql<number>`(count(*) filter (where status >= 400))::int`.as('errors'),
    ])
    .where('occurred_at', '>=', since)
    .groupBy([sql`1`, 'key_id', 'user_id'])
    .orderBy(sql`1`)
    .orderBy('key_id')
    .orderBy('user_id')
    .execute()
}

/** Deletes audit rows older than `days` days, 10,000 at a time, through the BRIN index on `occurred_at` (migration 0021). */
export function purgeOldAuditRows(db: Executor, days: number): Promise<number> {
  return deleteOlderThan(db, {
    table: 'audit_log',
    column: 'occurred_at',
    index: 'audit_log_occurred_brin',
    days,
    batch: 10_000,
  })
}

/** One API call as the request path hands it over: plain values only, converted when written. */
export interface AuditRow {
  orgId: string
  livemode: boolean
  /** Unix ms. */
  occurredAtMs: number
  method: string
  path: string
  status: number
  keyId: string | null
  userId: string | null
  ip: string | null
  durationMs: number
  requestId: string
}

/**
 * One INSERT … SELECT FROM json_to_recordset() per batch: the batch travels as one JSON text
 * (V8 stringifies it natively, and PostgreSQL parses plain json cheaply), where arrays or one
 * parameter per value would cost a formatting step per value. Ids are made here, off the request
 * path, in recording order.
 */
export async function insertAuditRows(db: Executor, rows: AuditRow[]): Promise<void> {
  const batch = rows.map((r) => ({ ...r, id: newId('auditEntry') }))
  await sql`
    insert into audit_log (id, org_id, livemode, occurred_at, method, path, status, key_id, user_id, ip, duration_ms, request_id)
    select id, "orgId", livemode, to_timestamp("occurredAtMs" / 1000), method, path, status, "keyId", "userId", ip,
      "durationMs", "requestId"
    from json_to_recordset(${JSON.stringify(batch)}::json) as t(
      id text, "orgId" text, livemode boolean, "occurredAtMs" float8, method text, path text, status integer,
      "keyId" text, "userId" text, ip text, "durationMs" real, "requestId" text
    )`.execute(db)
}
