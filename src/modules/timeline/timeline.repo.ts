import { type RawBuilder, type Selectable, sql } from 'kysely'
import { type ListResult, type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { EmailsTable } from '../../db/schema-email.js'
import type { BookingsTable } from '../../db/schema-scheduling.js'
import { scoped } from '../../db/scoped.js'
import type { TimelineItemType } from './timeline.schemas.js'

/** One entry of a contact's timeline, before its object is loaded. */
export interface TimelineEntry {
  type: TimelineItemType
  object_id: string
  occurred_at: Date
}

/** The tables the timeline reads entries from. */
export type EntryTable = 'activities' | 'notes' | 'deals' | 'tasks' | 'form_responses' | 'bookings' | 'emails'

const ofContact = (scope: TenantScope, contactId: string) =>
  sql`org_id = ${scope.orgId} and livemode = ${scope.livemode} and contact_id = ${contactId}`

/**
 * Per table, a select of `(type, object_id, occurred_at)` rows for one contact, one row per entry
 * (a deal yields its creation, win and loss). Each reads the table's index on `contact_id`.
 */
export const ENTRY_QUERIES: Record<EntryTable, (scope: TenantScope, contactId: string) => RawBuilder<unknown>> = {
  activities: (scope, contactId) =>
    sql`select 'activity' as type, id as object_id, occurred_at from activities where ${ofContact(scope, contactId)}`,
  notes: (scope, contactId) =>
    sql`select 'note' as type, id as object_id, created_at as occurred_at from notes where ${ofContact(scope, contactId)}`,
  deals: (scope, contactId) => sql`
    select 'deal.created' as type, id as object_id, created_at as occurred_at from deals where ${ofContact(scope, contactId)}
    union all
    select 'deal.won', id, won_at from deals where ${ofContact(scope, contactId)} and won_at is not null
    union all
    select 'deal.lost', id, lost_at from deals where ${ofContact(scope, contactId)} and lost_at is not null`,
  tasks: (scope, contactId) => sql`
    select 'task.created' as type, id as object_id, created_at as occurred_at from tasks where ${ofContact(scope, contactId)}
    union all
    select 'task.completed', id, completed_at from tasks where ${ofContact(scope, contactId)} and completed_at is not null`,
  form_responses: (scope, contactId) =>
    sql`select 'form_response.created' as type, id as object_id, created_at as occurred_at from form_responses where ${ofContact(scope, contactId)}`,
  // The booking's contact is the guest's (found or created by email when the guest booked).
  bookings: (scope, contactId) => sql`
    select 'booking.created' as type, id as object_id, created_at as occurred_at from bookings where ${ofContact(scope, contactId)}
    union all
    select 'booking.rescheduled', id, rescheduled_at from bookings where ${ofContact(scope, contactId)} and rescheduled_at is not null
    union all
    select 'booking.cancelled', id, cancelled_at from bookings where ${ofContact(scope, contactId)} and cancelled_at is not null`,
  // An email enters the timeline once it left (sent) or was given up (failed), not while queued.
  emails: (scope, contactId) => sql`
    select 'email.sent' as type, id as object_id, sent_at as occurred_at from emails where ${ofContact(scope, contactId)} and sent_at is not null
    union all
    select 'email.failed', id, failed_at from emails where ${ofContact(scope, contactId)} and failed_at is not null`,
}

/** An entry's unique key, and the tie-breaker of entries that happened at the same instant. */
const ENTRY_KEY = sql<string>`(t.type || ':' || t.object_id)`

/**
 * One page of a contact's entries from `tables`, newest first: the `union all` of their entry
 * queries, narrowed to `types` when given, keyset-paginated on `(occurred_at, type:id)`.
 */
export async function pageEntries(
  db: Executor,
  scope: TenantScope,
  contactId: string,
  tables: readonly EntryTable[],
  types: readonly string[] | undefined,
  query: PageParams,
): Promise<ListResult<TimelineEntry & { id: string }>> {
  const union = sql.join(
    tables.map((table) => ENTRY_QUERIES[table](scope, contactId)),
    sql` union all `,
  )
  let base = db.selectFrom(sql<TimelineEntry>`(${union})`.as('t'))
  if (types) base = base.where(sql<boolean>`t.type = any(${[...types]}::text[])`)
  return paginate(
    base,
    (qb) => qb.select([ENTRY_KEY.as('id'), 't.type', 't.object_id', 't.occurred_at']),
    ENTRY_KEY,
    { name: 'occurred_at', expression: sql`t.occurred_at`, castTo: 'timestamptz', descending: true },
    query,
  ) as Promise<ListResult<TimelineEntry & { id: string }>>
}

export type EmailRow = Selectable<EmailsTable>

/** The emails of these ids in the scope. */
export async function findEmails(db: Executor, scope: TenantScope, ids: string[]): Promise<EmailRow[]> {
  if (ids.length === 0) return []
  return scoped(db, 'emails', scope).selectAll().where('id', 'in', ids).execute()
}

/** A booking row with its host's name, email and username: what the bookings API builds its objects from. */
export type TimelineBookingRow = Selectable<BookingsTable> & {
  host_name: string
  host_email: string
  host_username: string
}

/** The bookings of these ids in the scope, with their hosts. */
export async function findBookings(db: Executor, scope: TenantScope, ids: string[]): Promise<TimelineBookingRow[]> {
  if (ids.length === 0) return []
  return db
    .selectFrom('bookings as b')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .selectAll('b')
    .select(['u.name as host_name', 'u.email as host_email', 'u.username as host_username'])
    .where('b.org_id', '=', scope.orgId)
    .where('b.livemode', '=', scope.livemode)
    .where('b.id', 'in', ids)
    .execute()
}
