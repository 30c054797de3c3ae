import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'

const DeliveryStatus = Type.Enum(['pending', 'succeeded', 'failed'], {
  description: 'pending (queued or between retries), succeeded, or failed (retries spent)',
})
const Timestamp = (description: string) => Type.String({ format: 'date-time', description })
const NullableTimestamp = (description: string) => Type.Union([Timestamp(description), Type.Null()], { description })

const Headers = Type.Record(Type.String(), Type.String(), { description: 'HTTP headers by name' })

export const Attempt = Type.Object(
  {
    id: Type.String({ description: 'Attempt id', examples: ['wa_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    attempt_number: Type.Integer({ description: '1 for the first try', examples: [1] }),
    started_at: Timestamp('When the request was sent'),
    duration_ms: Type.Integer({ description: 'Time to the answer (or to the failure)', examples: [87] }),
    status_code: Type.Union([Type.Integer(), Type.Null()], {
      description: 'HTTP status of the answer; null when none came',
    }),
    response_body: Type.Union([Type.String(), Type.Null()], {
      description: 'The first 64 KB of the answer; empty or null when none came',
      examples: ['{"received":true}'],
    }),
    response_headers: Type.Union([Headers, Type.Null()], {
      description: 'The headers of the answer (lower-case names; repeated ones joined with ", "); null when none came',
      examples: [{ 'content-type': 'application/json', 'content-length': '17' }],
    }),
    request_headers: Type.Union([Headers, Type.Null()], {
      description:
        'The headers Rapport sent, signatures included (never the signing secret); null when the attempt was refused before connecting, or recorded before this was kept',
      examples: [
        {
          'content-type': 'application/json',
          'user-agent': 'Rapport-Webhook/1.0',
          'webhook-id': 'evt_01jd3k8m2x7q9v4b6n5t0w1y2z',
          'webhook-timestamp': '1764000000',
          'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
        },
      ],
    }),
    request_body: Type.Union([Type.String(), Type.Null()], {
      description:
        'The body Rapport sent (the event as rendered for this endpoint), its first 64 KB; null as request_headers',
      examples: ['{"id":"evt_01jd3k8m2x7q9v4b6n5t0w1y2z","type":"contact.created","data":{}}'],
    }),
    error: Type.Union([Type.String(), Type.Null()], {
      description: 'Why the attempt failed: HTTP status, timeout, connection refused, blocked address…',
      examples: ['timeout after 15000 ms'],
    }),
    next_attempt_at: NullableTimestamp('When the next attempt was scheduled after this one; null if none'),
  },
  { description: 'One HTTP request of a delivery' },
)

export const Delivery = Type.Object(
  {
    id: Type.String({ description: 'Delivery id', examples: ['wd_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('webhook_delivery', { description: 'Always webhook_delivery' }),
    endpoint_id: Type.String({ description: 'The endpoint', examples: ['we_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    event_id: Type.String({
      description: 'The event (also the webhook-id header)',
      examples: ['evt_01jd3k8m2x7q9v4b6n5t0w1y2z'],
    }),
    event_type: Type.String({ description: 'The event type', examples: ['contact.created'] }),
    status: DeliveryStatus,
    attempt_count: Type.Integer({ description: 'Attempts made so far', examples: [1] }),
    next_attempt_at: NullableTimestamp('When the next attempt is due (pending only)'),
    last_attempt_at: NullableTimestamp('When the last attempt started'),
    last_status_code: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the last attempt' }),
    last_error: Type.Union([Type.String(), Type.Null()], { description: 'Why the last attempt failed' }),
    created_at: Timestamp('When the event was fanned out to this endpoint'),
  },
  { description: 'One event on its way to one endpoint' },
)
export type Delivery = Static<typeof Delivery>

export const DeliveryWithAttempts = Type.Object(
  { ...Delivery.properties, attempts: Type.Array(Attempt, { description: 'Every attempt, oldest first' }) },
  { description: 'A delivery with its attempts' },
)

/** The list filters; `event` takes a name of the catalog the app was built with. */
export const deliveryListQuery = (eventNames: readonly string[]) =>
  Type.Object(
    {
      ...PageQuery,
      status: Type.Optional(DeliveryStatus),
      event: Type.Optional(Type.Enum([...eventNames], { description: 'Only deliveries of this event type' })),
    },
    { additionalProperties: false },
  )
export type DeliveryListQuery = Static<ReturnType<typeof deliveryListQuery>>
export const DeliveryList = ListOf(Delivery)

export const RecoverBody = Type.Object(
  {
    since: Type.String({
      format: 'date-time',
      description: 'Re-queue failed deliveries created at or after this instant',
    }),
  },
  { additionalProperties: false, examples: [{ since: '2026-11-20T00:00:00Z' }] },
)
export const Recovered = Type.Object(
  { recovered: Type.Integer({ description: 'How many failed deliveries were queued again', examples: [12] }) },
  { description: 'The result of a recovery' },
)

export const TestSent = Type.Object(
  {
    event_id: Type.String({ description: 'The webhook.test event', examples: ['evt_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    delivery_id: Type.String({
      description: 'Its delivery to this endpoint',
      examples: ['wd_01jd3k8m2x7q9v4b6n5t0w1y2z'],
    }),
  },
  { description: 'A test event queued for immediate delivery' },
)

const Counts = Type.Object(
  {
    succeeded: Type.Integer({ description: 'Deliveries that succeeded' }),
    failed: Type.Integer({ description: 'Deliveries that failed for good' }),
    pending: Type.Integer({ description: 'Deliveries queued or between retries' }),
  },
  { description: 'Deliveries created in the period, by status' },
)
export const EndpointStats = Type.Object(
  {
    endpoint_id: Type.String({ description: 'The endpoint' }),
    state: Type.Enum(['enabled', 'disabled'], { description: 'Whether it receives events' }),
    disabled_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why it was disabled' }),
    last_24h: Counts,
    last_7d: Counts,
    last_success_at: NullableTimestamp('The last successful attempt'),
    last_failure_at: NullableTimestamp('The last failed attempt'),
  },
  { description: 'How an endpoint is doing' },
)

export const EndpointIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Webhook endpoint id', examples: ['we_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
export const DeliveryIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Delivery id', examples: ['wd_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
