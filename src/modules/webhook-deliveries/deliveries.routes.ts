import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { EventCatalog } from '../../outbox/define.js'
import {
  DeliveryIdParams,
  DeliveryList,
  DeliveryWithAttempts,
  deliveryListQuery,
  EndpointIdParams,
  EndpointStats,
  RecoverBody,
  Recovered,
  TestSent,
} from './deliveries.schemas.js'
import type { DeliveriesService } from './deliveries.service.js'

export function deliveriesRoutes(deliveries: DeliveriesService, catalog: EventCatalog) {
  const DeliveryListQuery = deliveryListQuery(catalog.names)
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['webhook deliveries']
    const config = { scope: 'webhooks' as const }

    app.get(
      '/api/v1/webhook_endpoints/:id/deliveries',
      {
        config,
        schema: {
          operationId: 'listWebhookDeliveries',
          summary: "List an endpoint's deliveries",
          description: 'Newest first; filter by status and event type.',
          tags,
          params: EndpointIdParams,
          querystring: DeliveryListQuery,
          response: { 200: DeliveryList },
        },
      },
      async (req) => deliveries.list(req.principal, req.params.id, req.query),
    )

    app.get(
      '/api/v1/webhook_deliveries/:id',
      {
        config,
        schema: {
          operationId: 'getWebhookDelivery',
          summary: 'Get a delivery with its attempts',
          tags,
          params: DeliveryIdParams,
          response: { 200: DeliveryWithAttempts },
        },
      },
      async (req) => deliveries.get(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/webhook_deliveries/:id/retry',
      {
        config,
        schema: {
          operationId: 'retryWebhookDelivery',
          summary: 'Retry a delivery now',
          description:
            'Queues one more attempt at once, outside the retry schedule, even for a delivery that has failed.',
          tags,
          params: DeliveryIdParams,
          response: { 202: DeliveryWithAttempts },
        },
      },
      async (req, reply) => reply.code(202).send(await deliveries.retry(req.principal, req.params.id)),
    )

    app.post(
      '/api/v1/webhook_endpoints/:id/recover',
      {
        config,
        schema: {
          operationId: 'recoverWebhookDeliveries',
          summary: 'Re-send failed deliveries',
          description: 'Queues again every failed delivery of the endpoint created since the given time.',
          tags,
          params: EndpointIdParams,
          body: RecoverBody,
          response: { 202: Recovered },
        },
      },
      async (req, reply) =>
        reply.code(202).send(await deliveries.recover(req.principal, req.params.id, new Date(req.body.since))),
    )

    app.post(
      '/api/v1/webhook_endpoints/:id/test',
      {
        config,
        schema: {
          operationId: 'testWebhookEndpoint',
          summary: 'Send a test event',
          description: 'Sends a `webhook.test` event to this endpoint only, now.',
          tags,
          params: EndpointIdParams,
          response: { 202: TestSent },
        },
      },
      async (req, reply) => reply.code(202).send(await deliveries.sendTest(req.principal, req.params.id)),
    )

    app.get(
      '/api/v1/webhook_endpoints/:id/stats',
      {
        config,
        schema: {
          operationId: 'getWebhookEndpointStats',
          summary: 'Delivery statistics of an endpoint',
          description:
            'Succeeded, failed and pending deliveries over 24 hours and 7 days, last success and failure, current state.',
          tags,
          params: EndpointIdParams,
          response: { 200: EndpointStats },
        },
      },
      async (req) => deliveries.stats(req.principal, req.params.id),
    )
  }
}
