import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import { Note, NoteCreate, NoteIdParams, NoteList, NoteListQuery, NoteUpdate } from './notes.schemas.js'
import type { NotesService } from './notes.service.js'

export function notesRoutes(notes: NotesService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['notes']

    app.get(
      '/api/v1/notes',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listNotes',
          summary: 'List notes',
          description: 'Notes, newest first; filter by `contact_id` or `deal_id`. Paged.',
          tags,
          querystring: NoteListQuery,
          response: { 200: NoteList },
        },
      },
      async (req) => notes.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/notes',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createNote',
          summary: 'Create a note',
          description:
            'Writes a note on a contact (required) and optionally one of its deals, and emits `note.created`. An id not of your organization and mode is a 422 naming the field.',
          tags,
          body: NoteCreate,
          response: { 201: Note },
        },
      },
      async (req, reply) => reply.code(201).send(await notes.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/notes/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getNote',
          summary: 'Get a note',
          description: 'Answers with an `ETag`; send it back as `If-Match` on PATCH or DELETE to avoid lost updates.',
          tags,
          params: NoteIdParams,
          response: { 200: Note },
        },
      },
      async (req) => notes.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/notes/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'updateNote',
          summary: 'Update a note',
          description:
            'Edits the note and emits `note.updated` with the changed fields (nothing when none changed). With `If-Match`, applies only if the note still has that ETag (else 412 `precondition_failed`).',
          tags,
          params: NoteIdParams,
          body: NoteUpdate,
          response: { 200: Note },
        },
      },
      async (req) => notes.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/notes/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteNote',
          summary: 'Delete a note',
          description:
            'Deletes the note and emits `note.deleted` with it as it was. With `If-Match`, only if it still has that ETag (else 412).',
          tags,
          params: NoteIdParams,
          response: { 200: Deleted(Type.Literal('note')) },
        },
      },
      async (req) => {
        const deleted = await notes.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'note' as const, deleted: true as const }
      },
    )
  }
}
