import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { EmailSendersTable } from '../../db/schema-email.js'
import { findScoped, scoped, scopedDelete, scopedUpdate, updateScopedReturning } from '../../db/scoped.js'
import { NEWEST_FIRST } from './email.schema-parts.js'

export type SenderRow = Omit<Selectable<EmailSendersTable>, 'org_id' | 'livemode'>
const COLUMNS = ['id', 'email', 'name', 'reply_to', 'is_default', 'created_at', 'updated_at'] as const

export async function insertSender(
  db: Executor,
  scope: TenantScope,
  row: Pick<SenderRow, 'id' | 'email' | 'name' | 'reply_to' | 'is_default'>,
): Promise<SenderRow | undefined> {
  return db
    .insertInto('email_senders')
    .values({ ...row, org_id: scope.orgId, livemode: scope.livemode })
    .onConflict((oc) => oc.expression(sql`org_id, livemode, lower(email)`).doNothing())
    .returning(COLUMNS)
    .executeTakeFirst()
}

export function findSender(db: Executor, scope: TenantScope, id: string): Promise<SenderRow | undefined> {
  return findScoped(db, 'email_senders', scope, id, COLUMNS)
}

export function findSenderByEmail(db: Executor, scope: TenantScope, email: string): Promise<SenderRow | undefined> {
  return scoped(db, 'email_senders', scope)
    .select(COLUMNS)
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .executeTakeFirst()
}

export function findDefaultSender(db: Executor, scope: TenantScope): Promise<SenderRow | undefined> {
  return scoped(db, 'email_senders', scope).select(COLUMNS).where('is_default', '=', true).executeTakeFirst()
}

export async function countSenders(db: Executor, scope: TenantScope): Promise<number> {
  const row = await scoped(db, 'email_senders', scope)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

/** Clears the default flag of the scope's senders (before another becomes the default). */
export async function clearDefaultSender(db: Executor, scope: TenantScope): Promise<void> {
  await scopedUpdate(db, 'email_senders', scope)
    .set({ is_default: false, updated_at: sql`now()` })
    .where('is_default', '=', true)
    .execute()
}

export function updateSender(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Partial<Pick<SenderRow, 'name' | 'reply_to' | 'is_default'>>,
): Promise<SenderRow | undefined> {
  return updateScopedReturning(
    db,
    'email_senders',
    scope,
    id,
    { ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` },
    COLUMNS,
  )
}

export function deleteSender(db: Executor, scope: TenantScope, id: string): Promise<SenderRow | undefined> {
  return scopedDelete(db, 'email_senders', scope).where('id', '=', id).returning(COLUMNS).executeTakeFirst()
}

export function listSenders(db: Executor, scope: TenantScope, query: PageParams) {
  return paginate(
    scoped(db, 'email_senders', scope),
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}
