import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../../core/preconditions.js'
import { Deleted } from '../../../core/schemas.js'
import {
  Form,
  FormCreate,
  FormIdParams,
  FormList,
  FormListQuery,
  FormName,
  FormTeams,
  FormUpdate,
} from './forms.schemas.js'
import type { FormsService } from './forms.service.js'

export function formsRoutes(forms: FormsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['forms']

    app.get(
      '/api/v1/forms',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listForms',
          summary: 'List forms',
          description:
            'The forms of the organization, newest first. Paged by `page`, `cursor` or `offset`; `limit` goes up to 1,000 on this list.',
          tags,
          querystring: FormListQuery,
          response: { 200: FormList },
        },
      },
      async (req) => forms.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/forms',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createForm',
          summary: 'Create a form',
          description:
            'Creates a form. Field keys are unique within the form, a `select` needs `options`, and every team id must name a team of the organization (else 422).',
          tags,
          body: FormCreate,
          response: { 201: Form },
        },
      },
      async (req, reply) => reply.code(201).send(await forms.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/forms/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getForm',
          summary: 'Get a form',
          description: 'Answers with an `ETag`; send it back as `If-Match` on PATCH to avoid lost updates.',
          tags,
          params: FormIdParams,
          response: { 200: Form },
        },
      },
      async (req) => forms.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/forms/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'updateForm',
          summary: 'Update a form',
          description:
            'Changes the given fields (`fields` and `team_ids` replace the whole list). With `If-Match`, applies only if the form still has that ETag (else 412 `precondition_failed`).',
          tags,
          params: FormIdParams,
          body: FormUpdate,
          response: { 200: Form },
        },
      },
      async (req) => forms.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/forms/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteForm',
          summary: 'Delete a form',
          description: 'Deletes the form; its responses are kept, with `form_id` set to null.',
          tags,
          params: FormIdParams,
          response: { 200: Deleted(Type.Literal('form')) },
        },
      },
      async (req) => {
        await forms.remove(req.principal, req.params.id)
        return { id: req.params.id, object: 'form' as const, deleted: true as const }
      },
    )

    app.put(
      '/api/v1/forms/:id/name',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'renameForm',
          summary: 'Rename a form',
          description:
            'Compatibility route for forms APIs that rename with `PUT …/name`; the same as a PATCH of `name`.',
          tags,
          params: FormIdParams,
          body: FormName,
          response: { 200: Form },
        },
      },
      async (req) => forms.rename(req.principal, req.params.id, req.body.name),
    )

    app.get(
      '/api/v1/forms/:id/teams',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getFormTeams',
          summary: 'List the teams of a form',
          description: 'Compatibility route: the ids of the form’s teams as `{"teams": [...]}`.',
          tags,
          params: FormIdParams,
          response: { 200: FormTeams },
        },
      },
      async (req) => forms.teams(req.principal, req.params.id),
    )

    app.put(
      '/api/v1/forms/:id/teams',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'setFormTeams',
          summary: 'Replace the teams of a form',
          description:
            'Compatibility route: replaces the form’s teams. An unknown team id is a 422 naming it (`teams.N`). Concurrent edits of one form are applied one after the other (the form row is locked).',
          tags,
          params: FormIdParams,
          body: FormTeams,
          response: { 200: FormTeams },
        },
      },
      async (req) => forms.setTeams(req.principal, req.params.id, req.body.teams),
    )
  }
}
