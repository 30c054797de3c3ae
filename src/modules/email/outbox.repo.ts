import { sql } from 'kysely'
import type { Db, Executor, Tx } from '../../db/schema.js'
import { inTransaction, onCommit } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { afterOutbox, type BatchEvent, batchEvent, outboxBatchCtes } from '../../outbox/emit.js'
import { completeIfDone } from './campaign-ledger.repo.js'
import { emailDelivered, emailSent } from './email.events.js'
import type { EmailRow } from './emails.repo.js'

/** The channel that wakes email workers after a message is queued (PostgreSQL LISTEN/NOTIFY). */
export const EMAILS_CHANNEL = 'rapport_emails'

/** Wakes the email workers once `tx` commits (a lost wake-up only costs latency: workers also poll). */
export function wakeEmailWorkersAfter(tx: Executor): void {
  const notify = (db: Db) => {
    sql`select pg_notify(${EMAILS_CHANNEL}, '')`.execute(db).catch(() => {})
  }
  if (!onCommit(tx, notify) && !tx.isTransaction) notify(tx as Db)
}

/**
 * Claims up to `limit` due messages for `workerId` until `leaseMs` from now. `for update skip
 * locked`: two workers never claim one message. An expired lease (a worker killed mid-send) makes
 * the message due again, so nothing is lost; it is then sent again with the same Message-ID.
 */
export async function claimDueEmails(
  db: Db,
  workerId: string,
  limit: number,
  leaseMs: number,
  orgIds?: readonly string[],
): Promise<EmailRow[]> {
  const ofOrgs = orgIds ? sql`and org_id = any(${[...orgIds]}::text[])` : sql``
  const result = await sql<EmailRow>`
    with due as (
      select id from emails
      where status = 'queued' and next_attempt_at <= now()
        and (lease_expires_at is null or lease_expires_at < now()) ${ofOrgs}
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    update emails e
    set lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}), leased_by = ${workerId}, updated_at = now()
    from due where e.id = due.id
    returning e.*`.execute(db)
  return result.rows
}

export type SendRecord =
  | { kind: 'sent'; transport: 'smtp' | 'mailbox'; isDelivered: boolean; response: string }
  | { kind: 'deferred'; error: string; nextAttemptAt: Date }
  | { kind: 'failed'; error: string }

const eventData = (email: EmailRow, occurredAt: Date) => ({
  id: email.id,
  email: email.to_email,
  contact_id: email.contact_id,
  campaign_id: email.campaign_id,
  occurred_at: occurredAt.toISOString(),
  subject: email.subject,
  from: email.from_email,
})

/** One attempt's outcome to record. */
export interface SendOutcomeRecord {
  email: EmailRow
  record: SendRecord
  /** More to write in the same transaction once the outcome is recorded (a bounce: deliverability). */
  alsoRecord?: ((tx: Tx) => Promise<unknown>) | undefined
}

/**
 * Records what became of one attempt, with its history row and its events (`email.sent`, and
 * `email.delivered` when the next hop accepted it) in one transaction; only while `workerId` still
 * holds the lease, so a worker whose lease ran out never overwrites the one that took over.
 * Returns false when the lease was lost.
 */
export async function recordSend(
  db: Db,
  workerId: string,
  email: EmailRow,
  record: SendRecord,
  alsoRecord?: (tx: Tx) => Promise<unknown>,
): Promise<boolean> {
  const [recorded] = await recordSends(db, workerId, [{ email, record, alsoRecord }])
  return recorded ?? false
}

/**
 * Records the outcomes of many attempts: what `recordSend` does for one, for the email worker's
 * batches (decision 0032), in one statement whatever their number: the messages (only those
 * `workerId` still leases), their ledger rows, their history rows and their events (`email.sent`,
 * `email.delivered`, with their webhook deliveries), atomically. Then, for a campaign left with
 * nothing pending or queued, `campaign.completed` in a transaction of its own (after the events of
 * its last messages). Outcomes with more to write (a bounce) go in one transaction with it all.
 * Returns, per outcome, whether it was recorded (false: the lease was lost).
 */
export async function recordSends(db: Db, workerId: string, outcomes: SendOutcomeRecord[]): Promise<boolean[]> {
  if (outcomes.length === 0) return []
  if (outcomes.some((o) => o.alsoRecord)) {
    return inTransaction(db, async (tx) => {
      const { held, campaigns } = await writeOutcomes(tx, workerId, outcomes)
      for (const o of outcomes) if (held.has(o.email.id)) await o.alsoRecord?.(tx)
      for (const id of campaigns) await completeIfDone(tx, id)
      return outcomes.map((o) => held.has(o.email.id))
    })
  }
  const { held, campaigns } = await writeOutcomes(db, workerId, outcomes)
  for (const id of campaigns) await inTransaction(db, (tx) => completeIfDone(tx, id))
  return outcomes.map((o) => held.has(o.email.id))
}

