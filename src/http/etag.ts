import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError } from './errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers one object: send its ETag, and answer 304 to a matching If-None-Match. */
    etag?: boolean
  }
}

/**
 * A strong validator for one object's representation: a hash of its JSON. Reads and writes of the
 * same object compute it from the same API object, so a client's copy matches until the object
 * changes in any field.
 */
export function etagOf(representation: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url').slice(0, 27)}"`
}

/** The entity tags of an If-Match / If-None-Match header: `*`, or the listed tags (weak ones marked). */
function parseTags(header: string): string[] | '*' {
  if (header.trim() === '*') return '*'
  return header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
}

/** The request's If-Match header, if any (a repeated header is joined, as HTTP allows). */
export function ifMatchOf(req: FastifyRequest): string | undefined {
  const h = req.headers['if-match']
  return Array.isArray(h) ? h.join(',') : h
}

/**
 * Throws 412 unless `ifMatch` is absent, `*`, or lists the current representation's ETag. Call it
 * after locking the row (SELECT … FOR UPDATE) so no write can slip between the check and the change.
 * Weak tags never match: If-Match uses the strong comparison.
 */
export function assertIfMatch(ifMatch: string | undefined, current: unknown): void {
  if (ifMatch === undefined) return
  const tags = parseTags(ifMatch)
  if (tags === '*') return
  const etag = etagOf(current)
  if (!tags.includes(etag)) {
    throw new ApiError(
      'precondition_failed',
      'The object changed since you read it (If-Match does not match its ETag); fetch it again and retry',
    )
  }
}

/** Sets ETag on the routes marked `config: { etag: true }`, and answers 304 to a fresh If-None-Match. */
export function registerEtags(app: FastifyInstance): void {
  app.addHook('preSerialization', async (req, reply, payload) => {
    if (!req.routeOptions.config?.etag || reply.statusCode >= 300) return payload
    const etag = etagOf(payload)
    reply.header('etag', etag)
    const ifNoneMatch = req.headers['if-none-match']
    if (req.method === 'GET' && typeof ifNoneMatch === 'string') {
      const tags = parseTags(ifNoneMatch)
      // If-None-Match uses the weak comparison: W/"x" matches "x".
      if (tags === '*' || tags.some((t) => t.replace(/^W\//, '') === etag)) {
        reply.code(304)
        return null
      }
    }
    return payload
  })
}
