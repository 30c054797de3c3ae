import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { CompatWebhook, CompatWebhookCreate, CompatWebhookIdParams, CompatWebhookList } from './compat.schemas.js'
import type { WebhooksCompatService } from './compat.service.js'

/**
 * The compatibility routes keep the other tools' contract to the letter: camelCase fields, 200 on
 * creation, a bare array as the list.
 */
export function webhooksCompatRoutes(webhooks: WebhooksCompatService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['webhooks (compatibility)']
    const config = { scope: 'webhooks' as const }

    app.post(
      '/api/v1/webhooks',
      {
        config,
        schema: {
          operationId: 'createWebhook',
          summary: 'Create a webhook (compatibility shape)',
          description:
            'Creates a webhook endpoint from `url`, `displayName` and `kinds`, and answers 200 in the compatibility shape. Kinds map to catalog events: FORM_SUBMIT → form_response.created, SUCCESSFUL → email.delivered, OPEN → email.opened, HIT → email.clicked, SOFT_BOUNCE → email.soft_bounced, HARD_BOUNCE → email.hard_bounced, COMPLAINT → email.complained, UNSUBSCRIBE → email.unsubscribed, CAPTCHA → form_response.rejected. The signing secret is at `GET /api/v1/webhook_endpoints/{id}/secret`.',
          tags,
          body: CompatWebhookCreate,
          response: { 200: CompatWebhook },
        },
      },
      async (req) => webhooks.create(req.principal, req.body),
    )

    app.get(
      '/api/v1/webhooks',
      {
        config,
        schema: {
          operationId: 'listWebhooks',
          summary: 'List webhooks (compatibility shape)',
          description:
            'Every webhook endpoint of the organization in the mode of the key (up to 1000), as a JSON array, oldest first.',
          tags,
          response: { 200: CompatWebhookList },
        },
      },
      async (req) => webhooks.list(req.principal),
    )

    app.get(
      '/api/v1/webhooks/:id',
      {
        config,
        schema: {
          operationId: 'getWebhook',
          summary: 'Get a webhook (compatibility shape)',
          tags,
          params: CompatWebhookIdParams,
          response: { 200: CompatWebhook },
        },
      },
      async (req) => webhooks.get(req.principal, req.params.id),
    )

    app.delete(
      '/api/v1/webhooks/:id',
      {
        config,
        schema: {
          operationId: 'deleteWebhook',
          summary: 'Delete a webhook (compatibility shape)',
          description: 'Deletes the webhook endpoint and answers with the webhook as it was.',
          tags,
          params: CompatWebhookIdParams,
          response: { 200: CompatWebhook },
        },
      },
      async (req) => webhooks.remove(req.principal, req.params.id),
    )
  }
}
