import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import Type from 'typebox'
import { ApiError } from '../../core/errors.js'
import { ListOf, PageQuery, paginate } from '../../core/pagination.js'
import type { Db } from '../../db/schema.js'
import type { EventCatalog } from '../../outbox/define.js'

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

type EventRow = { id: string; type: string; data: Record<string, unknown>; created_at: Date }
const toEvent = (r: EventRow) => ({ id: r.id, event: r.type, timestamp: r.created_at.toISOString(), data: r.data })

/** The event log: what the outbox holds for this organization and mode, newest first. */
export function eventsRoutes(db: Db, catalog: EventCatalog) {
  const EventListQuery = eventListQuery(catalog)
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
          tags,
          querystring: EventListQuery,
          response: { 200: ListOf(Event) },
        },
      },
      async (req) => {
        const p = req.principal
        let q = db.selectFrom('events').where('org_id', '=', p.orgId).where('livemode', '=', p.livemode)
        if (req.query.type) q = q.where('type', '=', req.query.type)
        const page = await paginate(
          q,
          (qb) => qb.select(['id', 'type', 'data', 'created_at']),
          sql<string>`id`,
          { name: 'created_at', expression: sql`created_at`, castTo: 'timestamptz', descending: true },
          req.query,
        )
        return { ...page, data: page.data.map(toEvent) }
      },
    )

    app.get(
      '/api/v1/events/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getEvent',
          summary: 'Get an event',
          tags,
          params: Type.Object({
            id: Type.String({ maxLength: 64, description: 'Event id', examples: ['evt_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
          }),
          response: { 200: Event },
        },
      },
      async (req) => {
        const p = req.principal
        const row = await db
          .selectFrom('events')
          .select(['id', 'type', 'data', 'created_at'])
          .where('org_id', '=', p.orgId)
          .where('livemode', '=', p.livemode)
          .where('id', '=', req.params.id)
          .executeTakeFirst()
        if (!row) throw new ApiError('not_found', `Event ${req.params.id} not found`)
        return toEvent(row)
      },
    )
  }
}
