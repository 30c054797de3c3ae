import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { CallMeBackErrors, callMeBackErrorHandler } from './callmeback-errors.js'
import {
  FormResponse,
  FormResponseCreate,
  FormResponseCreated,
  FormResponseIdParams,
  FormResponseList,
  FormResponseListQuery,
} from './form-responses.schemas.js'
import type { FormResponsesService } from './form-responses.service.js'

export function formResponsesRoutes(responses: FormResponsesService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['form responses']

    app.post(
      '/api/v1/form_responses',
      {
        config: { scope: 'leads' },
        // The one native route that answers errors in another dialect: see callmeback-errors.ts.
        errorHandler: callMeBackErrorHandler,
        schema: {
          operationId: 'createFormResponse',
          summary: 'Submit a form response',
          description:
            'Stores a submission and turns it into a lead: the contact with `form_data.email` is created (status `lead`, source `lead_capture`) or completed (empty name, phone and company filled), a timeline activity and a notification are added, and `form_response.created` plus `contact.created` or `lead.updated` are emitted. With `form_data.callback_requested: true` (and a phone), a callback and its task are scheduled (`callback.scheduled`). `domain_id` takes the domain’s id or its hostname. Needs the `leads` scope, which every plan grants.\n\n**Errors use the CallMeBack dialect** on this route only, so that clients written from its documents work unchanged: `{"error": "Invalid API key"}` (401), `{"error": "Validation failed", "details": {"form_data.email": ["is invalid"]}}` (422, each path inside `form_response` with its messages), `{"error": "Rate limit exceeded", "retry_after": 60}` (429), plus Rapport’s `code`, `message` and `request_id` beside them.',
          tags,
          body: FormResponseCreate,
          response: { 201: FormResponseCreated, ...CallMeBackErrors },
        },
      },
      async (req, reply) => reply.code(201).send(await responses.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/form_responses',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listFormResponses',
          summary: 'List form responses',
          description: 'Stored submissions, newest first; filter by form, domain, lead and creation time. Paged.',
          tags,
          querystring: FormResponseListQuery,
          response: { 200: FormResponseList },
        },
      },
      async (req) => responses.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/form_responses/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getFormResponse',
          summary: 'Get a form response',
          description: 'One stored submission, with every submitted field and an `ETag`.',
          tags,
          params: FormResponseIdParams,
          response: { 200: FormResponse },
        },
      },
      async (req) => responses.get(req.principal, req.params.id),
    )
  }
}
