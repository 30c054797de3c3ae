import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { ApiError, type ErrorDetail } from './errors.js'

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** A high surrogate not followed by a low one, or a low one not preceded by a high one: not text. */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s)
}

/** What is wrong with a piece of text PostgreSQL would be asked to store or compare, if anything. */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'Must not contain NUL characters'
  if (hasLoneSurrogate(s)) return 'Must not contain unpaired UTF-16 surrogates'
  return undefined
}

function collect(values: unknown, details: ErrorDetail[]) {
  if (!values || typeof values !== 'object') return
  for (const [name, value] of Object.entries(values)) {
    const problem = textProblem(name)
    if (problem) details.push({ field: name, message: problem })
    for (const v of Array.isArray(value) ? value : [value]) {
      const vProblem = typeof v === 'string' ? textProblem(v) : undefined
      if (vProblem) details.push({ field: name, message: vProblem })
    }
  }
}

/**
 * Path parameters and query values with a NUL (`%00`) or a lone surrogate would reach the database
 * and fail there (a 500) on every route that looks them up; they are refused here, once for all
 * routes, as a 400 `invalid_query` naming the parameter. Bodies get the same check in `json-body.ts`.
 */
export function registerTextGuard(app: FastifyInstance) {
  app.addHook('preValidation', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const details: ErrorDetail[] = []
    collect(req.params, details)
    collect(req.query, details)
    if (details.length === 0) return done()
    const where = details.map((d) => `${d.field} ${d.message.toLowerCase()}`).join('; ')
    done(new ApiError('invalid_query', `Invalid parameter: ${where}`, { details }))
  })
}
