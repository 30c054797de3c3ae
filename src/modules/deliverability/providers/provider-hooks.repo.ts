import { type Insertable, type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import type { EmailProviderHooksTable } from '../../../db/schema-provider-hooks.js'
import { scoped, scopedDelete } from '../../../db/scoped.js'
import { newId } from '../../../lib/ids.js'
import { NEWEST_FIRST } from '../../email/email.schema-parts.js'
import type { BouncedMessage } from '../bounces.js'

export type ProviderHookRow = Selectable<EmailProviderHooksTable>
export type NewProviderHook = Omit<Insertable<EmailProviderHooksTable>, 'id' | 'org_id' | 'livemode' | 'created_at'>

/** How long a hook remembers the events and signature tokens it took (providers retry for days, not months). */
export const RECEIPT_RETENTION_DAYS = 30

const hooks = (db: Executor, scope: TenantScope) => scoped(db, 'email_provider_hooks', scope)

export function insertHook(db: Executor, scope: TenantScope, values: NewProviderHook): Promise<ProviderHookRow> {
  return db
    .insertInto('email_provider_hooks')
    .values({ id: newId('providerHook'), org_id: scope.orgId, livemode: scope.livemode, ...values })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function findHook(db: Executor, scope: TenantScope, id: string): Promise<ProviderHookRow | undefined> {
  return hooks(db, scope).selectAll().where('id', '=', id).executeTakeFirst()
}

/** The hook a receiving URL's token selects (its organization and mode come with it). */
export function findHookByToken(db: Executor, tokenHash: string): Promise<ProviderHookRow | undefined> {
  return db.selectFrom('email_provider_hooks').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
}

export function listHooks(db: Executor, scope: TenantScope, query: PageParams) {
  return paginate(
    hooks(db, scope),
    (qb) => qb.selectAll(),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  ) as Promise<{ data: ProviderHookRow[]; pagination: Awaited<ReturnType<typeof paginate>>['pagination'] }>
}

export async function deleteHook(db: Executor, scope: TenantScope, id: string): Promise<ProviderHookRow | undefined> {
  return scopedDelete(db, 'email_provider_hooks', scope).where('id', '=', id).returningAll().executeTakeFirst()
}

/** Notes that the hook received something (shown on the hook, so a user sees the provider reached it). */
export async function markReceived(db: Executor, hookId: string): Promise<void> {
  await db.updateTable('email_provider_hooks').set({ last_received_at: sql`now()` }).where('id', '=', hookId).execute()
}

/** An SES hook's subscription was confirmed: the topic is pinned when the hook had none. */
export async function markConfirmed(db: Executor, hookId: string, topicArn: string): Promise<void> {
  await db
    .updateTable('email_provider_hooks')
    .set({ confirmed_at: sql`now()`, topic_arn: sql`coalesce(topic_arn, ${topicArn})` })
    .where('id', '=', hookId)
    .execute()
}

/**
 * Remembers `key` for the hook; false when it was already taken (a retried event, a reused
 * signature token). In the caller's transaction, so a request that fails remembers nothing.
 */
export async function takeReceipt(db: Executor, hookId: string, key: string): Promise<boolean> {
  const result = await sql`
    insert into email_provider_receipts (hook_id, key) values (${hookId}, ${key.slice(0, 500)})
    on conflict do nothing
    returning hook_id`.execute(db)
  return result.rows.length > 0
}

/** Forgets the hook's receipts older than the retention. */
export async function purgeReceipts(db: Executor, hookId: string): Promise<void> {
  await sql`delete from email_provider_receipts
    where hook_id = ${hookId} and created_at < now() - make_interval(days => ${RECEIPT_RETENTION_DAYS})`.execute(db)
}

/** The messages of the organization and mode with these ids (at most a few: one per id a provider echoed). */
export async function findEmails(
  db: Executor,
  scope: TenantScope,
  ids: string[],
): Promise<(BouncedMessage & { id: string; message_id: string })[]> {
  if (ids.length === 0) return []
  return scoped(db, 'emails', scope)
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
    .where('id', 'in', ids)
    .execute()
}