const statusOf = (r: SendRecord) =>
  r.kind === 'sent' ? (r.isDelivered ? 'delivered' : 'sent') : r.kind === 'failed' ? 'failed' : 'queued'

/**
 * The one statement of `recordSends`. Returns the messages it recorded and the campaigns that may
 * be finished: those with no ledger row pending or queued but the ones this statement finished
 * (its own updates are not visible to it).
 */
async function writeOutcomes(executor: Executor, workerId: string, outcomes: SendOutcomeRecord[]) {
  const now = new Date()
  const at = now.toISOString()
  const history: { id: string; email_id: string; type: string; detail: string | null }[] = []
  const events: BatchEvent[] = []
  const eventKeys: string[] = []
  for (const { email, record } of outcomes) {
    const scope = { orgId: email.org_id, livemode: email.livemode }
    if (record.kind === 'sent') {
      const detail = record.transport === 'mailbox' ? record.response : null
      history.push({ id: newId('emailEvent'), email_id: email.id, type: 'sent', detail })
      events.push(batchEvent(scope, emailSent, eventData(email, now)))
      eventKeys.push(email.id)
      if (record.isDelivered) {
        history.push({ id: newId('emailEvent'), email_id: email.id, type: 'delivered', detail: record.response })
        events.push(batchEvent(scope, emailDelivered, eventData(email, now)))
        eventKeys.push(email.id)
      }
    } else {
      history.push({ id: newId('emailEvent'), email_id: email.id, type: record.kind, detail: record.error })
    }
  }
  const outbox = events.length > 0 ? sql`, ${outboxBatchCtes(events, eventKeys, sql`select id from updated`)}` : sql``
  const deliveries = events.length > 0 ? sql`(select count(*) from fanned_out)::int` : sql`0`
  const result = await sql<{ ids: string[] | null; campaigns: string[] | null; deliveries: number }>`
    with v as (
      select * from unnest(
        ${outcomes.map((o) => o.email.id)}::text[],
        ${outcomes.map((o) => o.record.kind)}::text[],
        ${outcomes.map((o) => statusOf(o.record))}::text[],
        ${outcomes.map((o) => (o.record.kind === 'sent' ? o.record.transport : null))}::text[],
        ${outcomes.map((o) => (o.record.kind === 'sent' && o.record.isDelivered ? at : null))}::timestamptz[],
        ${outcomes.map((o) => (o.record.kind === 'deferred' ? o.record.nextAttemptAt.toISOString() : null))}::timestamptz[],
        ${outcomes.map((o) => (o.record.kind === 'sent' ? null : o.record.error))}::text[]
      ) as v(id, kind, status, transport, delivered_at, next_attempt_at, error)
    ), updated as (
      update emails e set
        status = v.status,
        attempt_count = e.attempt_count + 1,
        lease_expires_at = null,
        leased_by = null,
        updated_at = ${at}::timestamptz,
        transport = coalesce(v.transport, e.transport),
        sent_at = case when v.kind = 'sent' then ${at}::timestamptz else e.sent_at end,
        delivered_at = case when v.kind = 'sent' then v.delivered_at else e.delivered_at end,
        failed_at = case when v.kind = 'failed' then ${at}::timestamptz else e.failed_at end,
        next_attempt_at = coalesce(v.next_attempt_at, e.next_attempt_at),
        last_error = v.error
      from v
      where e.id = v.id and e.leased_by = ${workerId} and e.status = 'queued'
      returning e.id, e.campaign_id, e.campaign_send_id, v.kind, v.status
    ), ledger as (
      update email_campaign_sends s set status = u.status, updated_at = now()
      from updated u
      where s.id = u.campaign_send_id and u.kind <> 'deferred' and s.status = 'queued'
      returning s.id, s.campaign_id
    ), history as (
      insert into email_events (id, email_id, type, detail)
      select h.id, h.email_id, h.type, h.detail
      from unnest(${history.map((h) => h.id)}::text[], ${history.map((h) => h.email_id)}::text[],
        ${history.map((h) => h.type)}::text[], ${history.map((h) => h.detail)}::text[]) as h(id, email_id, type, detail)
      where h.email_id in (select id from updated)
      order by h.id
      returning 1
    )${outbox}
    select
      (select array_agg(id) from updated) as ids,
      (select array_agg(distinct l.campaign_id) from ledger l
        where not exists (select 1 from email_campaign_sends s
          where s.campaign_id = l.campaign_id and s.status in ('pending', 'queued')
            and s.id not in (select id from ledger))) as campaigns,
      ${deliveries} as deliveries`.execute(executor)
  const row = result.rows[0]
  await afterOutbox(executor, row?.deliveries ?? 0)
  return { held: new Set(row?.ids ?? []), campaigns: row?.campaigns ?? [] }
}

/** Gives claimed messages back (graceful shutdown): they are due again at once for another worker. */
export async function releaseEmailLeases(db: Executor, workerId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('emails')
    .set({ lease_expires_at: null, leased_by: null })
    .where('leased_by', '=', workerId)
    .where('id', 'in', ids)
    .execute()
}
