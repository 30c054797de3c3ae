import swagger from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import { ERROR_STATUS } from '../core/errors.js'
import { ErrorResponse } from '../core/schemas.js'
import { openApiDocumentRoute, registerDocsPage } from './docs-page.js'

export const OPENAPI_INFO = {
  title: 'Rapport API',
  version: '1.0.0',
  description: [
    'The REST API of Rapport, the self-hostable CRM.',
    '',
    'Authenticate with a secret key: `Authorization: Bearer rk_live_…`, `X-API-Key: rk_live_…`, Basic auth with the organization id as user and the key as password, or the header pair `accountId` + `apiKey`. An `rk_test_…` key works on a separate test-mode sandbox.',
    '',
    'Every error has the same body (the `Error` schema) with a stable `code`; lists share one pagination contract (`page`/`limit` or `cursor`); every POST accepts an `Idempotency-Key`; every response carries `X-Request-Id`, and responses to a key carry its rate-limit headers.',
  ].join('\n'),
  license: { name: 'MIT', identifier: 'MIT' },
}

type Json = Record<string, unknown>

/** Response headers, defined once in `components.headers` and referenced from each response. */
const HEADERS: Record<string, Json> = {
  'X-Request-Id': {
    description:
      'Id of this request: the one you sent in X-Request-Id when it is 1 to 128 of `A-Z a-z 0-9 . _ : -`, otherwise a new `req_…` id. Also in error bodies as `request_id`.',
    schema: { type: 'string', examples: ['req_01jd3k8m2x7q9v4b6n5t0w1y2z'] },
  },
  'X-RateLimit-Limit': {
    description: "Requests per minute allowed for this key (set by the organization's plan)",
    schema: { type: 'integer', examples: [300] },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests this key may still make in the current sliding minute',
    schema: { type: 'integer', examples: [299] },
  },
  'X-RateLimit-Reset': {
    description:
      'When the current one-minute window ends (unix seconds); once no request remains, when the next one will be allowed, as Retry-After',
    schema: { type: 'integer', examples: [1736933460] },
  },
  'RateLimit-Policy': {
    description: 'The same limit in the IETF draft form: quota `q` per window of `w` seconds',
    schema: { type: 'string', examples: ['"per-key";q=300;w=60'] },
  },
  RateLimit: {
    description: 'The same state in the IETF draft form: `r` requests remaining, window resets in `t` seconds',
    schema: { type: 'string', examples: ['"per-key";r=299;t=42'] },
  },
  'Retry-After': {
    description: 'Seconds to wait before the next request can succeed (also `error.retry_after`)',
    schema: { type: 'integer', examples: [12] },
  },
  'Idempotent-Replayed': {
    description:
      'Present, with the value `true`, when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
}

/** Request headers, defined once in `components.parameters`. */
const PARAMETERS: Record<string, Json> = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a retry safe: the first answer is kept for 24 hours and replayed (with `Idempotent-Replayed: true`) for the same key and body. The same key with another body is a 422 `idempotency_key_reused`; while the first request runs, a 409 `idempotency_key_in_use`. 5xx answers are not kept.',
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      pattern: '^[!-~]+$',
      examples: ['7c0e7b2a-5f4e-4d1b-9a57-0b8f3a1c2d3e'],
    },
  },
  RequestId: {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description: 'Your own id for this request, echoed in the X-Request-Id response header and in error bodies',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$', examples: ['checkout-7f3a'] },
  },
}

/** The error statuses a route can answer, from what it declares: a scope, a body, a security override. */
function errorStatuses(schema: Json, isKeyRoute: boolean): number[] {
  const hasBody = schema.body !== undefined
  const needsCredential = isKeyRoute || (Array.isArray(schema.security) && schema.security.length > 0)
  const statuses = [400]
  if (needsCredential) statuses.push(401)
  if (isKeyRoute) statuses.push(403)
  statuses.push(404)
  // Only routes called with a key take an Idempotency-Key; bodies may also collide with a unique field.
  if (isKeyRoute && hasBody) statuses.push(409)
  if (hasBody) statuses.push(413, 415, 422)
  if (isKeyRoute) statuses.push(429)
  statuses.push(500)
  return statuses
}

