import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { CapturedLead, LeadCapture } from './lead-webhook.schemas.js'
import type { LeadWebhookService } from './lead-webhook.service.js'

export function leadWebhookRoutes(leads: LeadWebhookService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.post(
      '/api/webhook/leads',
      {
        config: { scope: 'leads' },
        schema: {
          operationId: 'captureLead',
          summary: 'Capture a lead',
          description:
            'The inbound lead endpoint for any source (website, ads, a hand-typed form). Send a secret key as `Authorization: Bearer` or `X-API-Key`. The lead becomes a contact (status `lead`, source `lead_capture`; `contact.created`) or, when the email is known, completes that contact without overwriting it (`lead.updated`). Answers 201 in both cases, with `created` telling which; a timeline activity and a notification are added.',
          tags: ['contacts'],
          body: LeadCapture,
          response: { 201: CapturedLead },
        },
      },
      async (req, reply) => reply.code(201).send(await leads.capture(req.principal, req.body)),
    )
  }
}
