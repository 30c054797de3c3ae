import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ApiError } from '../../core/errors.js'
import { offsetPage } from '../../core/offset-page.js'
import { ListOf } from '../../core/pagination.js'
import { Deleted } from '../../core/schemas.js'
import { safeEqual } from '../../lib/crypto.js'
import { ApiKey, ApiKeyCreate, ApiKeyIdParams, ApiKeyList, ApiKeyListQuery } from '../api-keys/api-keys.schemas.js'
import { Org, OrgCreate, OrgCreated, OrgIdParams, OrgUpdate } from './orgs.schemas.js'
import type { OrgsService } from './orgs.service.js'

/**
 * The operator provisioning API. Registered only when RAPPORT_ADMIN_TOKEN is set (otherwise these
 * paths are plain 404s); every call needs `Authorization: Bearer <RAPPORT_ADMIN_TOKEN>`.
 */
export function adminRoutes(orgs: OrgsService, adminToken: string) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['provisioning']
    const security = [{ adminToken: [] }]

    app.addHook('onRequest', async (req) => {
      const header = req.headers.authorization ?? ''
      const token = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : ''
      if (!token) throw new ApiError('unauthenticated', 'Send the operator token as "Authorization: Bearer <token>"')
      if (!safeEqual(token, adminToken)) throw new ApiError('invalid_api_key', 'The operator token is not valid')
    })

    app.post(
      '/admin/v1/orgs',
      {
        schema: {
          operationId: 'adminCreateOrg',
          summary: 'Create an organization',
          description: 'Creates the organization and its first live secret key, returned once.',
          tags,
          security,
          body: OrgCreate,
          response: { 201: OrgCreated },
        },
      },
      async (req, reply) => reply.code(201).send(await orgs.create(req.body)),
    )

    app.get(
      '/admin/v1/orgs',
      {
        schema: {
          operationId: 'adminListOrgs',
          summary: 'List organizations',
          tags,
          security,
          querystring: ApiKeyListQuery,
          response: { 200: ListOf(Org) },
        },
      },
      async (req) => {
        const page = req.query.page ?? 1
        const limit = req.query.limit ?? 50
        const { rows, total } = await orgs.list({ limit, offset: (page - 1) * limit })
        return offsetPage(rows, total, page, limit)
      },
    )

    app.get(
      '/admin/v1/orgs/:id',
      {
        schema: {
          operationId: 'adminGetOrg',
          summary: 'Get an organization',
          tags,
          security,
          params: OrgIdParams,
          response: { 200: Org },
        },
      },
      async (req) => orgs.get(req.params.id),
    )

    app.patch(
      '/admin/v1/orgs/:id',
      {
        schema: {
          operationId: 'adminUpdateOrg',
          summary: 'Change an organization',
          description:
            'A plan change applies to existing keys within a second: their scopes narrow to what the plan allows.',
          tags,
          security,
          params: OrgIdParams,
          body: OrgUpdate,
          response: { 200: Org },
        },
      },
      async (req) => orgs.update(req.params.id, req.body),
    )

    app.post(
      '/admin/v1/orgs/:id/api_keys',
      {
        schema: {
          operationId: 'adminCreateApiKey',
          summary: 'Create an API key for an organization',
          tags,
          security,
          params: OrgIdParams,
          body: ApiKeyCreate,
          response: { 201: ApiKey },
        },
      },
      async (req, reply) => reply.code(201).send(await orgs.createKey(req.params.id, req.body)),
    )

    app.get(
      '/admin/v1/orgs/:id/api_keys',
      {
        schema: {
          operationId: 'adminListApiKeys',
          summary: "List an organization's API keys",
          tags,
          security,
          params: OrgIdParams,
          querystring: ApiKeyListQuery,
          response: { 200: ApiKeyList },
        },
      },
      async (req) => {
        const page = req.query.page ?? 1
        const limit = req.query.limit ?? 50
        const { rows, total } = await orgs.listKeys(req.params.id, { limit, offset: (page - 1) * limit })
        return offsetPage(rows, total, page, limit)
      },
    )

    app.delete(
      '/admin/v1/api_keys/:id',
      {
        schema: {
          operationId: 'adminRevokeApiKey',
          summary: 'Revoke any API key',
          tags,
          security,
          params: ApiKeyIdParams,
          response: { 200: Deleted(Type.Literal('api_key')) },
        },
      },
      async (req) => {
        const key = await orgs.revokeKey(req.params.id)
        return { id: key.id, object: 'api_key' as const, deleted: true as const }
      },
    )
  }
}
