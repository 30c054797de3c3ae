import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { DateTime } from '../leads/schema-parts.js'

const nullableString = (description: string, example: string) =>
  Type.Union([Type.String(), Type.Null()], { description, examples: [example] })

export const AuditEntry = Type.Object(
  {
    id: Type.String({ description: 'Entry id (`aud_…` for an API call, `wa_…` for a webhook attempt)' }),
    object: Type.Literal('audit_entry', { description: 'Always `audit_entry`' }),
    kind: Type.Enum(['api_call', 'webhook_attempt'], { description: 'An API call, or one webhook delivery attempt' }),
    occurred_at: DateTime('When the call was received, or the attempt started'),
    method: Type.String({ description: 'HTTP method (`POST` for webhook attempts)', examples: ['GET'] }),
    path: Type.String({
      description: 'The path called, without its query string; for a webhook attempt, the endpoint URL',
      examples: ['/api/v1/contacts'],
    }),
    status: Type.Union([Type.Integer(), Type.Null()], {
      description: 'The HTTP status answered (null: a webhook attempt that got no answer)',
      examples: [200],
    }),
    key_id: nullableString(
      'The API key that called; null for a dashboard user or a webhook attempt',
      'key_01jd3k8m2x7q9v4b6n5t0w1y2z',
    ),
    user_id: nullableString('The dashboard user that called, if any', 'user_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    ip: nullableString('The client address (as RAPPORT_TRUST_PROXY resolves it)', '203.0.113.7'),
    duration_ms: Type.Number({
      description: 'How long the call or the attempt took, in milliseconds',
      examples: [12.4],
    }),
    request_id: nullableString('The request id (the `X-Request-Id` answered)', 'req_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    endpoint_id: nullableString('Webhook attempts: the endpoint', 'we_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    delivery_id: nullableString('Webhook attempts: the delivery', 'wd_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    event_type: nullableString('Webhook attempts: the event delivered', 'contact.created'),
  },
  {
    description: 'One API call or one webhook delivery attempt',
    examples: [
      {
        id: 'aud_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'audit_entry',
        kind: 'api_call',
        occurred_at: '2025-01-15T09:30:00.000Z',
        method: 'POST',
        path: '/api/v1/contacts',
        status: 201,
        key_id: 'key_01jd3k8m2x7q9v4b6n5t0w1y2z',
        user_id: null,
        ip: '203.0.113.7',
        duration_ms: 8.2,
        request_id: 'req_01jd3k8m2x7q9v4b6n5t0w1y2z',
        endpoint_id: null,
        delivery_id: null,
        event_type: null,
      },
    ],
  },
)
export type AuditEntry = Static<typeof AuditEntry>
export const AuditList = ListOf(AuditEntry)

export const AuditQuery = Type.Object(
  {
    ...PageQuery,
    since: Type.Optional(Type.String({ format: 'date-time', description: 'Only entries at or after this time' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'Only entries before this time' })),
    kind: Type.Optional(Type.Enum(['api_call', 'webhook_attempt'], { description: 'Only this kind of entry' })),
    key_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only calls made with this API key' })),
    user_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only calls made by this dashboard user' })),
    status: Type.Optional(
      Type.String({
        pattern: '^([1-5][0-9][0-9]|[1-5]xx)$',
        description: 'An HTTP status (`404`) or a class (`4xx`)',
        examples: ['4xx'],
      }),
    ),
    method: Type.Optional(Type.Enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], { description: 'Only this method' })),
    path: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'Only paths (or endpoint URLs) starting with this' }),
    ),
  },
  { additionalProperties: false },
)
export type AuditQuery = Static<typeof AuditQuery>

export const UsageQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 90, default: 30, description: 'How many days back, today included' }),
    ),
  },
  { additionalProperties: false },
)

export const Usage = Type.Object(
  {
    object: Type.Literal('usage', { description: 'Always `usage`' }),
    since: DateTime('The start of the first day counted (UTC midnight)'),
    days: Type.Array(
      Type.Object(
        {
          date: Type.String({ description: 'The UTC day', examples: ['2025-01-15'] }),
          key_id: nullableString('The API key; null for dashboard users', 'key_01jd3k8m2x7q9v4b6n5t0w1y2z'),
          user_id: nullableString('The dashboard user; null for API keys', 'user_01jd3k8m2x7q9v4b6n5t0w1y2z'),
          calls: Type.Integer({ description: 'Calls that day', examples: [1204] }),
          rate_limited: Type.Integer({ description: 'Of those, calls refused by the rate limit (429)', examples: [3] }),
          errors: Type.Integer({ description: 'Of those, calls answered with a 4xx or 5xx status', examples: [12] }),
        },
        { description: 'The calls of one caller on one day' },
      ),
      { description: 'One row per day and caller that made calls, oldest day first' },
    ),
    keys: Type.Array(
      Type.Object(
        {
          id: Type.String({ description: 'API key id' }),
          name: Type.String({ description: 'API key name' }),
          mode: Type.Enum(['live', 'test'], { description: 'Key mode' }),
          revoked: Type.Boolean({ description: 'Whether the key has been revoked since' }),
        },
        { description: 'A key named in `days`' },
      ),
      { description: 'The keys named in `days`, to label them' },
    ),
    users: Type.Array(
      Type.Object(
        { id: Type.String({ description: 'User id' }), name: Type.String({ description: 'User name' }) },
        { description: 'A user named in `days`' },
      ),
      { description: 'The users named in `days`, to label them' },
    ),
  },
  {
    description: 'API calls per day and caller',
    examples: [
      {
        object: 'usage',
        since: '2025-01-01T00:00:00.000Z',
        days: [
          {
            date: '2025-01-15',
            key_id: 'key_01jd3k8m2x7q9v4b6n5t0w1y2z',
            user_id: null,
            calls: 1204,
            rate_limited: 3,
            errors: 12,
          },
        ],
        keys: [{ id: 'key_01jd3k8m2x7q9v4b6n5t0w1y2z', name: 'Zapier', mode: 'live', revoked: false }],
        users: [],
      },
    ],
  },
)
export type Usage = Static<typeof Usage>
