import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import {
  BULK_ASSIGN_MAX_IDS,
  BulkAssignBody,
  BulkAssignResult,
  Contact,
  ContactCreate,
  ContactIdParams,
  ContactList,
  ContactListQuery,
  ContactUpdate,
} from './contacts.schemas.js'
import type { ContactsService } from './contacts.service.js'

export function contactsRoutes(contacts: ContactsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['contacts']

    app.get(
      '/api/v1/contacts',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listContacts',
          summary: 'List contacts',
          description: 'Filter, search and sort the contacts of the organization; paged.',
          tags,
          querystring: ContactListQuery,
          response: { 200: ContactList },
        },
      },
      async (req) => contacts.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/contacts',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createContact',
          summary: 'Create a contact',
          description: 'Creates a contact and emits `contact.created`. A duplicate email is a 409.',
          tags,
          body: ContactCreate,
          response: { 201: Contact },
        },
      },
      async (req, reply) => reply.code(201).send(await contacts.create(req.principal, req.body)),
    )

    app.post(
      '/api/v1/contacts/bulk_assign',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'bulkAssignContacts',
          summary: 'Give many contacts one owner',
          description: `Sets \`owner_id\` on up to ${BULK_ASSIGN_MAX_IDS} contacts at once (null unassigns them), in one transaction: each contact whose owner changes emits \`contact.updated\` with \`changes: {owner_id}\`; contacts that already had that owner are left alone. An owner who is not a user of the organization is a 422 naming \`owner_id\`; ids of no contact of this organization and mode are listed in \`not_found\` and do not fail the rest.`,
          tags,
          body: BulkAssignBody,
          response: { 200: BulkAssignResult },
        },
      },
      async (req) => contacts.assignOwner(req.principal, req.body),
    )

    app.get(
      '/api/v1/contacts/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getContact',
          summary: 'Get a contact',
          description: 'Answers with an `ETag`; send it back as `If-Match` on PATCH or DELETE to avoid lost updates.',
          tags,
          params: ContactIdParams,
          response: { 200: Contact },
        },
      },
      async (req) => contacts.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/contacts/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'updateContact',
          summary: 'Update a contact',
          description:
            'Changes the given fields and emits `contact.updated` with the changed fields. With `If-Match`, applies only if the contact still has that ETag (else 412 `precondition_failed`).',
          tags,
          params: ContactIdParams,
          body: ContactUpdate,
          response: { 200: Contact },
        },
      },
      async (req) => contacts.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/contacts/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteContact',
          summary: 'Delete a contact',
          description: 'Deletes the contact and emits `contact.deleted`.',
          tags,
          params: ContactIdParams,
          response: { 200: Deleted(Type.Literal('contact')) },
        },
      },
      async (req) => {
        const deleted = await contacts.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'contact' as const, deleted: true as const }
      },
    )
  }
}
