import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { Deleted } from '../../core/schemas.js'
import {
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointIdParams,
  WebhookEndpointList,
  WebhookEndpointListQuery,
  WebhookEndpointUpdate,
  WebhookSecret,
} from './webhooks.schemas.js'
import type { WebhookEndpointsService } from './webhooks.service.js'

/** Webhook endpoint management (scope `webhooks`), in the mode of the calling key. */
export function webhookEndpointsRoutes(endpoints: WebhookEndpointsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['webhook endpoints']
    const config = { scope: 'webhooks' as const }

    app.get(
      '/api/v1/webhook_endpoints',
      {
        config,
        schema: {
          operationId: 'listWebhookEndpoints',
          summary: 'List webhook endpoints',
          description: 'Endpoints of the organization in the mode of the key, newest first. Secrets are not included.',
          tags,
          querystring: WebhookEndpointListQuery,
          response: { 200: WebhookEndpointList },
        },
      },
      async (req) => endpoints.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/webhook_endpoints',
      {
        config,
        schema: {
          operationId: 'createWebhookEndpoint',
          summary: 'Create a webhook endpoint',
          description:
            'Subscribes a URL to events. The answer carries the signing `secret`; later, read it with `GET /api/v1/webhook_endpoints/{id}/secret`. A URL that is not https or reaches a non-public address is a 422 naming `url`; an unknown event name, a 422 naming `events.N`.',
          tags,
          body: WebhookEndpointCreate,
          response: { 201: WebhookEndpoint },
        },
      },
      async (req, reply) => reply.code(201).send(await endpoints.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/webhook_endpoints/:id',
      {
        config,
        schema: {
          operationId: 'getWebhookEndpoint',
          summary: 'Get a webhook endpoint',
          tags,
          params: WebhookEndpointIdParams,
          response: { 200: WebhookEndpoint },
        },
      },
      async (req) => endpoints.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/webhook_endpoints/:id',
      {
        config,
        schema: {
          operationId: 'updateWebhookEndpoint',
          summary: 'Update a webhook endpoint',
          description:
            'Changes the given fields. `"enabled": true` re-enables an endpoint disabled after failures and clears `disabled_reason` and `disabled_at`.',
          tags,
          params: WebhookEndpointIdParams,
          body: WebhookEndpointUpdate,
          response: { 200: WebhookEndpoint },
        },
      },
      async (req) => endpoints.update(req.principal, req.params.id, req.body),
    )

    app.delete(
      '/api/v1/webhook_endpoints/:id',
      {
        config,
        schema: {
          operationId: 'deleteWebhookEndpoint',
          summary: 'Delete a webhook endpoint',
          description: 'Deletes the endpoint; deliveries still pending for it are dropped.',
          tags,
          params: WebhookEndpointIdParams,
          response: { 200: Deleted(Type.Literal('webhook_endpoint')) },
        },
      },
      async (req) => {
        const deleted = await endpoints.removeRow(req.principal, req.params.id)
        return { id: deleted.id, object: 'webhook_endpoint' as const, deleted: true as const }
      },
    )

    app.get(
      '/api/v1/webhook_endpoints/:id/secret',
      {
        config,
        schema: {
          operationId: 'getWebhookEndpointSecret',
          summary: 'Get the signing secret of a webhook endpoint',
          description: 'The current secret, and the previous one while it still signs (24 hours after a rotation).',
          tags,
          params: WebhookEndpointIdParams,
          response: { 200: WebhookSecret },
        },
      },
      async (req) => endpoints.getSecret(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/webhook_endpoints/:id/rotate_secret',
      {
        config,
        schema: {
          operationId: 'rotateWebhookEndpointSecret',
          summary: 'Rotate the signing secret of a webhook endpoint',
          description:
            'Issues a new secret. For the next 24 hours deliveries are signed with both the new and the previous secret, so receivers can switch over without rejecting any.',
          tags,
          params: WebhookEndpointIdParams,
          response: { 200: WebhookSecret },
        },
      },
      async (req) => endpoints.rotateSecret(req.principal, req.params.id),
    )
  }
}
