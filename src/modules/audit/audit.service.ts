import { type Expression, type SqlBool, sql } from 'kysely'
import { type ListResult, narrowBranch, paginate } from '../../core/pagination.js'
import type { Principal } from '../../core/tenancy.js'
import { deleteInBatches } from '../../db/batched-delete.js'
import { prefixPattern } from '../../db/like.js'
import type { Db, Executor } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { AuditEntry, AuditQuery, Usage } from './audit.schemas.js'

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
 * The audit log: API calls recorded by the recorder, and webhook delivery attempts read from the
 * delivery log (one source of truth for those), merged newest first into one paged list.
 */
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(principal: Principal, query: AuditQuery): Promise<ListResult<AuditEntry>> {
    const since = query.since ? new Date(query.since) : undefined
    const until = query.until ? new Date(query.until) : undefined
    const range = query.status ? statusRange(query.status) : undefined
    const wantCalls = query.kind !== 'webhook_attempt'
    // Attempts have no key or user: a filter on either leaves only API calls.
    const wantAttempts = query.kind !== 'api_call' && !query.key_id && !query.user_id

    let calls = this.db
      .selectFrom('audit_log')
      .select([
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
      .where('org_id', '=', principal.orgId)
      .where('livemode', '=', principal.livemode)
    if (since) calls = calls.where('occurred_at', '>=', since)
    if (until) calls = calls.where('occurred_at', '<', until)
    if (query.key_id) calls = calls.where('key_id', '=', query.key_id)
    if (query.user_id) calls = calls.where('user_id', '=', query.user_id)
    if (range) calls = calls.where('status', '>=', range[0]).where('status', '<=', range[1])
    if (query.method) calls = calls.where('method', '=', query.method)
    if (query.path) calls = calls.where('path', 'like', prefixPattern(query.path))
    if (!wantCalls) calls = calls.where(sql<SqlBool>`false`)

    let attempts = this.db
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
      .where('e.org_id', '=', principal.orgId)
      .where('e.livemode', '=', principal.livemode)
    if (since) attempts = attempts.where('a.started_at', '>=', since)
    if (until) attempts = attempts.where('a.started_at', '<', until)
    if (range) attempts = attempts.where('a.status_code', '>=', range[0]).where('a.status_code', '<=', range[1])
    if (query.method && query.method !== 'POST') attempts = attempts.where(sql<SqlBool>`false`)
    if (query.path) attempts = attempts.where('e.url', 'like', prefixPattern(query.path))
    if (!wantAttempts) attempts = attempts.where(sql<SqlBool>`false`)

    // Each side reads only what this page can need through its own index; the union is counted whole.
    const callsPage = narrowBranch(calls, NEWEST_FIRST, sql<string>`id`, query)
    const attemptsPage = narrowBranch(attempts, { ...NEWEST_FIRST, expression: sql`a.started_at` }, sql`a.id`, query)
    const base = this.db.selectFrom(
      this.db
        .selectFrom(callsPage.as('c'))
        .selectAll()
        .unionAll(this.db.selectFrom(attemptsPage.as('w')).selectAll())
        .as('entries'),
    )
    const page = await paginate(
      base,
      (qb) => qb.selectAll(),
      sql<string>`id` as Expression<string>,
      NEWEST_FIRST,
      query,
      { countFrom: this.db.selectFrom(calls.unionAll(attempts).as('entries')) },
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

  /** Calls per UTC day and caller over the last `days` days (today included), with names to label them. */
  async usage(principal: Principal, days: number): Promise<Usage> {
    const today = new Date(this.clock.nowMs())
    const since = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1)))
    const rows = await this.db
      .selectFrom('audit_log')
      .select([
        sql<string>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD')`.as('date'),
        'key_id',
        'user_id',
        sql<number>`count(*)::int`.as('calls'),
        sql<number>`(count(*) filter (where status = 429))::int`.as('rate_limited'),
        sql<number>`(count(*) filter (where status >= 400))::int`.as('errors'),
      ])
      .where('org_id', '=', principal.orgId)
      .where('livemode', '=', principal.livemode)
      .where('occurred_at', '>=', since)
      .groupBy([sql`1`, 'key_id', 'user_id'])
      .orderBy(sql`1`)
      .orderBy('key_id')
      .orderBy('user_id')
      .execute()
    const keyIds = [...new Set(rows.flatMap((r) => (r.key_id ? [r.key_id] : [])))]
    const userIds = [...new Set(rows.flatMap((r) => (r.user_id ? [r.user_id] : [])))]
    const [keys, users] = await Promise.all([
      namesOfKeys(this.db, principal.orgId, keyIds),
      userIds.length
        ? this.db
            .selectFrom('users')
            .select(['id', 'name'])
            .where('org_id', '=', principal.orgId)
            .where('id', 'in', userIds)
            .orderBy('id')
            .execute()
        : [],
    ])
    return { object: 'usage', since: since.toISOString(), days: rows, keys, users }
  }
}

async function namesOfKeys(db: Executor, orgId: string, ids: string[]) {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'livemode', 'revoked_at'])
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute()
  return rows.map((k) => ({
    id: k.id,
    name: k.name,
    mode: k.livemode ? ('live' as const) : ('test' as const),
    revoked: k.revoked_at !== null,
  }))
}

/**
 * Deletes audit rows older than `days` days in batches of 10,000 through the BRIN index on
 * `occurred_at` (migration 0021): each statement reads the block ranges of the expired head of the
 * log (rows arrive in time order, so they sit together), whatever the log's size or the number of
 * organizations, and holds its locks briefly. No `order by`: a BRIN index gives no order, and any
 * expired rows will do.
 */
export function purgeOldAuditRows(db: Executor, days: number): Promise<number> {
  return deleteInBatches(
    db,
    10_000,
    (limit) => sql`
      delete from audit_log where ctid = any(array(
        select ctid from audit_log
        where occurred_at < now() - make_interval(days => ${days})
        limit ${sql.lit(limit)}
      ))`,
  )
}
