import { type Selectable, sql } from 'kysely'
import { ApiError } from '../../../core/errors.js'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db, Executor } from '../../../db/schema.js'
import type { NotificationsTable } from '../../../db/schema-leads.js'
import { newId } from '../../../lib/ids.js'
import { NEWEST_FIRST } from '../schema-parts.js'
import type { Notification, NotificationListQuery } from './notifications.schemas.js'

type NotificationRow = Omit<Selectable<NotificationsTable>, 'org_id' | 'livemode'>
const COLUMNS = ['id', 'type', 'title', 'body', 'contact_id', 'subject_id', 'read_at', 'created_at'] as const

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    object: 'notification',
    type: row.type as Notification['type'],
    title: row.title,
    body: row.body,
    contact_id: row.contact_id,
    subject_id: row.subject_id,
    read: row.read_at !== null,
    read_at: row.read_at ? row.read_at.toISOString() : null,
    created_at: row.created_at.toISOString(),
  }
}

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

export class NotificationsService {
  constructor(private readonly db: Db) {}

  async list(scope: TenantScope, query: NotificationListQuery & PageParams) {
    let q = this.db.selectFrom('notifications').where('org_id', '=', scope.orgId).where('livemode', '=', scope.livemode)
    if (query.unread === true) q = q.where('read_at', 'is', null)
    if (query.unread === false) q = q.where('read_at', 'is not', null)
    if (query.type !== undefined) q = q.where('type', '=', query.type)
    const page = await paginate(q, (qb) => qb.select(COLUMNS), sql<string>`id`, sortByCreation, query)
    return { ...page, data: page.data.map(toNotification) }
  }

  /** Marks one notification read; marking a read one again keeps its first `read_at`. */
  async markRead(scope: TenantScope, id: string): Promise<Notification> {
    const row = await this.db
      .updateTable('notifications')
      .set({ read_at: sql`coalesce(read_at, now())` })
      .where('org_id', '=', scope.orgId)
      .where('livemode', '=', scope.livemode)
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirst()
    if (!row) throw new ApiError('not_found', `Notification ${id} not found`)
    return toNotification(row)
  }

  async markAllRead(scope: TenantScope): Promise<{ updated: number }> {
    const result = await this.db
      .updateTable('notifications')
      .set({ read_at: sql`now()` })
      .where('org_id', '=', scope.orgId)
      .where('livemode', '=', scope.livemode)
      .where('read_at', 'is', null)
      .executeTakeFirst()
    return { updated: Number(result.numUpdatedRows) }
  }
}

const sortByCreation = { ...NEWEST_FIRST, expression: sql`created_at` }
