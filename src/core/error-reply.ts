import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, errorBody } from './errors.js'
import { validationProblems } from './validation.js'

/** Longest path parameter the router matches (ids are at most 64 characters, slugs 80). */
export const MAX_PATH_PARAM_LENGTH = 100

/** Maps anything thrown to an ApiError; unknown errors become an opaque 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  const e = err as FastifyError & { validationContext?: string }
  if (e?.validation) {
    const { details, more } = validationProblems(e.validation)
    const detailsOmitted = more > 0 ? { detailsOmitted: more } : {}
    const where = e.validationContext
    if (where === 'body') {
      const first = details[0]
      const message = first ? `${first.field}: ${first.message}` : 'The request body is invalid'
      const others = details.length - 1 + more
      return new ApiError('validation_failed', others > 0 ? `${message} (and ${others} more)` : message, {
        details,
        ...detailsOmitted,
      })
    }
    return new ApiError(
      'invalid_query',
      `Invalid ${where === 'params' ? 'path parameter' : 'query parameter'}: ${details
        .slice(0, 10)
        .map((d) => `${d.field} ${d.message.toLowerCase()}`)
        .join('; ')}`,
      { details, ...detailsOmitted },
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
    case 'FST_ERR_BAD_URL':
      return new ApiError('invalid_query', 'The path is not valid percent-encoded UTF-8')
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError('invalid_query', `A path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters`)
  }
  if (e?.statusCode === 400 && e instanceof SyntaxError)
    return new ApiError('invalid_json', `The body is not valid JSON: ${e.message}`)
  if (e?.statusCode === 400) return new ApiError('invalid_json', 'The request could not be parsed')
  if (e?.statusCode === 413) return new ApiError('payload_too_large', 'The request body is larger than 1 MB')
  if (e?.statusCode === 415) return new ApiError('unsupported_media_type', 'Send the body as application/json')
  return new ApiError('internal_error', 'Something went wrong on our side; quote the request id when reporting it')
}

/** Answers `err` with the one error body (any unknown error as an opaque, logged 500). */
export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const apiError = toApiError(err)
  if (apiError.code === 'internal_error') req.log.error({ err }, 'unhandled error')
  if (apiError.extra.retryAfterSec !== undefined) reply.header('retry-after', String(apiError.extra.retryAfterSec))
  return reply.code(apiError.statusCode).send(errorBody(apiError, req.id))
}
