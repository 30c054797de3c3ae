import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import type { Db } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { EventCatalog } from '../../outbox/define.js'
import { EventsService } from './events.service.js'

export const Event = Type.Object(
  {
    id: Type.String({ description: 'Event id', examples: ['evt_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    event: Type.String({ description: 'Event type from the catalog', examples: ['contact.created'] }),
    timestamp: Type.String({ format: 'date-time', description: 'When the change was committed' }),
    data: Type.Record(Type.String(), Type.Unknown(), { description: 'The payload, shaped per event type' }),
  },
  { description: 'Something that happened in the organization; the same envelope is delivered to webhooks' },
)

const eventListQuery = (catalog: EventCatalog) =>
  Type.Object(
    {
      ...PageQuery,
      type: Type.Optional(Type.Enum([...catalog.names], { description: 'Only events of this type' })),
    },
    { additionalProperties: false },
  )

/** The event log: what the outbox holds for this organization and mode, newest first. */
export function eventsRoutes(db: Db, catalog: EventCatalog, clock: Clock) {
  const EventListQuery = eventListQuery(catalog)
  const events = new EventsService(db, catalog, clock)
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['events']

    app.get(
      '/api/v1/events',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEvents',
          summary: 'List events',
          description:
            'The events of the organization and mode, newest first. Events about webhook endpoints (`webhook.*`, `webhook_endpoint.*`) are listed only for callers with the `webhooks` scope (not members). Events are kept for `RAPPORT_EVENTS_RETENTION_DAYS` (30 days by default), and longer while a webhook delivery of theirs is kept.',
          tags,
          querystring: EventListQuery,
          response: { 200: ListOf(Event) },
        },
      },
      async (req) => events.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/events/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getEvent',
          summary: 'Get an event',
          description: 'One event of the organization and mode; `404` once it is past the events retention.',
          tags,
          params: Type.Object({
            id: Type.String({ maxLength: 64, description: 'Event id', examples: ['evt_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
          }),
          response: { 200: Event },
        },
      },
      async (req) => events.get(req.principal, req.params.id),
    )
  }
}
