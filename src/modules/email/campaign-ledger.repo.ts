import { type Insertable, type RawBuilder, sql } from 'kysely'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor, Tx } from '../../db/schema.js'
import type { EmailsTable } from '../../db/schema-email.js'
import { newId } from '../../lib/ids.js'
import { emit } from '../../outbox/emit.js'
import type { ContactRow } from '../contacts/contacts.repo.js'
import type { CampaignRow } from './campaigns.repo.js'
import { campaignCompleted } from './email.events.js'

/**
 * Writes the send ledger of a campaign that starts sending: one row per recipient address, from its
 * lists' subscribed members and its segments' matches (evaluated now), contacts with an email only,
 * one row per address (unique index). Recipients whose subscription is not `subscribed` get a
 * `skipped` row with the reason, so they are counted. The row id is derived from the campaign and
 * the contact, so writing the ledger twice adds nothing. Returns the number of rows.
 */
export async function writeLedger(tx: Tx, campaign: CampaignRow, segmentFilters: RawBuilder<boolean>[]) {
  const inLists =
    campaign.list_ids.length > 0
      ? sql<boolean>`contacts.id in (select m.contact_id from email_list_members m
          where m.list_id = any(${campaign.list_ids}::text[]) and m.status = 'subscribed' and m.org_id = ${campaign.org_id})`
      : sql<boolean>`false`
  const audience = sql.join([inLists, ...segmentFilters], sql` or `)
  const result = await sql`
    insert into email_campaign_sends (id, campaign_id, contact_id, org_id, livemode, to_email, status, skip_reason)
    select distinct on (lower(contacts.email))
      'cms_' || substr(${campaign.id}, 5) || substr(contacts.id, 3), ${campaign.id}, contacts.id,
      contacts.org_id, contacts.livemode, contacts.email,
      case when coalesce(s.status, 'subscribed') = 'subscribed' then 'pending' else 'skipped' end,
      case when coalesce(s.status, 'subscribed') = 'subscribed' then null else s.status end
    from contacts
    left join email_subscriptions s on s.contact_id = contacts.id
    where contacts.org_id = ${campaign.org_id} and contacts.livemode = ${campaign.livemode}
      and contacts.email is not null and (${audience})
    order by lower(contacts.email), contacts.created_at, contacts.id
    on conflict do nothing`.execute(tx)
  return Number(result.numAffectedRows ?? 0)
}

export interface PendingSend {
  id: string
  contact_id: string | null
  to_email: string
}

/** Claims up to `limit` pending rows of a campaign for this transaction. `for update skip locked`: two workers never take one row. */
export async function claimPendingSends(tx: Tx, campaignId: string, limit: number): Promise<PendingSend[]> {
  const result = await sql<PendingSend>`
    select id, contact_id, to_email from email_campaign_sends
    where campaign_id = ${campaignId} and status = 'pending'
    order by id
    limit ${limit}
    for update skip locked`.execute(tx)
  return result.rows
}

export function contactsById(tx: Executor, scope: TenantScope, ids: string[]): Promise<ContactRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return tx
    .selectFrom('contacts')
    .selectAll()
    .where('org_id', '=', scope.orgId)
    .where('livemode', '=', scope.livemode)
    .where('id', 'in', ids)
    .execute() as Promise<ContactRow[]>
}

/**
 * Queues the messages of claimed ledger rows in the claiming transaction: the `emails` rows (the
 * outbox the email workers send from), their `queued` history, and the rows marked `queued` with
 * their message. Either all of it commits or none: a recipient is queued exactly once.
 */
export async function queueCampaignEmails(tx: Tx, emails: Insertable<EmailsTable>[]): Promise<void> {
  if (emails.length === 0) return
  await tx.insertInto('emails').values(emails).execute()
  await tx
    .insertInto('email_events')
    .values(emails.map((e) => ({ id: newId('emailEvent'), email_id: e.id, type: 'queued' as const, detail: null })))
    .execute()
  await sql`
    update email_campaign_sends s set status = 'queued', email_id = e.id, updated_at = now()
    from emails e
    where e.campaign_send_id = s.id and e.id = any(${emails.map((e) => e.id)}::text[])`.execute(tx)
}