function describeStatus(status: number): string {
  const codes = Object.entries(ERROR_STATUS)
    .filter(([, s]) => s === status)
    .map(([c]) => `\`${c}\``)
  return `Error: ${codes.join(', ')}`
}

const ref = (section: string, name: string) => ({ $ref: `#/components/${section}/${name}` })

/** Browser routes called with a publishable key: limited and idempotent like secret-key routes. */
const isPublishableOperation = (operation: Json) =>
  JSON.stringify(operation.security) === JSON.stringify([{ publishableKey: [] }])

/**
 * Adds the cross-cutting headers to every operation. Only key routes inherit the document's
 * API-key schemes (the transform gives every other route a `security` of its own), and only they
 * are counted by the rate limiter and take an Idempotency-Key on POST.
 */
function addCrossCuttingHeaders(document: Json): Json {
  const components = (document.components ?? {}) as Json
  components.headers = HEADERS
  components.parameters = PARAMETERS
  for (const operations of Object.values((document.paths ?? {}) as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(operations as Record<string, Json>)) {
      const isKeyRoute = operation.security === undefined || isPublishableOperation(operation)
      const parameters = (operation.parameters as Json[] | undefined) ?? []
      if (isKeyRoute && method === 'post') parameters.push(ref('parameters', 'IdempotencyKey'))
      parameters.push(ref('parameters', 'RequestId'))
      operation.parameters = parameters
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        const names = ['X-Request-Id']
        if (isKeyRoute && status !== '401') {
          names.push('X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit-Policy', 'RateLimit')
        }
        if (status === '429') names.push('Retry-After')
        if (isKeyRoute && method === 'post' && status.startsWith('2')) names.push('Idempotent-Replayed')
        response.headers = Object.fromEntries(names.map((n) => [n, ref('headers', n)]))
      }
    }
  }
  return document
}

/**
 * Generates the OpenAPI 3.1 document from the route schemas, and serves it at
 * `/api/v1/openapi.json` and a reference page at `/docs` (docs-page.ts; assets served locally: no internet needed).
 */
/**
 * Registers the OpenAPI document. `webhooks` is its OpenAPI 3.1 `webhooks` section, composed by
 * app.ts from the event catalog (http/ does not import modules).
 */
