import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import {
  Email,
  EmailCreate,
  EmailIdParams,
  EmailList,
  EmailListQuery,
  MailboxIdParams,
  MailboxList,
  MailboxListQuery,
  MailboxMessage,
} from './emails.schemas.js'
import type { EmailsService } from './emails.service.js'

export function emailsRoutes(emails: EmailsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']

    app.post(
      '/api/v1/emails',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'sendEmail',
          summary: 'Send an email',
          description:
            'Queues one message to a contact (`c_…`) or an address and answers 202 at once; the worker role sends it. Give `subject` with `html` and/or `text` (the text part is derived from the HTML when missing), or a `template_id` with `data`. Sent from `from` (a sender id or address) or the default sender. A contact recipient gets an `email` activity on its timeline. Safe to retry with `Idempotency-Key`. Test-mode keys send to the development mailbox only.',
          tags,
          body: EmailCreate,
          response: { 202: Email },
        },
      },
      async (req, reply) => reply.code(202).send(await emails.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/emails',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEmails',
          summary: 'List emails',
          description: 'Outgoing messages, newest first; filter by status, contact and category. Paged.',
          tags,
          querystring: EmailListQuery,
          response: { 200: EmailList },
        },
      },
      async (req) => emails.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/emails/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getEmail',
          summary: 'Get an email',
          description:
            'One message with its status and its history (`events`: queued, deferred, sent, delivered, failed).',
          tags,
          params: EmailIdParams,
          response: { 200: Email },
        },
      },
      async (req) => emails.get(req.principal, req.params.id),
    )

    app.get(
      '/api/v1/mailbox',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listMailbox',
          summary: 'List the development mailbox',
          description:
            'Messages kept instead of sent: every message when no SMTP server is configured (RAPPORT_SMTP_URL unset), and every test-mode message always. Newest first; filter by recipient. Paged.',
          tags,
          querystring: MailboxListQuery,
          response: { 200: MailboxList },
        },
      },
      async (req) => emails.listMailbox(req.principal, req.query),
    )

    app.get(
      '/api/v1/mailbox/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getMailboxMessage',
          summary: 'Get a development mailbox message',
          description: 'One kept message, with `raw`: the whole MIME source that would have been sent.',
          tags,
          params: MailboxIdParams,
          response: { 200: MailboxMessage },
        },
      },
      async (req) => emails.getMailboxMessage(req.principal, req.params.id),
    )
  }
}
