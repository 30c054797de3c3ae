import { isUtf8 } from 'node:buffer'
import type { FastifyInstance } from 'fastify'
import sjson from 'secure-json-parse'
import { ApiError } from './errors.js'

export const BODY_LIMIT_BYTES = 1024 * 1024

/** Finds the first string containing U+0000, which PostgreSQL text cannot store; returns its path. */
function findNulPath(value: unknown, path: string[]): string[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return [...path, k]
      const found = findNulPath(v, [...path, k])
      if (found) return found
    }
  }
  return undefined
}

/**
 * JSON is the only body type. Bytes that are not UTF-8 are a 400 (rather than silently replaced),
 * prototype-poisoning keys are refused, and NUL characters are a 422 naming the field.
 */
export function registerJsonBody(app: FastifyInstance) {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(/^application\/([a-z0-9.+-]+\+)?json$/, { parseAs: 'buffer' }, (_req, body, done) => {
    const buf = body as unknown as Buffer
    if (buf.length === 0) return done(null, undefined)
    if (!isUtf8(buf)) return done(new ApiError('invalid_encoding', 'The body is not valid UTF-8'), undefined)
    let parsed: unknown
    try {
      parsed = sjson.parse(buf.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' })
    } catch (err) {
      return done(new ApiError('invalid_json', `The body is not valid JSON: ${(err as Error).message}`), undefined)
    }
    const nulPath = findNulPath(parsed, [])
    if (nulPath) {
      const field = nulPath.join('.') || '(root)'
      return done(
        new ApiError('validation_failed', `${field}: Must not contain NUL characters`, {
          details: [{ field, message: 'Must not contain NUL characters' }],
        }),
        undefined,
      )
    }
    done(null, parsed)
  })
}
