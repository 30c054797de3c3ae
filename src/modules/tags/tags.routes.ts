import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import { Tag, TagCreate, TagIdParams, TagList, TagListQuery, TagUpdate } from './tags.schemas.js'
import type { TagsService } from './tags.service.js'

export function tagsRoutes(tagsService: TagsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['tags']

    app.get(
      '/api/v1/tags',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listTags',
          summary: 'List tags',
          description:
            'The tags of the organization with the number of contacts carrying each, by name; `q` keeps names starting with the given text. Paged.',
          tags,
          querystring: TagListQuery,
          response: { 200: TagList },
        },
      },
      async (req) => tagsService.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/tags',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createTag',
          summary: 'Create a tag',
          description:
            'Creates a tag ahead of its first use (contacts also create tags by using them). A name already used, in any letter case, is a 409 `already_exists`.',
          tags,
          body: TagCreate,
          response: { 201: Tag },
        },
      },
      async (req, reply) => reply.code(201).send(await tagsService.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/tags/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getTag',
          summary: 'Get a tag',
          description: 'One tag with its contact count. Answers with an `ETag`.',
          tags,
          params: TagIdParams,
          response: { 200: Tag },
        },
      },
      async (req) => tagsService.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/tags/:id',
      {
        config: { scope: 'write', etag: true },
        schema: {
          operationId: 'renameTag',
          summary: 'Rename a tag',
          description:
            'Renames the tag and, atomically, every contact carrying it. Renaming onto another tag’s name is a 409 `already_exists`. Emits one `tag.updated` with the new name, not a `contact.updated` per contact. With `If-Match`, applies only if the tag still has that ETag (else 412).',
          tags,
          params: TagIdParams,
          body: TagUpdate,
          response: { 200: Tag },
        },
      },
      async (req) => tagsService.rename(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/tags/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteTag',
          summary: 'Delete a tag',
          description:
            'Removes the tag from every contact carrying it and deletes it, atomically. Emits one `tag.deleted` with the tag as it was, not a `contact.updated` per contact.',
          tags,
          params: TagIdParams,
          response: { 200: Deleted(Type.Literal('tag')) },
        },
      },
      async (req) => {
        const deleted = await tagsService.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'tag' as const, deleted: true as const }
      },
    )
  }
}
