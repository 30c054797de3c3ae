import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify'
import { validatorCompiler } from '../../../core/validation.js'
import { ContactList } from '../contacts.schemas.js'
import type { ContactsService } from '../contacts.service.js'
import type { ContactsBatchService } from './batch.service.js'
import { BatchUpsertBody, BatchUpsertEnvelope, BatchUpsertResult, SearchBody } from './bulk.schemas.js'

/** Checks the batch body's envelope only, so that one bad item cannot fail the others. */
const batchValidator: FastifySchemaCompiler<unknown> = (route) =>
  validatorCompiler(route.httpPart === 'body' ? { ...route, schema: BatchUpsertEnvelope } : route)

export function contactsBulkRoutes(contacts: ContactsService, batch: ContactsBatchService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['contacts']

    app.post(
      '/api/v1/contacts/batch',
      {
        config: { scope: 'write' },
        validatorCompiler: batchValidator,
        schema: {
          operationId: 'batchUpsertContacts',
          summary: 'Create or update up to 100 contacts',
          description:
            'Upserts each contact by `match_on` (`email`, case-insensitively, or `external_id`): a match is updated as a PATCH would and emits `contact.updated` when something changed; otherwise the contact is created and emits `contact.created`. Each item is written with its event in a transaction of its own, so one bad item does not fail the others: the answer is 200 with one result per item (`created`, `updated` or `error` with the error body).',
          tags,
          body: BatchUpsertBody,
          response: { 200: BatchUpsertResult },
        },
      },
      async (req) => batch.upsert(req.principal, req.body),
    )

    app.post(
      '/api/v1/contacts/search',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'searchContacts',
          summary: 'Search contacts with a structured filter',
          description:
            'Finds contacts matching a filter of nested `and` / `or` / `not` over contact fields, tags and custom fields, sorted and paged as `GET /api/v1/contacts` (page/limit or cursor). An invalid filter is a 422 whose detail names the failing part, e.g. `filter.and[1].or[0].op`. Reads only: no event, and an `Idempotency-Key` is not needed.',
          tags,
          body: SearchBody,
          response: { 200: ContactList },
        },
      },
      async (req) => contacts.search(req.principal, req.body),
    )
  }
}
