import type { FastifyInstance } from 'fastify'
import type { ModuleDeps as Deps } from '../module-deps.js'
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
    // A callback hook, not an async one: no promise per request on the hot path.
    app.addHook('onResponse', (req, reply, done) => {
      const p = req.principal
      if (!p) return done()
      const elapsed = reply.elapsedTime
      const q = req.url.indexOf('?')
      recorder.record({
        orgId: p.orgId,
        livemode: p.livemode,
        // Sub-millisecond and monotonic, so that calls sort in the order they arrived.
        occurredAtMs: performance.timeOrigin + performance.now() - elapsed,
        method: req.method,
        path: (q < 0 ? req.url : req.url.slice(0, q)).slice(0, 500),
        status: reply.statusCode,
        keyId: p.userId ? null : p.keyId,
        userId: p.userId ?? null,
        ip: req.ip ?? null,
        durationMs: Math.round(elapsed * 100) / 100,
        requestId: req.id,
      })
      done()
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
