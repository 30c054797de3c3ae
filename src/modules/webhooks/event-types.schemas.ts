import Type, { type Static, type TSchema } from 'typebox'
import type { EventCatalog } from '../../outbox/define.js'
import { kindWebhooks } from '../sarbacane/sarbacane.deliveries.js'

export const EventType = Type.Object(
  {
    name: Type.String({
      description: 'The event name: the `event` of a delivery, and what endpoints subscribe to',
      examples: ['contact.created'],
    }),
    description: Type.String({
      description: 'When the event is emitted',
      examples: ['A contact was created (API, form, import, booking or lead capture)'],
    }),
    schema: Type.Record(Type.String(), Type.Unknown(), {
      description: 'JSON Schema (2020-12) of the event’s `data`',
      examples: [{ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }],
    }),
    aliases: Type.Array(Type.String({ description: 'An alias' }), {
      description: 'Other names for the event (those of other CRMs), accepted in subscription filters',
      examples: [['client_created']],
    }),
  },
  { description: 'An event that Rapport emits and delivers to webhook endpoints' },
)
export type EventType = Static<typeof EventType>

export const EventTypeList = Type.Object(
  { data: Type.Array(EventType, { description: 'Every event of the catalog' }) },
  { description: 'The event catalog' },
)

/** A copy with nothing but JSON in it, fit to publish as a JSON Schema. */
const plainJson = (schema: TSchema): Record<string, unknown> => JSON.parse(JSON.stringify(schema))

/** The catalog as the API publishes it (`GET /api/v1/event_types`). */
export function publishedEventTypes(catalog: EventCatalog): EventType[] {
  return catalog.definitions.map((definition) => ({
    name: definition.name,
    description: definition.description,
    schema: plainJson(definition.data),
    aliases: [...definition.aliases],
  }))
}

/** The body of a delivery of `name`: the event envelope with that event's `data`. */
function envelopeOf(type: EventType): Record<string, unknown> {
  return plainJson(
    Type.Object(
      {
        id: Type.String({
          description: 'Event id; the same in every retry (also the `webhook-id` header)',
          examples: ['evt_01jd3k8m2x7q9v4b6n5t0w1y2z'],
        }),
        event: Type.Literal(type.name, { description: 'The event name' }),
        timestamp: Type.String({ format: 'date-time', description: 'When the change was committed' }),
        data: { ...(type.schema as TSchema), description: `The payload of ${type.name}` },
      },
      { description: `The ${type.name} event, as delivered` },
    ),
  )
}

/**
 * The OpenAPI 3.1 `webhooks` section: one POST per catalog event, whose body is the envelope with
 * that event's data, as Rapport sends it to subscriber URLs.
 */
export function openApiWebhooks(catalog: EventCatalog): Record<string, unknown> {
  return { ...catalogWebhooks(catalog), ...kindWebhooks() }
}

function catalogWebhooks(catalog: EventCatalog): Record<string, unknown> {
  return Object.fromEntries(
    publishedEventTypes(catalog).map((type) => [
      type.name,
      {
        post: {
          operationId: `event_${type.name.replace(/\./g, '_')}`,
          summary: type.name,
          description: [
            `${type.description}.`,
            type.aliases.length > 0
              ? `Aliases: ${type.aliases.map((a) => `\`${a}\``).join(', ')}; an endpoint subscribed by an alias receives the event under it (\`event\`, \`type\` and X-Webhook-Event).`
              : '',
            'Sent to every enabled endpoint subscribed to it (or to `*`), signed as docs/webhooks.md describes.',
          ]
            .filter(Boolean)
            .join(' '),
          tags: ['event types'],
          requestBody: {
            required: true,
            description: 'The event envelope',
            content: { 'application/json': { schema: envelopeOf(type) } },
          },
          responses: {
            '2XX': { description: 'Any 2xx status acknowledges the delivery; anything else (or no answer) is retried' },
          },
        },
      },
    ]),
  )
}
