import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { CampaignStatus, EmailCampaignsTable } from '../../db/schema-email.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import { NEWEST_FIRST } from './email.schema-parts.js'

export type CampaignRow = Selectable<EmailCampaignsTable>
type Writable = Partial<
  Pick<
    CampaignRow,
    | 'name'
    | 'subject'
    | 'html'
    | 'text'
    | 'template_id'
    | 'sender_id'
    | 'list_ids'
    | 'segment_ids'
    | 'track_opens'
    | 'track_clicks'
    | 'status'
    | 'scheduled_at'
    | 'started_at'
    | 'paused_at'
    | 'paused_reason'
    | 'cancelled_at'
    | 'completed_at'
  >
>

export async function insertCampaign(db: Executor, scope: TenantScope, row: Writable & { id: string; name: string }) {
  return db
    .insertInto('email_campaigns')
    .values({ subject: '', ...row, org_id: scope.orgId, livemode: scope.livemode })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function findCampaign(db: Executor, scope: TenantScope, id: string, lock = false) {
  const q = scoped(db, 'email_campaigns', scope).selectAll().where('id', '=', id)
  return (lock ? q.forUpdate() : q).executeTakeFirst()
}

export function listCampaigns(db: Executor, scope: TenantScope, query: PageParams & { status?: CampaignStatus }) {
  let base = scoped(db, 'email_campaigns', scope)
  if (query.status) base = base.where('status', '=', query.status)
  return paginate(
    base,
    (qb) => qb.selectAll(),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}

/** Changes a campaign; with `fromStatuses`, only while it is in one of them (undefined otherwise). */
export function updateCampaign(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Writable,
  fromStatuses?: CampaignStatus[],
) {
  let q = scopedUpdate(db, 'email_campaigns', scope)
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('id', '=', id)
  if (fromStatuses) q = q.where('status', 'in', fromStatuses)
  return q.returningAll().executeTakeFirst()
}

/** draft → scheduled, for `sendAt` or now (the campaign is locked and checked by the caller). */
export async function markScheduled(tx: Executor, id: string, sendAt: Date | null): Promise<void> {
  await tx
    .updateTable('email_campaigns')
    .set({ status: 'scheduled', scheduled_at: sendAt ?? sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
}

/** Puts the campaign's failed recipients back in the ledger as pending; answers how many. */
export async function resetFailedSends(tx: Executor, campaignId: string): Promise<number> {
  const reset = await tx
    .updateTable('email_campaign_sends')
    .set({ status: 'pending', email_id: null, skip_reason: null, updated_at: sql`now()` })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'failed')
    .returning('id')
    .execute()
  return reset.length
}

export function deleteCampaign(db: Executor, scope: TenantScope, id: string) {
  return scopedDelete(db, 'email_campaigns', scope)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst()
}

export interface CampaignCounts {
  byStatus: Record<string, number>
  skippedByReason: Record<string, number>
  opens: number
  humanOpens: number
  uniqueOpens: number
  uniqueHumanOpens: number
  clicks: number
  humanClicks: number
  uniqueClicks: number
}

/** The ledger's counts for some campaigns, in two grouped reads. */
export async function campaignCounts(db: Executor, ids: string[]): Promise<Map<string, CampaignCounts>> {
  const out = new Map<string, CampaignCounts>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('email_campaign_sends')
    .select([
      'campaign_id',
      'status',
      'skip_reason',
      sql<number>`count(*)::int`.as('n'),
      sql<number>`coalesce(sum(open_count), 0)::int`.as('opens'),
      sql<number>`coalesce(sum(human_open_count), 0)::int`.as('human_opens'),
      sql<number>`(count(*) filter (where open_count > 0))::int`.as('unique_opens'),
      sql<number>`(count(*) filter (where human_open_count > 0))::int`.as('unique_human_opens'),
      sql<number>`coalesce(sum(click_count), 0)::int`.as('clicks'),
      sql<number>`coalesce(sum(human_click_count), 0)::int`.as('human_clicks'),
      sql<number>`(count(*) filter (where click_count > 0))::int`.as('unique_clicks'),
    ])
    .where('campaign_id', 'in', ids)
    .groupBy(['campaign_id', 'status', 'skip_reason'])
    .execute()
  for (const r of rows) {
    let c = out.get(r.campaign_id)
    if (!c) {
      c = {
        byStatus: {},
        skippedByReason: {},
        opens: 0,
        humanOpens: 0,
        uniqueOpens: 0,
        uniqueHumanOpens: 0,
        clicks: 0,
        humanClicks: 0,
        uniqueClicks: 0,
      }
      out.set(r.campaign_id, c)
    }
    c.byStatus[r.status] = (c.byStatus[r.status] ?? 0) + r.n
    if (r.status === 'skipped') c.skippedByReason[r.skip_reason ?? 'other'] = r.n
    c.opens += r.opens
    c.humanOpens += r.human_opens
    c.uniqueOpens += r.unique_opens
    c.uniqueHumanOpens += r.unique_human_opens
    c.clicks += r.clicks
    c.humanClicks += r.human_clicks
    c.uniqueClicks += r.unique_clicks
  }
  return out
}

const ofOrgs = (orgIds?: readonly string[]) => (orgIds ? sql`and org_id = any(${[...orgIds]}::text[])` : sql``)

/** Ids of scheduled campaigns now due, oldest first, at most 10 (of the given organizations only, when named). */
export async function dueCampaignIds(db: Executor, orgIds?: readonly string[]): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select id from email_campaigns where status = 'scheduled' and scheduled_at <= now() ${ofOrgs(orgIds)}
    order by scheduled_at limit 10`.execute(db)
  return rows.rows.map((r) => r.id)
}

/** Ids of the campaigns sending, in the order they started (of the given organizations only, when named). */
export async function sendingCampaignIds(db: Executor, orgIds?: readonly string[]): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select id from email_campaigns where status = 'sending' ${ofOrgs(orgIds)} order by started_at, id`.execute(db)
  return rows.rows.map((r) => r.id)
}

/** A due scheduled campaign, locked; undefined when another worker holds it or it is no longer due. */
export async function lockDueCampaign(tx: Executor, id: string): Promise<CampaignRow | undefined> {
  const locked = await sql<CampaignRow>`
    select * from email_campaigns where id = ${id} and status = 'scheduled' and scheduled_at <= now()
    for update skip locked`.execute(tx)
  return locked.rows[0]
}

/** A sending campaign, locked; undefined when another worker holds it or it stopped sending. */
export async function lockSendingCampaign(tx: Executor, id: string): Promise<CampaignRow | undefined> {
  const locked = await sql<CampaignRow>`
    select * from email_campaigns where id = ${id} and status = 'sending' for update skip locked`.execute(tx)
  return locked.rows[0]
}

export async function markSending(tx: Executor, id: string): Promise<void> {
  await tx
    .updateTable('email_campaigns')
    .set({ status: 'sending', started_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute()
}

/** Serializes the queuing step across workers (until the transaction ends), so the rate counts it reads are exact. */
export async function lockCampaignQueue(tx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('rapport_campaign_queue'))`.execute(tx)
}
