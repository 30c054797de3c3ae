import type { Executor } from '../../../db/schema.js'
import type { EmailInboundReportsTable } from '../../../db/schema-inbound-reports.js'

/** What a report is matched against and recorded on: the send, by its id. */
export interface ReportedEmail {
  id: string
  org_id: string
  livemode: boolean
  to_email: string
  contact_id: string | null
  campaign_id: string | null
  subject: string
  from_email: string
  message_id: string
}

/**
 * The send a return path names. Deliberately not scoped by organization: the signed return path
 * is the proof, and the scope of everything recorded is then read from this row.
 */
export function findReportedEmail(db: Executor, emailId: string): Promise<ReportedEmail | undefined> {
  return db
    .selectFrom('emails')
    .select([
      'id',
      'org_id',
      'livemode',
      'to_email',
      'contact_id',
      'campaign_id',
      'subject',
      'from_email',
      'message_id',
    ])
    .where('id', '=', emailId)
    .executeTakeFirst()
}

/**
 * Claims the one report of this kind a send may have. False when one was recorded already; a
 * second transaction claiming at the same time waits on the key and then gets false.
 */
export async function claimInboundReport(
  db: Executor,
  row: Omit<EmailInboundReportsTable, 'created_at' | 'bounce_id'>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('email_inbound_reports')
    .values(row)
    .onConflict((oc) => oc.columns(['email_id', 'source']).doNothing())
    .returning('email_id')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function linkInboundReport(db: Executor, emailId: string, source: 'dsn' | 'arf', bounceId: string) {
  await db
    .updateTable('email_inbound_reports')
    .set({ bounce_id: bounceId })
    .where('email_id', '=', emailId)
    .where('source', '=', source)
    .execute()
}
