import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'

export const METADATA_MAX_KEYS = 20

const EXAMPLE_ID = 'we_01jd3k8m2x7q9v4b6n5t0w1y2z'
const EXAMPLE_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const EXAMPLE_TIME = '2025-01-15T09:30:00.000Z'

const Url = Type.String({
  minLength: 1,
  maxLength: 2048,
  description:
    'Where events are POSTed: an https URL whose host is, or resolves only to, public addresses (RAPPORT_WEBHOOK_ALLOW_PRIVATE lifts this on development servers)',
  examples: ['https://hooks.example.com/rapport'],
})
const Description = Type.String({
  maxLength: 500,
  description: 'What the endpoint is for',
  examples: ['Order service'],
})
const EventName = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'An event name from `GET /api/v1/event_types`, one of its aliases, or `*` for every event',
  examples: ['contact.created'],
})
const Events = Type.Array(EventName, {
  minItems: 1,
  maxItems: 100,
  description:
    'The events to deliver: catalog names, aliases (stored as the catalog name they stand for), or `["*"]` for every event',
  examples: [['contact.created', 'deal.won']],
})
const MetadataKeys = { minLength: 1, maxLength: 40 }
const Metadata = Type.Record(
  Type.String(),
  Type.String({ maxLength: 500, description: 'A value, up to 500 characters', examples: ['billing'] }),
  {
    maxProperties: METADATA_MAX_KEYS,
    propertyNames: MetadataKeys,
    description: 'Your own key-value pairs: at most 20 keys of up to 40 characters, string values',
    examples: [{ team: 'billing' }],
  },
)
const Enabled = Type.Boolean({
  description: 'Whether events are delivered to the endpoint; turning it on again clears the disabled status',
  examples: [true],
})
const Secret = Type.String({
  description:
    'The signing secret: `whsec_` and the base64 of 24 random bytes. See docs/webhooks.md for how deliveries are signed',
  examples: [EXAMPLE_SECRET],
})

export const WebhookEndpoint = Type.Object(
  {
    id: Type.String({ description: 'Webhook endpoint id', examples: [EXAMPLE_ID] }),
    object: Type.Literal('webhook_endpoint', { description: 'Always `webhook_endpoint`' }),
    url: Url,
    description: Type.Union([Description, Type.Null()], {
      description: 'What the endpoint is for; null if not given',
      examples: ['Order service'],
    }),
    events: Type.Array(Type.String({ description: 'A catalog event name, or `*`' }), {
      description: 'The events delivered to this endpoint, as catalog names; `["*"]` for every event',
      examples: [['contact.created', 'deal.won']],
    }),
    enabled: Enabled,
    disabled_reason: Type.Union([Type.String(), Type.Null()], {
      description:
        'Why the endpoint is disabled (turned off through the API, or failing for too long); null while enabled',
      examples: [null],
    }),
    disabled_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the endpoint was disabled; null while enabled',
      examples: [null],
    }),
    metadata: Metadata,
    created_at: Type.String({
      format: 'date-time',
      description: 'When the endpoint was created',
      examples: [EXAMPLE_TIME],
    }),
    updated_at: Type.String({
      format: 'date-time',
      description: 'When the endpoint last changed',
      examples: [EXAMPLE_TIME],
    }),
    secret: Type.Optional({
      ...Secret,
      description: 'The signing secret; only in the answer to the creation (later: `GET …/{id}/secret`)',
    }),
  },
  {
    description: 'A URL that receives the events of the organization, in the mode of the key that created it',
    examples: [
      {
        id: EXAMPLE_ID,
        object: 'webhook_endpoint',
        url: 'https://hooks.example.com/rapport',
        description: 'Order service',
        events: ['contact.created', 'deal.won'],
        enabled: true,
        disabled_reason: null,
        disabled_at: null,
        metadata: { team: 'billing' },
        created_at: EXAMPLE_TIME,
        updated_at: EXAMPLE_TIME,
      },
    ],
  },
)
export type WebhookEndpoint = Static<typeof WebhookEndpoint>

export const WebhookEndpointCreate = Type.Object(
  {
    url: Url,
    description: Type.Optional(Description),
    events: Events,
    enabled: Type.Optional({ ...Enabled, description: 'Whether events are delivered to the endpoint; default true' }),
    metadata: Type.Optional(Metadata),
  },
  {
    additionalProperties: false,
    description: 'A new webhook endpoint',
    examples: [
      {
        url: 'https://hooks.example.com/rapport',
        description: 'Order service',
        events: ['contact.created', 'deal.won'],
        metadata: { team: 'billing' },
      },
    ],
  },
)
export type WebhookEndpointCreate = Static<typeof WebhookEndpointCreate>

export const WebhookEndpointUpdate = Type.Object(
  {
    url: Type.Optional(Url),
    description: Type.Optional(
      Type.Union([Description, Type.Null()], { description: 'What the endpoint is for; null clears it' }),
    ),
    events: Type.Optional(Events),
    enabled: Type.Optional(Enabled),
    metadata: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Union([Type.String({ maxLength: 500 }), Type.Null()], {
          description: 'A new value, or null to remove the key',
        }),
        {
          maxProperties: METADATA_MAX_KEYS,
          propertyNames: MetadataKeys,
          description: 'Merged into the existing metadata; a key set to null is removed. At most 20 keys in all',
          examples: [{ team: 'growth', owner: null }],
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change',
    examples: [{ events: ['*'], enabled: true }],
  },
)
export type WebhookEndpointUpdate = Static<typeof WebhookEndpointUpdate>

export const WebhookSecret = Type.Object(
  {
    secret: Secret,
    previous_secret: Type.Union([Type.String(), Type.Null()], {
      description:
        'The secret replaced by the last rotation, which still signs deliveries until `previous_secret_expires_at`; null when there is none',
      examples: [null],
    }),
    previous_secret_expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the previous secret stops signing (24 hours after the rotation); null when there is none',
      examples: [null],
    }),
  },
  {
    description: 'The signing secrets of an endpoint',
    examples: [{ secret: EXAMPLE_SECRET, previous_secret: null, previous_secret_expires_at: null }],
  },
)
export type WebhookSecret = Static<typeof WebhookSecret>

export const WebhookEndpointListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type WebhookEndpointListQuery = Static<typeof WebhookEndpointListQuery>

export const WebhookEndpointList = ListOf(WebhookEndpoint)

export const WebhookEndpointIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Webhook endpoint id', examples: [EXAMPLE_ID] }),
})
