import { sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { NEWEST_FIRST } from './email.schema-parts.js'

interface LinkRow {
  url: string
  clicks: number
  human_clicks: number
  unique_clicks: number
  unique_human_clicks: number
  first_at: Date
  last_at: Date
}

/** Clicks per link of one message or one campaign, from the tracking events (indexed by both). */
export async function linkStats(db: Executor, scope: TenantScope, of: { emailId: string } | { campaignId: string }) {
  const owner = 'emailId' in of ? sql`email_id = ${of.emailId}` : sql`campaign_id = ${of.campaignId}`
  const rows = await sql<LinkRow>`
    select url, count(*)::int as clicks, (count(*) filter (where not machine))::int as human_clicks,
      count(distinct email_id)::int as unique_clicks,
      (count(distinct email_id) filter (where not machine))::int as unique_human_clicks,
      min(created_at) as first_at, max(created_at) as last_at
    from email_tracking_events
    where ${owner} and type = 'click' and url is not null
      and org_id = ${scope.orgId} and livemode = ${scope.livemode}
    group by url
    order by human_clicks desc, clicks desc, url
    limit 500`.execute(db)
  return {
    object: 'list' as const,
    data: rows.rows.map((r) => ({
      url: r.url,
      clicks: r.clicks,
      human_clicks: r.human_clicks,
      unique_clicks: r.unique_clicks,
      unique_human_clicks: r.unique_human_clicks,
      first_clicked_at: new Date(r.first_at).toISOString(),
      last_clicked_at: new Date(r.last_at).toISOString(),
    })),
  }
}

/** The opens and clicks of one message, newest first, paged (index: email_id, created_at). */
export async function listTrackingEvents(db: Executor, scope: TenantScope, emailId: string, page: PageParams) {
  const base = db
    .selectFrom('email_tracking_events')
    .where('email_id', '=', emailId)
    .where('org_id', '=', scope.orgId)
    .where('livemode', '=', scope.livemode)
  const result = await paginate(
    base,
    (qb) =>
      qb.select([
        'id',
        'type',
        'url',
        'user_agent',
        'os',
        'browser',
        'webmail',
        'country',
        'region',
        'machine',
        'machine_reason',
        'created_at',
      ]),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    page,
  )
  return {
    data: result.data.map((r) => ({
      ...r,
      object: 'email_tracking_event' as const,
      created_at: new Date(r.created_at).toISOString(),
    })),
    pagination: result.pagination,
  }
}

interface CountryRow {
  country: string | null
  opens: number
  human_opens: number
  clicks: number
  human_clicks: number
  unique_opens: number
  unique_clicks: number
}

/**
 * Opens and clicks of one campaign per country (null: unknown, or no GeoIP database), most human
 * opens first, then most human clicks. One grouped scan of the campaign's tracking events (index: campaign_id, type).
 */
export async function countryStats(db: Executor, scope: TenantScope, campaignId: string) {
  const rows = await sql<CountryRow>`
    select country,
      (count(*) filter (where type = 'open'))::int as opens,
      (count(*) filter (where type = 'open' and not machine))::int as human_opens,
      (count(*) filter (where type = 'click'))::int as clicks,
      (count(*) filter (where type = 'click' and not machine))::int as human_clicks,
      (count(distinct email_id) filter (where type = 'open'))::int as unique_opens,
      (count(distinct email_id) filter (where type = 'click'))::int as unique_clicks
    from email_tracking_events
    where campaign_id = ${campaignId} and org_id = ${scope.orgId} and livemode = ${scope.livemode}
    group by country
    order by human_opens desc, human_clicks desc, opens desc, clicks desc, country nulls last
    limit 300`.execute(db)
  return { object: 'list' as const, data: rows.rows }
}
