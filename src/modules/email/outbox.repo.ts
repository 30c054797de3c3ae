import { sql } from 'kysely'
import type { Db, Executor, Tx } from '../../db/schema.js'
import { inTransaction, onCommit } from '../../db/transaction.js'
import { emit } from '../../outbox/emit.js'
import { completeIfDone, recordLedgerOutcome } from './campaign-ledger.repo.js'
import { emailDelivered, emailSent } from './email.events.js'
import { type EmailRow, insertEmailEvent } from './emails.repo.js'

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
})

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
  /** More to write in the same transaction once the outcome is recorded (a bounce: deliverability). */
  alsoRecord?: (tx: Tx) => Promise<unknown>,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const now = new Date()
    const base = tx
      .updateTable('emails')
      .where('id', '=', email.id)
      .where('leased_by', '=', workerId)
      .where('status', '=', 'queued')
    const common = {
      attempt_count: sql<number>`attempt_count + 1`,
      lease_expires_at: null,
      leased_by: null,
      updated_at: now,
    }
    let updated: { id: string } | undefined
    if (record.kind === 'sent') {
      updated = await base
        .set({
          ...common,
          status: record.isDelivered ? 'delivered' : 'sent',
          transport: record.transport,
          sent_at: now,
          delivered_at: record.isDelivered ? now : null,
          last_error: null,
        })
        .returning('id')
        .executeTakeFirst()
    } else if (record.kind === 'deferred') {
      updated = await base
        .set({ ...common, next_attempt_at: record.nextAttemptAt, last_error: record.error })
        .returning('id')
        .executeTakeFirst()
    } else {
      updated = await base
        .set({ ...common, status: 'failed', failed_at: now, last_error: record.error })
        .returning('id')
        .executeTakeFirst()
    }
    if (!updated) return false
    const scope = { orgId: email.org_id, livemode: email.livemode }
    if (email.campaign_send_id && record.kind !== 'deferred') {
      await recordLedgerOutcome(
        tx,
        email.campaign_send_id,
        record.kind === 'failed' ? 'failed' : record.isDelivered ? 'delivered' : 'sent',
      )
    }
    if (record.kind === 'sent') {
      await insertEmailEvent(tx, email.id, 'sent', record.transport === 'mailbox' ? record.response : null)
      await emit(tx, scope, emailSent, eventData(email, now))
      if (record.isDelivered) {
        await insertEmailEvent(tx, email.id, 'delivered', record.response)
        await emit(tx, scope, emailDelivered, eventData(email, now))
      }
    } else {
      await insertEmailEvent(tx, email.id, record.kind, record.error)
    }
    await alsoRecord?.(tx)
    // After the events of the message: `campaign.completed` comes after the last `email.sent`.
    if (email.campaign_id && email.campaign_send_id && record.kind !== 'deferred') {
      await completeIfDone(tx, email.campaign_id)
    }
    return true
  })
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
