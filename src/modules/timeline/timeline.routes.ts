import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Timeline, TimelineParams, TimelineQuery } from './timeline.schemas.js'
import type { TimelineService } from './timeline.service.js'

export function timelineRoutes(timeline: TimelineService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.get(
      '/api/v1/contacts/:id/timeline',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getContactTimeline',
          summary: 'Get a contact’s timeline',
          description:
            'Everything that happened with the contact, newest first: activities (at `occurred_at`), notes, deals created, won and lost, tasks created and completed, form responses, bookings made, moved and cancelled (the contact is the guest), and emails sent to the contact or given up. Each entry is `{type, occurred_at, object}` with the full object as it is now; `type` filters (repeat it for several). Paged; use `cursor` for stable deep paging. An unknown contact, or one of another organization or mode, is a 404.',
          tags: ['contacts'],
          params: TimelineParams,
          querystring: TimelineQuery,
          response: { 200: Timeline },
        },
      },
      async (req) => timeline.list(req.principal, req.params.id, req.query),
    )
  }
}
