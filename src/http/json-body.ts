import type { FastifyInstance } from 'fastify'
import { parseJsonBody } from '../core/json-body.js'

/**
 * JSON is the only body type. Bytes that are not UTF-8 are a 400 (rather than silently replaced),
 * bodies nested deeper than `MAX_BODY_DEPTH` and prototype-poisoning keys are refused, and NUL
 * characters and lone surrogates are a 422 naming the field. Every check is linear in the body's size.
 */
export function registerJsonBody(app: FastifyInstance) {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(/^application\/([a-z0-9.+-]+\+)?json$/, { parseAs: 'buffer' }, parseJsonBody)
}
