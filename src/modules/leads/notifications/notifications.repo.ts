import { type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import type { NotificationsTable } from '../../../db/schema-leads.js'
import { scoped, scopedUpdate, updateScopedReturning } from '../../../db/scoped.js'
import { newId } from '../../../lib/ids.js'
import { NEWEST_FIRST } from '../schema-parts.js'

export type NotificationRow = Omit<Selectable<NotificationsTable>, 'org_id' | 'livemode'>
const COLUMNS = ['id', 'type', 'title', 'body', 'contact_id', 'subject_id', 'read_at', 'created_at'] as const

/** Records a notification for the organization, in the caller's transaction. */
export async function insertNotification(
  db: Executor,
  scope: TenantScope,
  values: Pick<NotificationRow, 'type' | 'title' | 'body' | 'contact_id' | 'subject_id'>,
): Promise<void> {
  await db
    .insertInto('notifications')
    .values({ id: newId('notification'), org_id: scope.orgId, livemode: scope.livemode, ...values })
    .execute()
}

const sortByCreation = { ...NEWEST_FIRST, expression: sql`created_at` }

export function listNotifications(
  db: Executor,
  scope: TenantScope,
  query: { unread?: boolean; type?: string } & PageParams,
) {
  let q = scoped(db, 'notifications', scope)
  if (query.unread === true) q = q.where('read_at', 'is', null)
  if (query.unread === false) q = q.where('read_at', 'is not', null)
  if (query.type !== undefined) q = q.where('type', '=', query.type)
  return paginate(q, (qb) => qb.select(COLUMNS), sql<string>`id`, sortByCreation, query)
}

/** Marks one notification read (a read one keeps its first `read_at`); undefined when the scope has none with this id. */
export function markNotificationRead(db: Executor, scope: TenantScope, id: string) {
  return updateScopedReturning(db, 'notifications', scope, id, { read_at: sql`coalesce(read_at, now())` }, COLUMNS)
}

/** Marks every unread notification of the scope read; answers how many. */
export async function markAllNotificationsRead(db: Executor, scope: TenantScope): Promise<number> {
  const result = await scopedUpdate(db, 'notifications', scope)
    .set({ read_at: sql`now()` })
    .where('read_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
