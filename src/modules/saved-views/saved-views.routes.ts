import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import {
  SavedView,
  SavedViewCreate,
  SavedViewIdParams,
  SavedViewList,
  SavedViewListQuery,
  SavedViewUpdate,
} from './saved-views.schemas.js'
import type { SavedViewsService } from './saved-views.service.js'

export function savedViewsRoutes(views: SavedViewsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['saved views']

    app.get(
      '/api/v1/saved_views',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listSavedViews',
          summary: 'List saved views',
          description:
            'The views the caller saved and the ones shared in the organization (and mode), by name; `resource` keeps one list’s views. Paged.',
          tags,
          querystring: SavedViewListQuery,
          response: { 200: SavedViewList },
        },
      },
      async (req) => views.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/saved_views',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'createSavedView',
          summary: 'Save a view',
          description:
            'Saves columns, sort, filter and search of a list for the caller (the user of a dashboard session, or the API key); `shared: true` shows it to everyone in the organization. The filter is checked as the search checks it (a 422 naming the failing part). Needs only `read`: a view changes no data.',
          tags,
          body: SavedViewCreate,
          response: { 201: SavedView },
        },
      },
      async (req, reply) => reply.code(201).send(await views.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/saved_views/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getSavedView',
          summary: 'Get a saved view',
          description:
            'One view the caller saved or that is shared; another person’s private view is a 404. Answers with an `ETag`.',
          tags,
          params: SavedViewIdParams,
          response: { 200: SavedView },
        },
      },
      async (req) => views.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/saved_views/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'updateSavedView',
          summary: 'Update a saved view',
          description:
            'Changes the given fields. Only the view’s owner may change it, or for a shared view also an owner or admin (otherwise 403 `insufficient_scope`). With `If-Match`, applies only if the view still has that ETag (else 412).',
          tags,
          params: SavedViewIdParams,
          body: SavedViewUpdate,
          response: { 200: SavedView },
        },
      },
      async (req) => views.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/saved_views/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'deleteSavedView',
          summary: 'Delete a saved view',
          description: 'Deletes the view; the same rule as for changing it applies.',
          tags,
          params: SavedViewIdParams,
          response: { 200: Deleted(Type.Literal('saved_view')) },
        },
      },
      async (req) => {
        await views.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: req.params.id, object: 'saved_view' as const, deleted: true as const }
      },
    )
  }
}
