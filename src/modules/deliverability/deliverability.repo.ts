import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { EmailBouncesTable, EmailSuppressionsTable } from '../../db/schema-deliverability.js'
import { scoped } from '../../db/scoped.js'
import { newId } from '../../lib/ids.js'
import { NEWEST_FIRST } from '../email/email.schema-parts.js'

export type BounceRow = Selectable<EmailBouncesTable>
export type SuppressionRow = Selectable<EmailSuppressionsTable>
export type NewBounce = Omit<BounceRow, 'id' | 'created_at' | 'org_id' | 'livemode'>

export async function insertBounce(db: Executor, scope: TenantScope, bounce: NewBounce): Promise<BounceRow> {
  return db
    .insertInto('email_bounces')
    .values({ id: newId('emailBounce'), org_id: scope.orgId, livemode: scope.livemode, ...bounce })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * Soft bounces (policy ones excepted: they say nothing about the address) among the last `window`
 * messages that left for `address`, and how many messages that is.
 */
export async function softBouncesInLastSends(
  db: Executor,
  scope: TenantScope,
  address: string,
  window: number,
): Promise<{ sends: number; softBounces: number }> {
  const result = await sql<{ sends: number; soft_bounces: number }>`
    with recent as (
      select id from emails
      where org_id = ${scope.orgId} and livemode = ${scope.livemode} and lower(to_email) = lower(${address})
        and status in ('sent', 'delivered', 'failed')
      order by created_at desc, id desc
      limit ${window}
    )
    select (select count(*) from recent)::int as sends,
      (select count(distinct b.email_id) from email_bounces b join recent on recent.id = b.email_id
        where b.kind = 'soft' and b.category not in ('policy', 'other'))::int as soft_bounces`.execute(db)
  const row = result.rows[0]!
  return { sends: row.sends, softBounces: row.soft_bounces }
}

/** Suppresses `address` unless it already is; returns the new row, or undefined when it was already suppressed. */
export async function insertSuppression(
  db: Executor,
  scope: TenantScope,
  values: { address: string; reason: string; evidence: Record<string, unknown> },
): Promise<SuppressionRow | undefined> {
  const result = await sql<SuppressionRow>`
    insert into email_suppressions (id, org_id, livemode, address, reason, evidence)
    values (${newId('suppression')}, ${scope.orgId}, ${scope.livemode}, ${values.address}, ${values.reason},
      ${JSON.stringify(values.evidence)}::jsonb)
    on conflict (org_id, livemode, lower(address)) do nothing
    returning *`.execute(db)
  return result.rows[0]
}

const suppressions = (db: Executor, scope: TenantScope) => scoped(db, 'email_suppressions', scope)

export function findSuppression(db: Executor, scope: TenantScope, idOrAddress: string) {
  const q = suppressions(db, scope).selectAll()
  return (
    idOrAddress.includes('@')
      ? q.where(sql<boolean>`lower(address) = lower(${idOrAddress})`)
      : q.where('id', '=', idOrAddress)
  ).executeTakeFirst()
}

export function listSuppressions(db: Executor, scope: TenantScope, query: PageParams & { reason?: string }) {
  let base = suppressions(db, scope)
  if (query.reason) base = base.where('reason', '=', query.reason)
  return paginate(
    base,
    (qb) => qb.selectAll(),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  ) as Promise<{ data: SuppressionRow[]; pagination: Awaited<ReturnType<typeof paginate>>['pagination'] }>
}

export async function deleteSuppression(
  db: Executor,
  scope: TenantScope,
  id: string,
): Promise<SuppressionRow | undefined> {
  return suppressions(db, scope)
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
    .then(async (row) => {
      if (row) await db.deleteFrom('email_suppressions').where('id', '=', row.id).execute()
      return row
    })
}

/** Contacts of the organization and mode with this address (the suppression's subscription status goes on them). */
export async function contactIdsWithAddress(db: Executor, scope: TenantScope, address: string): Promise<string[]> {
  const rows = await scoped(db, 'contacts', scope)
    .select('id')
    .where(sql<boolean>`lower(email) = lower(${address})`)
    .execute()
  return rows.map((r) => r.id)
}

/**
 * The breaker's sample: the campaign's last `window` finished sends (sent, delivered or failed) and
 * how many of them hard-bounced or drew a complaint.
 */
export async function campaignRecentRates(db: Executor, campaignId: string, window: number) {
  const result = await sql<{ sends: number; hard: number; complaints: number }>`
    with recent as (
      select email_id from email_campaign_sends
      where campaign_id = ${campaignId} and status in ('sent', 'delivered', 'failed') and email_id is not null
      order by updated_at desc, id desc
      limit ${window}
    )
    select (select count(*) from recent)::int as sends,
      (select count(distinct b.email_id) from email_bounces b join recent r on r.email_id = b.email_id where b.kind = 'hard')::int as hard,
      (select count(distinct b.email_id) from email_bounces b join recent r on r.email_id = b.email_id where b.kind = 'complaint')::int as complaints`.execute(
    db,
  )
  return result.rows[0]!
}
