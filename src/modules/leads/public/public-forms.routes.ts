import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { handleError, toApiError } from '../../../core/error-reply.js'
import { ApiError } from '../../../core/errors.js'
import { allowOrigin, PUBLIC_ALLOW_HEADERS } from './cors.js'
import {
  PublicForm,
  PublicFormParams,
  PublicKeyQuery,
  SUBMISSION_BODY_LIMIT_BYTES,
  SubmissionAccepted,
  SubmissionCreate,
} from './public-forms.schemas.js'
import type { PublicFormsService } from './public-forms.service.js'

/** How long a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_SEC = 600

/** The 413 of this route names its own limit (the app-wide message names the 1 MB one). */
function submissionErrorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const apiError = toApiError(err)
  if (apiError.code === 'payload_too_large') {
    return handleError(
      new ApiError('payload_too_large', `A form submission is limited to ${SUBMISSION_BODY_LIMIT_BYTES / 1024} KB`),
      req,
      reply,
    )
  }
  return handleError(apiError, req, reply)
}

/**
 * The routes a browser calls with a publishable key: a form's public definition and its
 * submissions, each with its CORS preflight.
 */
export function publicFormsRoutes(forms: PublicFormsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['forms']

    const preflight = (methods: string) => async (req: FastifyRequest, reply: FastifyReply) => {
      const { id } = req.params as { id: string }
      const { key } = req.query as { key?: string }
      const origin = req.headers.origin
      if (origin && (await forms.preflightAllowed(id, key, origin))) {
        allowOrigin(reply, origin)
        reply
          .header('access-control-allow-methods', methods)
          .header('access-control-allow-headers', PUBLIC_ALLOW_HEADERS)
          .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SEC))
      }
      return reply.code(204).send()
    }
    const preflightSchema = { hide: true, params: PublicFormParams, querystring: PublicKeyQuery }

    app.options(
      '/api/v1/forms/:id/public',
      { config: { publicRateLimit: 'read' }, schema: preflightSchema },
      preflight('GET'),
    )
    app.options(
      '/api/v1/forms/:id/submissions',
      { config: { publicRateLimit: 'read' }, schema: preflightSchema },
      preflight('POST'),
    )

    app.get(
      '/api/v1/forms/:id/public',
      {
        config: { publishable: true, publicRateLimit: 'read' },
        schema: {
          operationId: 'getPublicForm',
          summary: 'Get a form’s public definition',
          description:
            'For a browser widget, with a publishable key (`X-API-Key: pk_live_…` or `?key=`) from one of its allowed origins (`Origin` required; CORS answered for those origins only). Returns the fields to render, the messages, where to submit, a signed `token` (valid 24 h) and the name of the `honeypot` input to hide. `:id` may be `default`: the oldest form of the organization in this mode. A secret key is refused (403): never put one in a web page.',
          tags,
          params: PublicFormParams,
          querystring: PublicKeyQuery,
          response: { 200: PublicForm },
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store')
        return forms.definition(req.principal, req.params.id, `${req.protocol}://${req.host}`)
      },
    )

    app.post(
      '/api/v1/forms/:id/submissions',
      {
        config: { publishable: true, publicRateLimit: 'write' },
        bodyLimit: SUBMISSION_BODY_LIMIT_BYTES,
        errorHandler: submissionErrorHandler,
        schema: {
          operationId: 'submitPublicForm',
          summary: 'Submit a form from a browser',
          description:
            'With a publishable key from one of its allowed origins. `data` is checked against the form’s fields (a 422 names `data.<key>`; a key the form does not have is a 422), `token` must come from the public definition (a forged or expired one is a 422 on `token`: fetch the definition again). Stored like `POST /api/v1/form_responses`: contact created or completed, activity, notification, events, callback when offered. A filled honeypot or a submission within `RAPPORT_FORM_MIN_FILL_MS` of the token is answered the same 201 but not stored (`form_response.rejected`). Limits: 64 KB (413), the per-address public write budget and 60 submissions a minute per publishable key (429). `Idempotency-Key` makes a retry or double click store one response. The answer never names the contact.',
          tags,
          params: PublicFormParams,
          querystring: PublicKeyQuery,
          body: SubmissionCreate,
          response: { 201: SubmissionAccepted },
        },
      },
      async (req, reply) =>
        reply.code(201).send(
          await forms.submit(req.principal, req.params.id, req.body, {
            userAgent: req.headers['user-agent'],
            ip: req.ip,
          }),
        ),
    )
  }
}
