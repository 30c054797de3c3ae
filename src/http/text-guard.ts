import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { ApiError, type ErrorDetail } from '../core/errors.js'
import { textProblem } from '../core/text.js'

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
