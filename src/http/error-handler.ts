import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { handleError, toApiError } from '../core/error-reply.js'
import { ApiError, errorBody } from '../core/errors.js'
import { newId } from '../lib/ids.js'

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

type ErrorHandler = (err: unknown, req: FastifyRequest, reply: FastifyReply) => unknown

/**
 * Errors the router meets before any route is chosen (a path that is not valid percent-encoding, a
 * path parameter over `MAX_PATH_PARAM_LENGTH`): the same body and codes as every other error, or,
 * under a path prefix whose routes answer in another API's error body (`/v1`), that body, since
 * no route's own error handler can see these requests. No `onRequest` hook has run for them, so the
 * request id header is set here.
 */
export function frameworkErrorHandler(dialects: Record<string, ErrorHandler> = {}): ErrorHandler {
  const prefixes = Object.keys(dialects)
  return (err, req, reply) => {
    reply.header('x-request-id', req.id)
    const prefix = prefixes.find((p) => req.url.startsWith(p))
    return (prefix ? dialects[prefix]! : handleError)(err, req, reply)
  }
}

/** Node's codes for a connection that ends by itself: nothing can or needs to be answered. */
const GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])

/**
 * Requests that Node's HTTP parser refuses before Fastify sees them: a request line and headers over
 * 16 KB (`headers_too_large`, 431), a request not received within the request or headers timeout
 * (`request_timeout`, 408), anything unparseable (`malformed_request`, 400). They get the documented
 * body with a fresh request id, then the connection is closed, as Node itself would do.
 */
export function handleClientError(err: Error & { code?: string }, socket: Socket) {
  if ((err.code && GONE.has(err.code)) || socket.destroyed) return
  const apiError =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError('headers_too_large', 'The request line and headers together exceed 16 KB')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiError('request_timeout', 'The request was not received in time')
        : new ApiError('malformed_request', 'The request is not valid HTTP/1.1')
  const requestId = newId('request')
  const body = JSON.stringify(errorBody(apiError, requestId))
  // A response already started on this connection cannot be replaced (Node's own rule).
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
  if (socket.writable && !pending?.headersSent) {
    socket.write(
      `HTTP/1.1 ${apiError.statusCode} ${STATUS_CODES[apiError.statusCode]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}
