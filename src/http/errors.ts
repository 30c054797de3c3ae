import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { validationDetails } from './validation.js'

/**
 * The closed set of error codes. Only this file knows their HTTP statuses; `docs/errors.md`
 * documents each one, and a test checks that the two agree.
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_encoding: 400,
  invalid_query: 400,
  invalid_header: 400,
  unauthenticated: 401,
  invalid_api_key: 401,
  invalid_credentials: 401,
  insufficient_scope: 403,
  plan_limit: 403,
  csrf_failed: 403,
  not_found: 404,
  route_not_found: 404,
  conflict: 409,
  already_exists: 409,
  idempotency_key_in_use: 409,
  slot_unavailable: 409,
  setup_complete: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export interface ErrorDetail {
  field: string
  message: string
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { details?: ErrorDetail[]; retryAfterSec?: number } = {},
  ) {
    super(message)
  }
  get statusCode(): number {
    return ERROR_STATUS[this.code]
  }
}

/** A 422 naming one field. */
export function invalidField(field: string, message: string): ApiError {
  return new ApiError('validation_failed', `${field}: ${message}`, { details: [{ field, message }] })
}

export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
    details?: ErrorDetail[]
    retry_after?: number
    request_id: string
  }
}

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.extra.details ? { details: error.extra.details } : {}),
      ...(error.extra.retryAfterSec !== undefined ? { retry_after: error.extra.retryAfterSec } : {}),
      request_id: requestId,
    },
  }
}

/** Maps anything thrown to an ApiError; unknown errors become an opaque 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  const e = err as FastifyError & { validationContext?: string }
  if (e?.validation) {
    const details = validationDetails(e.validation)
    const where = e.validationContext
    if (where === 'body') {
      const first = details[0]
      const message = first ? `${first.field}: ${first.message}` : 'The request body is invalid'
      return new ApiError(
        'validation_failed',
        details.length > 1 ? `${message} (and ${details.length - 1} more)` : message,
        { details },
      )
    }
    return new ApiError(
      'invalid_query',
      `Invalid ${where === 'params' ? 'path parameter' : 'query parameter'}: ${details.map((d) => `${d.field} ${d.message.toLowerCase()}`).join('; ')}`,
      { details },
    )
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large', 'The request body is larger than 1 MB')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type', 'Send the body as application/json')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('invalid_json', 'The body is empty but Content-Type is application/json')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('invalid_json', 'Content-Length does not match the body')
  }
  if (e?.statusCode === 400 && e instanceof SyntaxError)
    return new ApiError('invalid_json', `The body is not valid JSON: ${e.message}`)
  if (e?.statusCode === 400) return new ApiError('invalid_json', 'The request could not be parsed')
  if (e?.statusCode === 413) return new ApiError('payload_too_large', 'The request body is larger than 1 MB')
  if (e?.statusCode === 415) return new ApiError('unsupported_media_type', 'Send the body as application/json')
  return new ApiError('internal_error', 'Something went wrong on our side; quote the request id when reporting it')
}

/**
 * An error handler for a route whose body wraps its fields in one envelope object (e.g.
 * `{"form_response":{…}}`): details name fields inside the envelope (`form_data.email`), as the
 * route's clients expect, rather than from the body's root.
 */
export function envelopeErrorHandler(envelope: string) {
  const prefix = `${envelope}.`
  return (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(err)
    const details = apiError.extra.details
    if (!details) return handleError(apiError, req, reply)
    const inner = details.map((d) => ({
      ...d,
      field: d.field.startsWith(prefix) ? d.field.slice(prefix.length) : d.field,
    }))
    const message = apiError.message.startsWith(prefix) ? apiError.message.slice(prefix.length) : apiError.message
    return handleError(new ApiError(apiError.code, message, { ...apiError.extra, details: inner }), req, reply)
  }
}

export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const apiError = toApiError(err)
  if (apiError.code === 'internal_error') req.log.error({ err }, 'unhandled error')
  if (apiError.extra.retryAfterSec !== undefined) reply.header('retry-after', String(apiError.extra.retryAfterSec))
  return reply.code(apiError.statusCode).send(errorBody(apiError, req.id))
}
