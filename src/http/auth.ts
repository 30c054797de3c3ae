import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../core/errors.js'
import type { Principal, Scope } from '../core/tenancy.js'
import { effectiveScopes, planScopes, ROLE_SCOPES } from '../core/tenancy.js'
import { assertCsrf, type SessionContext, type Sessions, sessionTokenOf } from '../modules/accounts/sessions.js'
import { type KeyVerifier, SecretKeyInPage } from '../modules/api-keys/api-keys.service.js'
import { allowOrigin } from '../modules/leads/public/cors.js'
import { readCredential, readPublishableKey } from './credentials.js'
import type { AuthFailureGuard } from './rate-limit.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a secret key needs for this route. Routes without it are public. */
    scope?: Scope
    /**
     * A public form route: it takes a publishable key (`X-API-Key` or `?key=`), used from one of the
     * key's allowed origins (the `Origin` header is required and checked).
     */
    publishable?: boolean
  }
  interface FastifyRequest {
    principal: Principal
    /** Set when a dashboard session (the `rapport_session` cookie) authenticated the request. */
    session: SessionContext | null
  }
}

/** The principal of an authenticated request (routes with a `scope` always have one). */
export function principalOf(req: FastifyRequest): Principal {
  return req.principal
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Authenticates every route that declares a `scope` (secret keys, or a dashboard session), and the
 * public form routes (`publishable`: publishable keys from their allowed origins). Runs before the
 * rate limiter so that limits are counted per key.
 */
export function registerAuth(
  app: FastifyInstance,
  verifier: KeyVerifier,
  sessions: Sessions,
  failures: AuthFailureGuard,
) {
  app.decorateRequest('principal', null as unknown as Principal)
  app.decorateRequest('session', null)
  app.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config
    if (!config?.publishable && !config?.scope) return
    failures.check(req)
    try {
      await authenticate(req, reply)
    } catch (err) {
      // A wrong key or an ended session counts; a missing credential is a mistake, not a guess.
      const guessed =
        err instanceof ApiError &&
        !(err instanceof SecretKeyInPage) &&
        err.statusCode === 401 &&
        (err.code !== 'unauthenticated' || sessionTokenOf(req) !== undefined)
      if (guessed) await failures.failed(req)
      throw err
    }
  })

  const authenticate = async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.routeOptions.config?.publishable) return authenticatePublishable(req, reply, verifier)
    const credential = readCredential(req)
    if (!credential) {
      const token = sessionTokenOf(req)
      if (token) return authenticateSession(req, reply, sessions, token)
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
  }
}

/**
 * A dashboard request: the session cookie names the user, whose role narrows what the plan allows.
 * A change (POST, PUT, PATCH, DELETE) must also carry the session's CSRF token in `X-CSRF-Token`,
 * which another site's page cannot read, so a forged cross-site form or fetch is refused.
 * `Rapport-Mode: test` switches the request to test-mode data.
 */
async function authenticateSession(req: FastifyRequest, reply: FastifyReply, sessions: Sessions, token: string) {
  const session = await sessions.find(token)
  if (!session) throw new ApiError('unauthenticated', 'Your session has ended: sign in again')
  if (!SAFE_METHODS.has(req.method)) assertCsrf(req, session)
  const mode = req.headers['rapport-mode']
  if (mode !== undefined && mode !== 'live' && mode !== 'test') {
    throw new ApiError('invalid_header', 'Rapport-Mode must be "live" or "test"')
  }
  const { user, org } = session
  req.session = session
  req.principal = {
    orgId: org.id,
    livemode: mode !== 'test',
    keyId: user.id,
    userId: user.id,
    role: user.role,
    plan: org.plan,
    scopes: effectiveScopes(ROLE_SCOPES[user.role], org.plan),
  }
  req.log = req.log.child({ org_id: org.id, user_id: user.id, livemode: req.principal.livemode })
  reply.log = req.log
}

/**
 * A public form request: the publishable key must be valid and the request must come from one of
 * its allowed origins. A request without `Origin` is refused too: browsers always send it on a
 * cross-origin request, and a server has a secret key for the private routes.
 */
async function authenticatePublishable(req: FastifyRequest, reply: FastifyReply, verifier: KeyVerifier) {
  const key = readPublishableKey(req)
  if (!key) {
    throw new ApiError(
      'unauthenticated',
      'No publishable key: send "X-API-Key: pk_live_…" (or ?key=pk_live_…) from your web page',
    )
  }
  const principal = await verifier.verifyPublishable(key)
  if (!principal.scopes.includes('leads')) {
    throw new ApiError('plan_limit', `Lead capture (the "leads" scope) is not included in the ${principal.plan} plan`)
  }
  const origin = req.headers.origin
  if (!origin) {
    throw new ApiError(
      'insufficient_scope',
      'A publishable key is used from a web page: the Origin header is required and must be one of the key’s allowed_origins',
    )
  }
  if (!principal.allowedOrigins?.includes(origin)) {
    throw new ApiError(
      'insufficient_scope',
      `The origin ${origin.slice(0, 300)} is not allowed for this publishable key; add it to the key's allowed_origins`,
    )
  }
  allowOrigin(reply, origin)
  req.principal = principal
  req.log = req.log.child({ org_id: principal.orgId, key_id: principal.keyId, livemode: principal.livemode })
  reply.log = req.log
}

/** Throws 403 unless the principal holds `scope`; says whether the plan or the key is the reason. */
export function assertScope(principal: Principal, scope: Scope) {
  if (principal.scopes.includes(scope)) return
  if (!planScopes(principal.plan).includes(scope)) {
    throw new ApiError(
      'plan_limit',
      `This needs the "${scope}" scope, which the ${principal.plan} plan does not include`,
    )
  }
  if (principal.role) {
    throw new ApiError('insufficient_scope', `Your role (${principal.role}) does not allow this: ask an owner or admin`)
  }
  throw new ApiError('insufficient_scope', `This API key lacks the "${scope}" scope`)
}
