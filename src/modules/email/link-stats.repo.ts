import { sql } from 'kysely'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'

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