/** How many campaign messages were queued in the last second, overall and for one organization (the rate limits). */
export async function queuedInLastSecond(tx: Executor, orgId: string) {
  const result = await sql<{ overall: number; org: number }>`
    select count(*)::int as overall, (count(*) filter (where org_id = ${orgId}))::int as org
    from emails where campaign_id is not null and created_at > now() - interval '1 second'`.execute(tx)
  return result.rows[0] ?? { overall: 0, org: 0 }
}

/** Campaign messages queued but not handed to a worker yet (the backlog between the ledger and the workers). */
export async function unclaimedCount(tx: Executor, campaignId: string): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from emails
    where campaign_id = ${campaignId} and status = 'queued' and leased_by is null`.execute(tx)
  return result.rows[0]?.n ?? 0
}

/**
 * On pause or cancel: takes back the campaign's messages that no worker has claimed (never
 * attempted, so never sent): they are deleted and their ledger rows become `pending` again (or
 * `cancelled`). A message a worker holds, or held when it died, stays: it will be sent, with its
 * Message-ID, and counted.
 */
export async function withdrawUnclaimed(tx: Tx, campaignId: string, to: 'pending' | 'cancelled'): Promise<number> {
  const withdrawn = await sql<{ campaign_send_id: string }>`
    with c as (
      select id from emails
      where campaign_id = ${campaignId} and status = 'queued' and leased_by is null and attempt_count = 0
      for update skip locked
    )
    delete from emails e using c where e.id = c.id
    returning e.campaign_send_id`.execute(tx)
  const ids = withdrawn.rows.map((r) => r.campaign_send_id)
  if (ids.length > 0) {
    await sql`update email_campaign_sends set status = ${to}, email_id = null, updated_at = now()
      where id = any(${ids}::text[])`.execute(tx)
  }
  if (to === 'cancelled') {
    await sql`update email_campaign_sends set status = 'cancelled', updated_at = now()
      where campaign_id = ${campaignId} and status = 'pending'`.execute(tx)
  }
  return ids.length
}

/** A ledger row whose message could not be rendered for its contact: failed, with the reason. */
export async function failUnrenderable(tx: Tx, sendId: string, reason: string): Promise<void> {
  await tx
    .updateTable('email_campaign_sends')
    .set({ status: 'failed', skip_reason: `render: ${reason}`.slice(0, 500), updated_at: sql`now()` })
    .where('id', '=', sendId)
    .execute()
}

/**
 * Completes a sending campaign with nothing left pending or queued, and emits `campaign.completed`
 * in the same transaction. The update is its own guard: of two transactions trying, the second
 * finds the campaign no longer `sending`, so the event fires once. Returns whether it completed.
 */
export async function completeIfDone(tx: Tx, campaignId: string): Promise<boolean> {
  const done = await sql<{ id: string; name: string; org_id: string; livemode: boolean }>`
    update email_campaigns c set status = 'completed', completed_at = now(), updated_at = now()
    where c.id = ${campaignId} and c.status = 'sending'
      and not exists (select 1 from email_campaign_sends s
        where s.campaign_id = c.id and s.status in ('pending', 'queued'))
    returning c.id, c.name, c.org_id, c.livemode`.execute(tx)
  const row = done.rows[0]
  if (!row) return false
  const counts = await sql<{ sent: number; failed: number }>`
    select (count(*) filter (where status in ('sent', 'delivered')))::int as sent,
           (count(*) filter (where status = 'failed'))::int as failed
    from email_campaign_sends where campaign_id = ${campaignId}`.execute(tx)
  const { sent, failed } = counts.rows[0] ?? { sent: 0, failed: 0 }
  await emit(tx, { orgId: row.org_id, livemode: row.livemode }, campaignCompleted, {
    id: row.id,
    name: row.name,
    sent,
    failed,
  })
  return true
}

/** Recipients of a campaign that its ledger skipped (suppressed, unsubscribed). */
export async function skippedSendCount(tx: Executor, campaignId: string): Promise<number> {
  const skipped = await sql<{ n: number }>`select count(*)::int as n from email_campaign_sends
    where campaign_id = ${campaignId} and status = 'skipped'`.execute(tx)
  return skipped.rows[0]?.n ?? 0
}
