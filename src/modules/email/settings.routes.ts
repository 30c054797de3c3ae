import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { EmailSettings, EmailSettingsUpdate, EmailTransportStatus } from './settings.schemas.js'
import type { EmailSettingsService } from './settings.service.js'

export function emailSettingsRoutes(settings: EmailSettingsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']
    app.get(
      '/api/v1/email-settings',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getEmailSettings',
          summary: 'Get email settings',
          description:
            'Which of Rapport’s own messages (booking emails, invites) the organization sends, and where this installation sends email (`transport`).',
          tags,
          response: { 200: EmailSettings },
        },
      },
      async (req) => settings.get(req.principal.orgId),
    )
    app.patch(
      '/api/v1/email-settings',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'updateEmailSettings',
          summary: 'Update email settings',
          description: 'Turns each of Rapport’s own messages on or off for the organization (admin scope).',
          tags,
          body: EmailSettingsUpdate,
          response: { 200: EmailSettings },
        },
      },
      async (req) => settings.update(req.principal.orgId, req.body),
    )
    app.get(
      '/api/v1/email-settings/transport',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'checkEmailTransport',
          summary: 'Check the email transport',
          description:
            'Connects to the SMTP server set by `RAPPORT_SMTP_URL` now (and logs in when the URL has credentials; nothing is sent) and says whether it answered, within 10 s. The development mailbox always answers. Admin scope: the answer can name the mail server.',
          tags,
          response: { 200: EmailTransportStatus },
        },
      },
      async () => settings.checkTransport(),
    )
  }
}
