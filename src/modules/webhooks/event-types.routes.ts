import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { EventCatalog } from '../../outbox/define.js'
import { EventTypeList, publishedEventTypes } from './event-types.schemas.js'

/** The event catalog: what endpoints can subscribe to, and the shape of each event's data. */
export function eventTypesRoutes(catalog: EventCatalog) {
  const eventTypes = publishedEventTypes(catalog)
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.get(
      '/api/v1/event_types',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEventTypes',
          summary: 'List event types',
          description:
            'Every event Rapport emits, with the JSON Schema of its `data` and its aliases. The same schemas are in the `webhooks` section of this document.',
          tags: ['event types'],
          response: { 200: EventTypeList },
        },
      },
      async () => ({ data: eventTypes }),
    )
  }
}
