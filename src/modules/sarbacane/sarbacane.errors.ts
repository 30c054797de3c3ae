import type { FastifyReply, FastifyRequest } from 'fastify'
import { toApiError } from '../../core/error-reply.js'
import { ApiError } from '../../core/errors.js'
import type { SarbacaneError } from './sarbacane.schemas.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The status of `API_KEY_UNAUTHORIZED` on this /v1 route: the document says 400 for webhooks, 401 for forms. */
    sarbacaneBadKeyStatus?: 400 | 401
  }
}

/** The credentials of a /v1 request as the document defines them: `accountId` + `apiKey`, or Basic. */
export function sarbacaneCredentials(req: FastifyRequest): { accountId?: string; apiKey?: string } {
  const header = (name: string) => {
    const v = req.headers[name]
    return (Array.isArray(v) ? v[0] : v)?.trim() || undefined
  }
  let accountId = header('accountid')
  let apiKey = header('apikey') ?? header('x-api-key')
  const [scheme, value = ''] = (header('authorization') ?? '').split(/\s+/, 2)
  if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    accountId ??= (colon >= 0 ? decoded.slice(0, colon) : decoded) || undefined
    apiKey ??= (colon >= 0 ? decoded.slice(colon + 1) : '') || undefined
  } else if (scheme?.toLowerCase() === 'bearer' && value) {
    apiKey ??= value
  }
  return { ...(accountId ? { accountId } : {}), ...(apiKey ? { apiKey } : {}) }
}

const NEED_ACCOUNT_ID =
  'No account id: send the accountId header (your organization id), or HTTP Basic ACCOUNTID:APIKEY'
const NEED_API_KEY = 'No API key: send the apiKey header, or HTTP Basic ACCOUNTID:APIKEY'

/**
 * Runs after authentication on every /v1 route: the document makes the account id part of the
 * credentials, so a valid key sent without it is still a `NEED_ACCOUNT_ID`.
 */
export async function requireAccountId(req: FastifyRequest) {
  if (!sarbacaneCredentials(req).accountId) throw new ApiError('unauthenticated', NEED_ACCOUNT_ID)
}

/** The /v1 body and status for any error: the document's messages for credentials, else the code in capitals. */
export function sarbacaneErrorOf(err: unknown, req: FastifyRequest): { status: number; body: SarbacaneError } {
  let apiError = toApiError(err)
  let status = apiError.statusCode
  let message = apiError.code.toUpperCase()
  if (apiError.code === 'unauthenticated' || apiError.code === 'invalid_api_key') {
    const { accountId, apiKey } = sarbacaneCredentials(req)
    // A missing part is a missing credential, whatever the key check made of the rest.
    if (!accountId || !apiKey) {
      message = accountId ? 'NEED_API_KEY' : 'NEED_ACCOUNT_ID'
      apiError = new ApiError('unauthenticated', accountId ? NEED_API_KEY : NEED_ACCOUNT_ID)
      status = 401
    } else {
      message = 'API_KEY_UNAUTHORIZED'
      status = req.routeOptions.config?.sarbacaneBadKeyStatus ?? 401
    }
  } else if (apiError.code === 'internal_error') {
    message = 'INTERNAL_SERVER_ERROR'
  }
  const description = apiError.message
  return {
    status,
    body: {
      message,
      description,
      code: apiError.code,
      ...(apiError.extra.details ? { details: apiError.extra.details } : {}),
      ...(apiError.extra.retryAfterSec !== undefined ? { retry_after: apiError.extra.retryAfterSec } : {}),
      request_id: req.id,
    },
  }
}

/** The error handler of the /v1 plugin: every failure (credentials, rate limits, validation) in the /v1 body. */
export function sarbacaneErrorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const { status, body } = sarbacaneErrorOf(err, req)
  if (body.code === 'internal_error') req.log.error({ err }, 'unhandled error')
  if (body.retry_after !== undefined) reply.header('retry-after', String(body.retry_after))
  return reply.code(status).send(body)
}
