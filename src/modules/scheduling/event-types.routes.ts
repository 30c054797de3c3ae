import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import {
  EventType,
  EventTypeCreate,
  EventTypeIdParams,
  EventTypeList,
  EventTypeListQuery,
  EventTypeUpdate,
  HostEventTypeListQuery,
  HostIdParams,
} from './event-types.schemas.js'
import type { EventTypesService } from './event-types.service.js'

const SHARED =
  ' Event types belong to the organization and are the same in live and test mode; only live keys change them.'

export function eventTypesRoutes(eventTypes: EventTypesService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['scheduling']

    app.post(
      '/api/v1/event_types',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'createEventType',
          summary: 'Create an event type',
          description: `Creates something guests can book with a host (\`user_id\`), at \`/api/public/booking/{username}/{slug}\`. A slug already used by the host is a 409; an unknown host a 422.${SHARED}`,
          tags,
          body: EventTypeCreate,
          response: { 201: EventType },
        },
      },
      async (req, reply) => reply.code(201).send(await eventTypes.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/booking_event_types',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listBookingEventTypes',
          summary: 'List event types',
          description:
            'The organization’s scheduling event types, oldest first, filtered by host and `active`; paged. (`GET /api/v1/event_types` is the webhook event catalog, hence this path.)',
          tags,
          querystring: EventTypeListQuery,
          response: { 200: EventTypeList },
        },
      },
      async (req) => eventTypes.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/users/:id/event_types',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listHostEventTypes',
          summary: 'List a host’s event types',
          description:
            'The event types of one user, oldest first, optionally only active ones; paged. Unknown user: 404.',
          tags,
          params: HostIdParams,
          querystring: HostEventTypeListQuery,
          response: { 200: EventTypeList },
        },
      },
      async (req) => eventTypes.listOfHost(req.principal, req.params.id, req.query),
    )

    app.get(
      '/api/v1/event_types/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getEventType',
          summary: 'Get an event type',
          description: 'Answers with an `ETag` for `If-Match`.',
          tags,
          params: EventTypeIdParams,
          response: { 200: EventType },
        },
      },
      async (req) => eventTypes.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/event_types/:id',
      {
        config: { scope: 'admin', etag: true },
        schema: {
          operationId: 'updateEventType',
          summary: 'Update an event type',
          description: `Changes the given fields (not the host). Existing bookings keep their times. Honours \`If-Match\` (412).${SHARED}`,
          tags,
          params: EventTypeIdParams,
          body: EventTypeUpdate,
          response: { 200: EventType },
        },
      },
      async (req) => eventTypes.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/event_types/:id',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'deleteEventType',
          summary: 'Delete an event type',
          description: `Deletes it unless confirmed bookings of it are still to come (409: cancel them, or set \`active\` to false instead). Past bookings keep its slug and title. Honours \`If-Match\` (412).${SHARED}`,
          tags,
          params: EventTypeIdParams,
          response: { 200: Deleted(Type.Literal('event_type')) },
        },
      },
      async (req) => {
        const deleted = await eventTypes.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'event_type' as const, deleted: true as const }
      },
    )
  }
}
