import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { KeyVerifier } from '../modules/api-keys/api-keys.service.js'
import type { Principal, Scope } from '../modules/api-keys/principal.js'
import { PLAN_SCOPES } from '../modules/api-keys/principal.js'
import { readCredential } from './credentials.js'
import { ApiError } from './errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a secret key needs for this route. Routes without it are public. */
    scope?: Scope
  }
  interface FastifyRequest {
    principal: Principal
  }
}

/** The principal of an authenticated request (routes with a `scope` always have one). */
export function principalOf(req: FastifyRequest): Principal {
  return req.principal
}

/**
 * Authenticates every route that declares a `scope`, then checks the scope. Runs before the rate
 * limiter so that limits are counted per key.
 */
export function registerAuth(app: FastifyInstance, verifier: KeyVerifier) {
  app.decorateRequest('principal', null as unknown as Principal)
  app.addHook('onRequest', async (req, reply) => {
    const scope = req.routeOptions.config?.scope
    if (!scope) return
    const credential = readCredential(req)
    if (!credential) {
      throw new ApiError(
        'unauthenticated',
        'No API key: send "Authorization: Bearer <key>", "X-API-Key: <key>", Basic auth (organization id and key), or the accountId and apiKey headers',
      )
    }
    req.principal = await verifier.verify(credential.key, credential.orgId)
    // Every later line of this request, "request completed" included, names who called.
    req.log = req.log.child({
      org_id: req.principal.orgId,
      key_id: req.principal.keyId,
      livemode: req.principal.livemode,
    })
    reply.log = req.log
  })
}

/** Throws 403 unless the principal holds `scope`; says whether the plan or the key is the reason. */
export function assertScope(principal: Principal, scope: Scope) {
  if (principal.scopes.includes(scope)) return
  if (!PLAN_SCOPES[principal.plan].includes(scope)) {
    throw new ApiError(
      'plan_limit',
      `This needs the "${scope}" scope, which the ${principal.plan} plan does not include`,
    )
  }
  throw new ApiError('insufficient_scope', `This API key lacks the "${scope}" scope`)
}
