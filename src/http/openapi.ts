import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { ERROR_STATUS } from './errors.js'
import { ErrorResponse } from './shared-schemas.js'

export const OPENAPI_INFO = {
  title: 'Rapport API',
  version: '1.0.0',
  description:
    'The REST API of Rapport, the self-hostable CRM. Authenticate with a secret key (`Authorization: Bearer rk_live_…`, `X-API-Key`, Basic auth with the organization id as user, or the `accountId` + `apiKey` headers). Every error has the same body; lists share one pagination contract; every POST accepts an `Idempotency-Key`.',
  license: { name: 'MIT', identifier: 'MIT' },
}

/**
 * Generates the OpenAPI 3.1 document from the route schemas, and serves it at
 * `/api/v1/openapi.json` and a reference page at `/docs` (assets served locally: no internet needed).
 */
export async function registerOpenApi(app: FastifyInstance) {
  app.addSchema(ErrorResponse)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      tags: [
        { name: 'contacts', description: 'People the organization works with' },
        { name: 'events', description: 'The log of changes, as delivered to webhooks' },
        { name: 'api keys', description: 'Secret keys of the organization' },
        { name: 'provisioning', description: 'Operator API, enabled by RAPPORT_ADMIN_TOKEN' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A secret key: `rk_live_…` or `rk_test_…`' },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          basicAuth: {
            type: 'http',
            scheme: 'basic',
            description: 'User: the organization id; password: the secret key',
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'The operator token (RAPPORT_ADMIN_TOKEN)' },
        },
      },
      security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { basicAuth: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string) || `def-${i}` },
    transform: ({ schema, url, route }) => {
      if (!schema || (schema as { hide?: boolean }).hide) return { schema, url }
      // Every documented route answers errors in the one error body.
      const s = { ...schema } as Record<string, unknown>
      const response = { ...((s.response as Record<string, unknown>) ?? {}) }
      const statuses = route.config?.scope ? [400, 401, 403, 404, 422, 429, 500] : [400, 404, 422, 500]
      for (const status of statuses) {
        response[String(status)] ??= { description: describeStatus(status), $ref: 'Error#' }
      }
      s.response = response
      return { schema: s as typeof schema, url }
    },
  })
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true }, staticCSP: true })
}

function describeStatus(status: number): string {
  const codes = Object.entries(ERROR_STATUS)
    .filter(([, s]) => s === status)
    .map(([c]) => c)
  return `Error (${codes.join(', ')})`
}
