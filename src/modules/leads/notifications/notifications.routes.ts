import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import {
  Notification,
  NotificationIdParams,
  NotificationList,
  NotificationListQuery,
  ReadAllResult,
} from './notifications.schemas.js'
import type { NotificationsService } from './notifications.service.js'

export function notificationsRoutes(notifications: NotificationsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['notifications']

    app.get(
      '/api/v1/notifications',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listNotifications',
          summary: 'List notifications',
          description:
            'The in-app notifications of the organization (captured leads, form responses, callback requests), newest first; `unread=true` for the unread ones. Paged.',
          tags,
          querystring: NotificationListQuery,
          response: { 200: NotificationList },
        },
      },
      async (req) => notifications.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/notifications/:id/read',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'markNotificationRead',
          summary: 'Mark a notification read',
          description: 'Sets `read_at` (kept if it was already read) and answers the notification.',
          tags,
          params: NotificationIdParams,
          response: { 200: Notification },
        },
      },
      async (req) => notifications.markRead(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/notifications/read_all',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'markAllNotificationsRead',
          summary: 'Mark every notification read',
          description: 'Marks every unread notification of the organization and mode read; answers how many changed.',
          tags,
          response: { 200: ReadAllResult },
        },
      },
      async (req) => notifications.markAllRead(req.principal),
    )
  }
}
