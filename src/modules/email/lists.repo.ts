import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { EmailListsTable, ListMemberStatus, SubscriptionStatus } from '../../db/schema-email.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import { NEWEST_FIRST } from './email.schema-parts.js'

export type ListRow = Omit<Selectable<EmailListsTable>, 'org_id' | 'livemode'> & {
  member_count: number
  pending_count: number
  unsubscribed_count: number
}
const COLUMNS = ['id', 'name', 'description', 'double_opt_in', 'created_at', 'updated_at'] as const

const countOf = (status: ListMemberStatus) =>
  sql<number>`(select count(*)::int from email_list_members m where m.list_id = email_lists.id and m.status = ${status})`

// biome-ignore lint/suspicious/noExplicitAny: any query over email_lists
const withCounts = (qb: any) =>
  qb
    .select(COLUMNS)
    .select([
      countOf('subscribed').as('member_count'),
      countOf('pending').as('pending_count'),
      countOf('unsubscribed').as('unsubscribed_count'),
    ])

export async function insertList(
  db: Executor,
  scope: TenantScope,
  row: { id: string; name: string; description: string | null; double_opt_in: boolean },
): Promise<void> {
  await db
    .insertInto('email_lists')
    .values({ ...row, org_id: scope.orgId, livemode: scope.livemode })
    .execute()
}

export function findList(db: Executor, scope: TenantScope, id: string): Promise<ListRow | undefined> {
  return withCounts(scoped(db, 'email_lists', scope).where('id', '=', id)).executeTakeFirst()
}

export function listLists(db: Executor, scope: TenantScope, query: PageParams) {
  return paginate(
    scoped(db, 'email_lists', scope),
    (qb) => withCounts(qb),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  ) as Promise<{ data: ListRow[]; pagination: Awaited<ReturnType<typeof paginate>>['pagination'] }>
}

/** Those of `ids` that are lists of the scope. */
export async function findListIds(db: Executor, scope: TenantScope, ids: string[]): Promise<string[]> {
  const found = await scoped(db, 'email_lists', scope).select('id').where('id', 'in', ids).execute()
  return found.map((r) => r.id)
}

