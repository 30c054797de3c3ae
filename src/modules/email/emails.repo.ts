import { type Insertable, type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { EmailEventsTable, EmailsTable, MailboxMessagesTable } from '../../db/schema-email.js'
import { scoped } from '../../db/scoped.js'
import { newId } from '../../lib/ids.js'
import { NEWEST_FIRST } from './email.schema-parts.js'
import type { EmailListQuery, MailboxListQuery } from './emails.schemas.js'

export type EmailRow = Selectable<EmailsTable>
export type EmailEventRow = Pick<Selectable<EmailEventsTable>, 'type' | 'detail' | 'created_at'>

export async function insertEmail(db: Executor, row: Insertable<EmailsTable>): Promise<EmailRow> {
  return db.insertInto('emails').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function insertEmailEvent(
  db: Executor,
  emailId: string,
  type: EmailEventRow['type'],
  detail: string | null = null,
): Promise<void> {
  await db
    .insertInto('email_events')
    .values({ id: newId('emailEvent'), email_id: emailId, type, detail })
    .execute()
}

export function findEmail(db: Executor, scope: TenantScope, id: string): Promise<EmailRow | undefined> {
  return scoped(db, 'emails', scope).selectAll().where('id', '=', id).executeTakeFirst()
}

export function findEmailEvents(db: Executor, emailId: string): Promise<EmailEventRow[]> {
  return db
    .selectFrom('email_events')
    .select(['type', 'detail', 'created_at'])
    .where('email_id', '=', emailId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export function listEmails(db: Executor, scope: TenantScope, query: EmailListQuery & PageParams) {
  let q = scoped(db, 'emails', scope)
  if (query.status !== undefined) q = q.where('status', '=', query.status)
  if (query.contact_id !== undefined) q = q.where('contact_id', '=', query.contact_id)
  if (query.category !== undefined) q = q.where('category', '=', query.category)
  return paginate(q, (qb) => qb.selectAll(), sql<string>`id`, { ...NEWEST_FIRST, expression: sql`created_at` }, query)
}

export interface MailboxRow {
  id: string
  email_id: string
  message_id: string
  from_email: string
  to_email: string
  subject: string
  html: string | null
  text: string
  created_at: Date
  raw?: string
}

const mailboxScoped = (db: Executor, scope: TenantScope) =>
  db
    .selectFrom('mailbox_messages as m')
    .innerJoin('emails as e', 'e.id', 'm.email_id')
    .where('m.org_id', '=', scope.orgId)
    .where('m.livemode', '=', scope.livemode)
const MAILBOX_COLUMNS = [
  'm.id',
  'm.email_id',
  'm.message_id',
  'e.from_email',
  'e.to_email',
  'e.subject',
  'e.html',
  'e.text',
  'm.created_at',
] as const

export function listMailbox(db: Executor, scope: TenantScope, query: MailboxListQuery & PageParams) {
  let q = mailboxScoped(db, scope)
  if (query.to !== undefined) q = q.where(sql<boolean>`lower(e.to_email) = lower(${query.to})`)
  return paginate(
    q,
    (qb) => qb.select(MAILBOX_COLUMNS),
    sql<string>`m.id`,
    { ...NEWEST_FIRST, expression: sql`m.created_at` },
    query,
  )
}

export function findMailboxMessage(db: Executor, scope: TenantScope, id: string): Promise<MailboxRow | undefined> {
  return mailboxScoped(db, scope)
    .select([...MAILBOX_COLUMNS, 'm.raw'])
    .where('m.id', '=', id)
    .executeTakeFirst()
}

/** Keeps a message's raw MIME in the development mailbox; a message stored twice is kept once. */
export async function insertMailboxMessage(
  db: Executor,
  row: Omit<Insertable<MailboxMessagesTable>, 'id' | 'created_at'>,
): Promise<void> {
  await db
    .insertInto('mailbox_messages')
    .values({ id: newId('mailboxMessage'), ...row })
    .onConflict((oc) => oc.column('email_id').doNothing())
    .execute()
}
