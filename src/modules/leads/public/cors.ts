import type { FastifyReply } from 'fastify'

/** Headers a browser may send to the public form routes, and read from their answers. */
export const PUBLIC_ALLOW_HEADERS = 'content-type, x-api-key, idempotency-key'
export const PUBLIC_EXPOSE_HEADERS = 'retry-after, idempotent-replayed, x-request-id, ratelimit, ratelimit-policy'

/** Lets `origin` read the answer (a CORS response header set), varying caches on Origin. */
export function allowOrigin(reply: FastifyReply, origin: string) {
  reply
    .header('access-control-allow-origin', origin)
    .header('access-control-expose-headers', PUBLIC_EXPOSE_HEADERS)
    .header('vary', 'Origin')
}