export async function updateList(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Partial<{ name: string; description: string | null; double_opt_in: boolean }>,
): Promise<boolean> {
  const row = await scopedUpdate(db, 'email_lists', scope)
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function deleteList(db: Executor, scope: TenantScope, id: string): Promise<boolean> {
  const row = await scopedDelete(db, 'email_lists', scope).where('id', '=', id).returning('id').executeTakeFirst()
  return row !== undefined
}

/** The ids among `contactIds` that are contacts of the scope, with their email. */
export function findContacts(db: Executor, scope: TenantScope, contactIds: string[]) {
  return scoped(db, 'contacts', scope).select(['id', 'email', 'name']).where('id', 'in', contactIds).execute()
}

/**
 * Puts contacts on a list with `status` (`subscribed`, or `pending` for double opt-in). A member who
 * had left (`unsubscribed`) is put back: adding is an explicit act. Returns the contacts whose
 * membership changed.
 */
export async function upsertMembers(
  db: Executor,
  scope: TenantScope,
  listId: string,
  contactIds: string[],
  status: 'subscribed' | 'pending',
): Promise<string[]> {
  if (contactIds.length === 0) return []
  const rows = await db
    .insertInto('email_list_members')
    .values(
      contactIds.map((contact_id) => ({
        list_id: listId,
        contact_id,
        org_id: scope.orgId,
        livemode: scope.livemode,
        status,
        confirmed_at: null,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['list_id', 'contact_id'])
        .doUpdateSet({ status, unsubscribed_at: null, updated_at: sql`now()` })
        .where('email_list_members.status', '=', 'unsubscribed'),
    )
    .returning('contact_id')
    .execute()
  return rows.map((r) => r.contact_id)
}

export async function removeMembers(db: Executor, listId: string, contactIds: string[]): Promise<number> {
  const rows = await db
    .deleteFrom('email_list_members')
    .where('list_id', '=', listId)
    .where('contact_id', 'in', contactIds)
    .returning('contact_id')
    .execute()
  return rows.length
}

/** Sets members' status (confirm a pending member, or unsubscribe); returns how many changed. */
export async function setMemberStatus(
  db: Executor,
  listIds: string[] | 'all',
  contactId: string,
  status: 'subscribed' | 'unsubscribed',
): Promise<number> {
  let q = db
    .updateTable('email_list_members')
    .set({
      status,
      updated_at: sql`now()`,
      ...(status === 'subscribed' ? { confirmed_at: sql`now()` } : { unsubscribed_at: sql`now()` }),
    })
    .where('contact_id', '=', contactId)
    .where('status', '!=', status)
  if (listIds !== 'all') q = q.where('list_id', 'in', listIds)
  const rows = await q.returning('list_id').execute()
  return rows.length
}

export function listMembers(
  db: Executor,
  scope: TenantScope,
  listId: string,
  query: PageParams & { status?: ListMemberStatus },
) {
  let base = db
    .selectFrom('email_list_members as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .where('m.list_id', '=', listId)
    .where('m.org_id', '=', scope.orgId)
  if (query.status) base = base.where('m.status', '=', query.status)
  return paginate(
    base,
    (qb) =>
      qb.select([
        'm.contact_id as id',
        'c.email',
        'c.name',
        'm.status',
        'm.confirmed_at',
        'm.unsubscribed_at',
        'm.created_at',
      ]),
    sql<string>`m.contact_id`,
    { ...NEWEST_FIRST, expression: sql`m.created_at` },
    query,
  )
}

/** The lists a contact is on, with its status on each. */
export function listsOfContact(db: Executor, scope: TenantScope, contactId: string) {
  return db
    .selectFrom('email_list_members as m')
    .innerJoin('email_lists as l', 'l.id', 'm.list_id')
    .select(['l.id', 'l.name', 'm.status'])
    .where('m.contact_id', '=', contactId)
    .where('l.org_id', '=', scope.orgId)
    .where('l.livemode', '=', scope.livemode)
    .orderBy('l.name')
    .execute()
}

export function findSubscription(db: Executor, contactId: string) {
  return db
    .selectFrom('email_subscriptions')
    .select(['status', 'reason', 'updated_at'])
    .where('contact_id', '=', contactId)
    .executeTakeFirst()
}

/** Sets a contact's subscription status; returns whether it changed. */
export async function setSubscription(
  db: Executor,
  scope: TenantScope,
  contactId: string,
  status: SubscriptionStatus,
  reason: string | null,
): Promise<boolean> {
  const row = await db
    .insertInto('email_subscriptions')
    .values({ contact_id: contactId, org_id: scope.orgId, livemode: scope.livemode, status, reason })
    .onConflict((oc) =>
      oc
        .column('contact_id')
        .doUpdateSet({ status, reason, updated_at: sql`now()` })
        .where('email_subscriptions.status', '!=', status),
    )
    .returning('contact_id')
    .executeTakeFirst()
  return row !== undefined
}

/** Confirms a pending member (double opt-in). Returns the list's name, or undefined when there is no such membership. */
export async function confirmMember(
  db: Executor,
  listId: string,
  contactId: string,
): Promise<{ name: string; changed: boolean } | undefined> {
  const member = await db
    .selectFrom('email_list_members as m')
    .innerJoin('email_lists as l', 'l.id', 'm.list_id')
    .select(['l.name', 'm.status'])
    .where('m.list_id', '=', listId)
    .where('m.contact_id', '=', contactId)
    .executeTakeFirst()
  if (!member) return undefined
  if (member.status !== 'pending') return { name: member.name, changed: false }
  await db
    .updateTable('email_list_members')
    .set({ status: 'subscribed', confirmed_at: sql`now()`, updated_at: sql`now()` })
    .where('list_id', '=', listId)
    .where('contact_id', '=', contactId)
    .where('status', '=', 'pending')
    .execute()
  return { name: member.name, changed: true }
}
