/**
 * The closed set of error codes. Only this file knows their HTTP statuses (`src/http/error-handler.ts` writes them); `docs/errors.md`
 * documents each one, and a test checks that the two agree.
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_encoding: 400,
  invalid_query: 400,
  invalid_header: 400,
  malformed_request: 400,
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
  request_timeout: 408,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
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
    readonly extra: { details?: ErrorDetail[]; detailsOmitted?: number; retryAfterSec?: number } = {},
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

/** An error body lists at most this many details; `details_omitted` counts the rest. */
export const MAX_ERROR_DETAILS = 100

export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
    details?: ErrorDetail[]
    details_omitted?: number
    retry_after?: number
    request_id: string
  }
}

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  const details = error.extra.details
  const omitted = Math.max(0, (details?.length ?? 0) - MAX_ERROR_DETAILS) + (error.extra.detailsOmitted ?? 0)
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(details
        ? { details: details.length > MAX_ERROR_DETAILS ? details.slice(0, MAX_ERROR_DETAILS) : details }
        : {}),
      ...(omitted > 0 ? { details_omitted: omitted } : {}),
      ...(error.extra.retryAfterSec !== undefined ? { retry_after: error.extra.retryAfterSec } : {}),
      request_id: requestId,
    },
  }
}
