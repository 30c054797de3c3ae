import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { etagOf, ifNoneMatchHolds } from '../core/preconditions.js'
import { hooksOf } from './route-hooks.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers one object: send its ETag, and answer 304 to a matching If-None-Match. */
    etag?: boolean
  }
}

/** Sets ETag on the routes marked `config: { etag: true }`, and answers 304 to a fresh If-None-Match. */
export function registerEtags(app: FastifyInstance): void {
  // Attached to the routes marked `etag: true` only.
  app.addHook('onRoute', (route) => {
    if (route.config?.etag) route.preSerialization = [...hooksOf(route.preSerialization), preSerialization]
  })
  const preSerialization = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (reply.statusCode >= 300) return payload
    const etag = etagOf(payload)
    reply.header('etag', etag)
    if (req.method === 'GET' && ifNoneMatchHolds(req.headers['if-none-match'], etag)) {
      reply.code(304)
      return null
    }
    return payload
  }
}
