import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { Deleted } from '../../../core/schemas.js'
import { Domain, DomainCreate, DomainIdParams, DomainList, DomainListQuery } from './domains.schemas.js'
import type { DomainsService } from './domains.service.js'

export function domainsRoutes(domains: DomainsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['domains']

    app.get(
      '/api/v1/domains',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listDomains',
          summary: 'List domains',
          description: 'The websites of the organization, newest first; filter by hostname. Paged.',
          tags,
          querystring: DomainListQuery,
          response: { 200: DomainList },
        },
      },
      async (req) => domains.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/domains',
      {
        config: { scope: 'leads' },
        schema: {
          operationId: 'createDomain',
          summary: 'Add a domain',
          description:
            'Adds a website. The hostname is validated and stored lower-case; one already added in this organization and mode is a 409.',
          tags,
          body: DomainCreate,
          response: { 201: Domain },
        },
      },
      async (req, reply) => reply.code(201).send(await domains.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/domains/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getDomain',
          summary: 'Get a domain',
          description: 'One website of the organization, with an `ETag`.',
          tags,
          params: DomainIdParams,
          response: { 200: Domain },
        },
      },
      async (req) => domains.get(req.principal, req.params.id),
    )

    app.delete(
      '/api/v1/domains/:id',
      {
        config: { scope: 'leads' },
        schema: {
          operationId: 'deleteDomain',
          summary: 'Delete a domain',
          description: 'Removes the website; form responses that named it are kept, with `domain_id` null.',
          tags,
          params: DomainIdParams,
          response: { 200: Deleted(Type.Literal('domain')) },
        },
      },
      async (req) => {
        await domains.remove(req.principal, req.params.id)
        return { id: req.params.id, object: 'domain' as const, deleted: true as const }
      },
    )
  }
}
