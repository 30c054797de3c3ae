import { ApiError } from '../../../core/errors.js'
import type { PageParams } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db } from '../../../db/schema.js'
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  type NotificationRow,
} from './notifications.repo.js'
import type { Notification, NotificationListQuery } from './notifications.schemas.js'

// Callers in other modules (lead capture, callbacks, the deliverability breaker) record notifications through this name.
export { insertNotification } from './notifications.repo.js'

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

export class NotificationsService {
  constructor(private readonly db: Db) {}

  async list(scope: TenantScope, query: NotificationListQuery & PageParams) {
    const page = await listNotifications(this.db, scope, query)
    return { ...page, data: page.data.map(toNotification) }
  }

  /** Marks one notification read; marking a read one again keeps its first `read_at`. */
  async markRead(scope: TenantScope, id: string): Promise<Notification> {
    const row = await markNotificationRead(this.db, scope, id)
    if (!row) throw new ApiError('not_found', `Notification ${id} not found`)
    return toNotification(row)
  }

  async markAllRead(scope: TenantScope): Promise<{ updated: number }> {
    return { updated: await markAllNotificationsRead(this.db, scope) }
  }
}
