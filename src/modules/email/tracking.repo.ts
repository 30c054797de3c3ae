import { sql } from 'kysely'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { emit } from '../../outbox/emit.js'
import { emailClicked, emailOpened } from './email.events.js'
import type { GeoLocation } from './geoip.js'
import type { ClientInfo } from './user-agent.js'

export interface TrackedEmail {
  id: string
  org_id: string
  livemode: boolean
  to_email: string
  contact_id: string | null
  campaign_id: string | null
  campaign_send_id: string | null
  sent_at: Date | null
  subject: string
  from_email: string
}

export function findTrackedEmail(db: Executor, emailId: string): Promise<TrackedEmail | undefined> {
  return db
    .selectFrom('emails')
    .select([
      'id',
      'org_id',
      'livemode',
      'to_email',
      'contact_id',
      'campaign_id',
      'campaign_send_id',
      'sent_at',
      'subject',
      'from_email',
    ])
    .where('id', '=', emailId)
    .executeTakeFirst()
}

/**
 * Records one open or click: the event row (user agent parsed, country and region looked up,
 * machine fetches labelled with the reason), the send's counters (first time, total, human), and `email.opened` / `email.clicked`,
 * in one transaction.
 */
export async function recordTracking(
  db: Db,
  email: TrackedEmail,
  hit: {
    type: 'open' | 'click'
    url: string | null
    userAgent: string | null
    client: ClientInfo
    /** From the client address and RAPPORT_GEOIP_DB; both null without a database. */
    location: GeoLocation
    machineReason: string | null
  },
): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx
      .insertInto('email_tracking_events')
      .values({
        id: newId('trackingEvent'),
        org_id: email.org_id,
        livemode: email.livemode,
        email_id: email.id,
        campaign_id: email.campaign_id,
        type: hit.type,
        url: hit.url,
        user_agent: hit.userAgent?.slice(0, 1000) ?? null,
        os: hit.client.os,
        browser: hit.client.browser,
        webmail: hit.client.webmail,
        country: hit.location.country,
        region: hit.location.region?.slice(0, 200) ?? null,
        machine: hit.machineReason !== null,
        machine_reason: hit.machineReason,
      })
      .execute()
    if (email.campaign_send_id) {
      const human = hit.machineReason === null ? 1 : 0
      const set =
        hit.type === 'open'
          ? {
              first_opened_at: sql<Date>`coalesce(first_opened_at, now())`,
              open_count: sql<number>`open_count + 1`,
              human_open_count: sql<number>`human_open_count + ${human}`,
            }
          : {
              first_clicked_at: sql<Date>`coalesce(first_clicked_at, now())`,
              click_count: sql<number>`click_count + 1`,
              human_click_count: sql<number>`human_click_count + ${human}`,
            }
      await tx.updateTable('email_campaign_sends').set(set).where('id', '=', email.campaign_send_id).execute()
    }
    const data = {
      id: email.id,
      email: email.to_email,
      contact_id: email.contact_id,
      campaign_id: email.campaign_id,
      occurred_at: new Date().toISOString(),
      machine: hit.machineReason !== null,
      machine_reason: hit.machineReason,
      subject: email.subject,
      from: email.from_email,
    }
    const scope = { orgId: email.org_id, livemode: email.livemode }
    if (hit.type === 'open') await emit(tx, scope, emailOpened, data)
    else await emit(tx, scope, emailClicked, { ...data, url: hit.url ?? '' })
  })
}

/** Opens and clicks of one message, oldest first (for its page and the tests). */
export function trackingEventsOf(db: Executor, emailId: string) {
  return db.selectFrom('email_tracking_events').selectAll().where('email_id', '=', emailId).orderBy('id').execute()
}

export interface SendOwner {
  id: string
  org_id: string
  livemode: boolean
  contact_id: string | null
  to_email: string
  campaign_id: string
  email_id: string | null
  /** The message's subject and sender (null before the send was queued). */
  subject: string | null
  from_email: string | null
}

export function findSend(db: Executor, sendId: string): Promise<SendOwner | undefined> {
  return db
    .selectFrom('email_campaign_sends as s')
    .leftJoin('emails as e', 'e.id', 's.email_id')
    .select([
      's.id',
      's.org_id',
      's.livemode',
      's.contact_id',
      's.to_email',
      's.campaign_id',
      's.email_id',
      'e.subject',
      'e.from_email',
    ])
    .where('s.id', '=', sendId)
    .executeTakeFirst()
}
