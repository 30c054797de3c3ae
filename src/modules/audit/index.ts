import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../deps.js'
import { newId } from '../../lib/ids.js'
import { auditRoutes } from './audit.routes.js'
import { AuditService } from './audit.service.js'
import { AuditRecorder } from './recorder.js'

/**
 * Records every call made with a key or a session (the 401s of unknown keys belong to no
 * organization and are not recorded), and serves the audit log and usage routes. The recorder is
 * flushed when the app closes, before the database does.
 */
export async function registerAuditLog(app: FastifyInstance, deps: Deps) {
  if (deps.config.auditLog) {
    const recorder = new AuditRecorder(deps.db, {
      onError: (err) => app.log.error({ err }, 'could not write the audit log; retrying'),
    })
    app.addHook('onResponse', async (req, reply) => {
      const p = req.principal
      if (!p) return
      const q = req.url.indexOf('?')
      recorder.record({
        id: newId('auditEntry'),
        org_id: p.orgId,
        livemode: p.livemode,
        occurred_at: new Date(Date.now() - reply.elapsedTime),
        method: req.method,
        path: (q < 0 ? req.url : req.url.slice(0, q)).slice(0, 500),
        status: reply.statusCode,
        key_id: p.userId ? null : p.keyId,
        user_id: p.userId ?? null,
        ip: req.ip ?? null,
        duration_ms: Math.round(reply.elapsedTime * 100) / 100,
        request_id: req.id,
      })
    })
    app.addHook('onClose', () => recorder.close())
    app.decorate('auditRecorder', recorder)
  }
  await app.register(auditRoutes(new AuditService(deps.db, deps.clock)))
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The audit recorder (absent when RAPPORT_AUDIT_LOG=off): tests flush it to read what was recorded. */
    auditRecorder?: AuditRecorder
  }
}
