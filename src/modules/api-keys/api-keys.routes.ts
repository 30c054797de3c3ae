import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ApiError } from '../../core/errors.js'
import { offsetPage } from '../../core/offset-page.js'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import { actingUserId, type Principal } from '../../core/tenancy.js'
import { ApiKey, ApiKeyCreate, ApiKeyIdParams, ApiKeyList, ApiKeyListQuery, ApiKeyUpdate } from './api-keys.schemas.js'
import type { KeysService } from './keys.service.js'

/** A live key manages every key of its organization; a test key, like all test-mode access, only test keys. */
function testModeOnly(p: Principal): { livemode?: boolean } {
  return p.livemode ? {} : { livemode: false }
}

/** Key management for an organization's own owners and admins (scope `keys`, on every plan). */
export function apiKeysRoutes(keys: KeysService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['api keys']

    app.get(
      '/api/v1/api_keys',
      {
        config: { scope: 'keys' },
        schema: {
          operationId: 'listApiKeys',
          summary: 'List API keys',
          description:
            'Active keys of the organization, newest first: both modes for a live key, test keys only for a test key. Secrets are never shown.',
          tags,
          querystring: ApiKeyListQuery,
          response: { 200: ApiKeyList },
        },
      },
      async (req) => {
        const page = req.query.page ?? 1
        const limit = req.query.limit ?? 50
        const { rows, total } = await keys.list(req.principal.orgId, {
          ...testModeOnly(req.principal),
          limit,
          offset: (page - 1) * limit,
        })
        return offsetPage(rows, total, page, limit)
      },
    )

    app.post(
      '/api/v1/api_keys',
      {
        config: { scope: 'keys' },
        schema: {
          operationId: 'createApiKey',
          summary: 'Create an API key',
          description:
            'Returns the key once, in `key`. Store it safely: only a hash is kept. A test-mode key can create test-mode keys only. `type: "publishable"` makes a `pk_live_…`/`pk_test_…` key for web pages: it needs `allowed_origins` (at least one `scheme://host[:port]`) and can only read public form definitions and submit forms.',
          tags,
          body: ApiKeyCreate,
          response: { 201: ApiKey },
        },
      },
      async (req, reply) => {
        if (!req.principal.livemode && req.body.mode !== 'test') {
          throw new ApiError(
            'insufficient_scope',
            'A test-mode key can only create test-mode keys (send "mode":"test")',
          )
        }
        const createdBy = actingUserId(req.principal) ?? null
        return reply.code(201).send(await keys.create(req.principal.orgId, req.body, createdBy, req.principal.scopes))
      },
    )

    app.delete(
      '/api/v1/api_keys/:id',
      {
        config: { scope: 'keys' },
        schema: {
          operationId: 'revokeApiKey',
          summary: 'Revoke an API key',
          description:
            'The key stops working everywhere within a second. To rotate: create a new key, deploy it, revoke the old one.',
          tags,
          params: ApiKeyIdParams,
          response: { 200: Deleted(Type.Literal('api_key')) },
        },
      },
      async (req) => {
        const key = await keys.revoke(req.params.id, req.principal.orgId, testModeOnly(req.principal).livemode)
        return { id: key.id, object: 'api_key' as const, deleted: true as const }
      },
    )
  }
}

/**
 * `PATCH /api/v1/api_keys/:id`: renames a key or replaces a publishable key's allowed origins.
 * A plugin of its own beside `apiKeysRoutes`; both use the keys service.
 */
export function apiKeyUpdateRoutes(keys: KeysService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.patch(
      '/api/v1/api_keys/:id',
      {
        config: { scope: 'keys', etag: true },
        schema: {
          operationId: 'updateApiKey',
          summary: 'Update an API key',
          description:
            'Renames a key, or replaces the `allowed_origins` of a publishable key (normalized to `scheme://host[:port]`, at least one; a 422 for a secret key). Takes effect everywhere within a second. Answers the key with an `ETag`; `If-Match` makes the change conditional (412 when the key changed). A test-mode key can change test-mode keys only.',
          tags: ['api keys'],
          params: ApiKeyIdParams,
          body: ApiKeyUpdate,
          response: { 200: ApiKey },
        },
      },
      async (req) =>
        keys.update(req.params.id, req.principal.orgId, testModeOnly(req.principal).livemode, req.body, {
          ifMatch: ifMatchOf(req),
        }),
    )
  }
}
