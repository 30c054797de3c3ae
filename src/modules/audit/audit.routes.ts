import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { AuditList, AuditQuery, Usage, UsageQuery } from './audit.schemas.js'
import type { AuditService } from './audit.service.js'

export function auditRoutes(audit: AuditService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['audit log']

    app.get(
      '/api/v1/audit_log',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'listAuditLog',
          summary: 'List API calls and webhook attempts',
          description:
            'Every API call made with a key or a dashboard session (time, method, path, status, caller, address, duration, request id) and every webhook delivery attempt, of the caller’s mode, newest first. Calls appear within about a second. Kept `RAPPORT_AUDIT_RETENTION_DAYS` (90) days.',
          tags,
          querystring: AuditQuery,
          response: { 200: AuditList },
        },
      },
      async (req) => audit.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/usage',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'getUsage',
          summary: 'API calls per day and caller',
          description:
            'Counts of the audit log: calls per UTC day per API key or dashboard user over the last `days` days (30 unless said), with rate-limit rejections and errors.',
          tags,
          querystring: UsageQuery,
          response: { 200: Usage },
        },
      },
      async (req) => audit.usage(req.principal, req.query.days ?? 30),
    )
  }
}