export async function registerOpenApi(app: FastifyInstance, webhooks: Record<string, unknown>) {
  app.addSchema(ErrorResponse)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: [
        {
          url: '{base}',
          description: 'Your Rapport: its RAPPORT_PUBLIC_URL, or where it listens',
          variables: { base: { default: 'http://127.0.0.1:3000', description: 'Scheme, host and port' } },
        },
      ],
      tags: [
        { name: 'contacts', description: 'People the organization works with' },
        { name: 'imports', description: 'CSV imports of contacts run as jobs, with progress and error reports' },
        {
          name: 'saved views',
          description: 'Columns, sort, filter and search of a workspace list, saved per person or shared',
        },
        { name: 'users', description: 'People of the organization: owners, assignees, booking hosts' },
        { name: 'pipelines', description: 'Sales pipelines and their ordered stages' },
        { name: 'deals', description: 'Opportunities moving through a pipeline' },
        { name: 'tasks', description: 'To-dos, optionally linked to a contact or deal' },
        { name: 'activities', description: 'The timeline: calls, emails, meetings and more' },
        { name: 'notes', description: 'Notes on contacts and deals' },
        { name: 'tags', description: 'Labels on contacts' },
        { name: 'work orders', description: 'Jobs for service businesses' },
        { name: 'invoices', description: 'Invoices with server-computed totals in minor units' },
        { name: 'scheduling', description: 'Event types, availability and bookings' },
        {
          name: 'booking pages',
          description:
            'Public, keyless routes behind booking pages: slots, booking, cancel, reschedule, calendar files',
        },
        { name: 'forms', description: 'Lead-capture forms: fields, success behaviour, teams' },
        { name: 'form responses', description: 'Form submissions, each turned into a lead' },
        { name: 'teams', description: 'Groups that handle the leads and callbacks of forms' },
        { name: 'domains', description: 'The websites of the organization' },
        { name: 'notifications', description: 'In-app notifications: captured leads, callback requests' },
        { name: 'callbacks', description: '"Call me back" requests and their tasks' },
        { name: 'events', description: 'The log of changes, as delivered to webhooks' },
        { name: 'api keys', description: 'Secret and publishable keys of the organization' },
        { name: 'webhook endpoints', description: 'URLs that receive events, and their signing secrets' },
        {
          name: 'v1 compatibility: webhooks',
          description: 'Webhook subscriptions at /v1 in the Sarbacane shapes (docs/compatibility.md)',
        },
        {
          name: 'v1 compatibility: forms',
          description: 'Forms and their teams at /v1 in the Sarbacane shapes (docs/compatibility.md)',
        },
        {
          name: 'webhooks (compatibility)',
          description: 'The same endpoints in the webhook shape of other email and form tools',
        },
        { name: 'webhook deliveries', description: 'Delivery logs, attempts, retries, recovery, tests and statistics' },
        { name: 'event types', description: 'The events Rapport emits and delivers to webhook endpoints' },
        { name: 'audit log', description: 'Every API call and webhook attempt, and usage per day' },
        { name: 'accounts', description: 'Dashboard sign-in: first-run setup, sessions and invites' },
        {
          name: 'email',
          description:
            'Senders, transactional email, templates, lists, segments, campaigns and the development mailbox',
        },
        { name: 'provisioning', description: 'Operator API, enabled by RAPPORT_ADMIN_TOKEN' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A secret key: `rk_live_…` or `rk_test_…`' },
          apiKeyHeader: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description: 'A secret key in the X-API-Key header',
          },
          basicAuth: {
            type: 'http',
            scheme: 'basic',
            description: 'User: the organization id; password: the secret key',
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'The operator token (RAPPORT_ADMIN_TOKEN)' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'rapport_session',
            description:
              'A dashboard session (POST /api/v1/session). Changes must also send its `csrf_token` as `X-CSRF-Token`',
          },
          publishableKey: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description:
              'A publishable key (`pk_live_…` / `pk_test_…`), sent from one of its `allowed_origins`; or `?key=`',
          },
        },
      },
      security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { basicAuth: [] }, { sessionCookie: [] }],
      // OpenAPI 3.1: what Rapport POSTs to subscriber URLs, one operation per catalog event. Plain
      // JSON Schemas, which the swagger types cannot check: hence the cast.
      webhooks: webhooks as Record<string, never>,
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string) || `def-${i}` },
    transform: ({ schema, url, route }) => {
      if (!schema || (schema as { hide?: boolean }).hide) return { schema, url }
      const s = { ...schema } as Json
      const isKeyRoute = Boolean(route.config?.scope)
      const isPublishable = Boolean(route.config?.publishable)
      // Browser routes take a publishable key; a route without a scope authenticates no key: say
      // so, rather than inherit the secret-key schemes.
      if (isPublishable) s.security = [{ publishableKey: [] }]
      if (!isKeyRoute) s.security ??= []
      const response: Json = {}
      for (const [status, body] of Object.entries((s.response as Json) ?? {})) {
        // A route may declare its own error bodies (POST /api/v1/form_responses): their schema describes them.
        const description =
          status === '201'
            ? 'Created'
            : status.startsWith('2')
              ? 'OK'
              : (((body as Json).description as string | undefined) ?? 'Error')
        response[status] = { ...(body as Json), 'x-response-description': description }
      }
      // Every documented route answers errors in the one error body.
      for (const status of errorStatuses(s, isKeyRoute || isPublishable)) {
        response[String(status)] ??= { description: describeStatus(status), $ref: 'Error#' }
      }
      s.response = response
      return { schema: s as typeof schema, url }
    },
    transformObject: (documentObject) =>
      'openapiObject' in documentObject
        ? addCrossCuttingHeaders(documentObject.openapiObject as Json)
        : documentObject.swaggerObject,
  })
  openApiDocumentRoute(app)
  await registerDocsPage(app)
}
