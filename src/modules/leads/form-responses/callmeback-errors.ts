import type { FastifyReply, FastifyRequest } from 'fastify'
import Type, { type TSchema } from 'typebox'
import { toApiError } from '../../../core/error-reply.js'
import { type ApiError, ERROR_STATUS, type ErrorCode } from '../../../core/errors.js'

/**
 * Errors of `POST /api/v1/form_responses` in the dialect of the CallMeBack documents, the one native
 * route that does not answer the one error envelope: clients written from those documents read
 * `error` as a string and `details` as a map from a path to its messages, and this route is their
 * entry point. The native code, message and request id ride beside it, so nothing is lost.
 */

const PREFIX = 'form_response.'

/** The `error` text each status has in the dialect; other statuses use the native message. */
const DIALECT_TEXT: Partial<Record<number, string>> = {
  401: 'Invalid API key',
  422: 'Validation failed',
  429: 'Rate limit exceeded',
}

export interface CallMeBackErrorBody {
  error: string
  code: ErrorCode
  message: string
  details?: Record<string, string[]>
  retry_after?: number
  request_id: string
}

/**
 * A native detail message in the dialect's words, which are Rails' (`is required`, `is invalid`,
 * `is too long (maximum is 200 characters)`): clients written from the document match on them. The
 * native sentence stays in `message`.
 */
function dialectMessage(message: string): string {
  if (/^(this field is required|required)$/i.test(message)) return 'is required'
  if (/^must not be empty$/i.test(message)) return "can't be blank"
  const tooLong = /^must be at most (\d+) characters$/i.exec(message)
  if (tooLong) return `is too long (maximum is ${tooLong[1]} characters)`
  const tooShort = /^must be at least (\d+) characters$/i.exec(message)
  if (tooShort) return `is too short (minimum is ${tooShort[1]} characters)`
  // The schema's own checks ("Must be a valid email", "Must be one of: …") are the document's "is
  // invalid"; a message written for the case (how to add a missing domain) is kept, in lower case.
  if (/^must /i.test(message)) return 'is invalid'
  return message.charAt(0).toLowerCase() + message.slice(1)
}

export function callMeBackBody(error: ApiError, requestId: string): CallMeBackErrorBody {
  const inner = (field: string) => (field.startsWith(PREFIX) ? field.slice(PREFIX.length) : field)
  const message = error.message.startsWith(PREFIX) ? error.message.slice(PREFIX.length) : error.message
  let details: Record<string, string[]> | undefined
  for (const d of error.extra.details ?? []) {
    details ??= {}
    const path = inner(d.field) || 'form_response'
    details[path] = [...(details[path] ?? []), dialectMessage(d.message)]
  }
  return {
    error: DIALECT_TEXT[error.statusCode] ?? message,
    code: error.code,
    message,
    ...(details ? { details } : {}),
    ...(error.extra.retryAfterSec !== undefined ? { retry_after: error.extra.retryAfterSec } : {}),
    request_id: requestId,
  }
}

/** The route's error handler: every failure, authentication and rate limits included, in the dialect. */
export function callMeBackErrorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const apiError = toApiError(err)
  if (apiError.code === 'internal_error') req.log.error({ err }, 'unhandled error')
  if (apiError.extra.retryAfterSec !== undefined) reply.header('retry-after', String(apiError.extra.retryAfterSec))
  return reply.code(apiError.statusCode).send(callMeBackBody(apiError, req.id))
}

const codesOf = (status: number) =>
  Object.entries(ERROR_STATUS)
    .filter(([, s]) => s === status)
    .map(([c]) => `\`${c}\``)
    .join(', ')

function errorSchema(status: number, example: CallMeBackErrorBody): TSchema {
  return Type.Object(
    {
      error: Type.String({
        description: DIALECT_TEXT[status]
          ? `Always \`${DIALECT_TEXT[status]}\` for a ${status}`
          : 'What went wrong, in a sentence',
      }),
      code: Type.String({ description: `Rapport's error code: ${codesOf(status)}` }),
      message: Type.String({ description: 'What went wrong and what to do, as in the native error envelope' }),
      details: Type.Optional(
        Type.Record(Type.String(), Type.Array(Type.String()), {
          description: 'For a 422: each offending path inside `form_response` with its messages',
        }),
      ),
      retry_after: Type.Optional(Type.Integer({ description: 'For a 429: seconds to wait (also `Retry-After`)' })),
      request_id: Type.String({ description: 'The request id, also in `X-Request-Id`' }),
    },
    {
      description: `Error (CallMeBack dialect): ${codesOf(status)}`,
      examples: [example],
    },
  )
}

const REQUEST_ID = 'req_01jd3k8m2x7q9v4b6n5t0w1y2z'

/** The route's error responses for its schema: the dialect's bodies, with the documents' examples. */
export const CallMeBackErrors: Record<number, TSchema> = {
  400: errorSchema(400, {
    error: 'The body is not valid JSON: Unexpected end of JSON input',
    code: 'invalid_json',
    message: 'The body is not valid JSON: Unexpected end of JSON input',
    request_id: REQUEST_ID,
  }),
  401: errorSchema(401, {
    error: 'Invalid API key',
    code: 'invalid_api_key',
    message: 'The API key is invalid or has been revoked',
    request_id: REQUEST_ID,
  }),
  403: errorSchema(403, {
    error: 'This API key lacks the "leads" scope',
    code: 'insufficient_scope',
    message: 'This API key lacks the "leads" scope',
    request_id: REQUEST_ID,
  }),
  404: errorSchema(404, {
    error: 'No route POST /api/v1/form_response; see /docs for the API reference',
    code: 'route_not_found',
    message: 'No route POST /api/v1/form_response; see /docs for the API reference',
    request_id: REQUEST_ID,
  }),
  409: errorSchema(409, {
    error: 'A request with this Idempotency-Key is still in progress',
    code: 'idempotency_key_in_use',
    message: 'A request with this Idempotency-Key is still in progress',
    request_id: REQUEST_ID,
  }),
  413: errorSchema(413, {
    error: 'The request body is larger than 1 MB',
    code: 'payload_too_large',
    message: 'The request body is larger than 1 MB',
    request_id: REQUEST_ID,
  }),
  415: errorSchema(415, {
    error: 'Send the body as application/json',
    code: 'unsupported_media_type',
    message: 'Send the body as application/json',
    request_id: REQUEST_ID,
  }),
  422: errorSchema(422, {
    error: 'Validation failed',
    code: 'validation_failed',
    message: 'form_data.email: Must be a valid email (and 1 more)',
    details: { 'form_data.email': ['is invalid'], 'form_data.phone': ['is required'] },
    request_id: REQUEST_ID,
  }),
  429: errorSchema(429, {
    error: 'Rate limit exceeded',
    code: 'rate_limited',
    message: 'Rate limit of 100 requests per hour exceeded; retry in 60 s',
    retry_after: 60,
    request_id: REQUEST_ID,
  }),
  500: errorSchema(500, {
    error: 'Something went wrong on our side; quote the request id when reporting it',
    code: 'internal_error',
    message: 'Something went wrong on our side; quote the request id when reporting it',
    request_id: REQUEST_ID,
  }),
  503: errorSchema(503, {
    error: 'The database is unreachable; retry shortly',
    code: 'service_unavailable',
    message: 'The database is unreachable; retry shortly',
    request_id: REQUEST_ID,
  }),
}
