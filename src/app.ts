import fastifyCookie from '@fastify/cookie'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { handleError, MAX_PATH_PARAM_LENGTH } from './core/error-reply.js'
import { ApiError, errorBody } from './core/errors.js'
import { BODY_LIMIT_BYTES } from './core/json-body.js'
import { validatorCompiler } from './core/validation.js'
import type { Deps } from './deps.js'
import { eventCatalog } from './event-catalog.js'
import { registerArrayCaps } from './http/array-caps.js'
import { assertScope, registerAuth } from './http/auth.js'
import { frameworkErrorHandler, handleClientError } from './http/error-handler.js'
import { registerEtags } from './http/etag.js'
import { registerIdempotency } from './http/idempotency.js'
import { registerJsonBody } from './http/json-body.js'
import { registerMetrics } from './http/metrics.js'
import { registerOpenApi } from './http/openapi.js'
import { authFailureGuard, registerRateLimit } from './http/rate-limit.js'
import { requestIdOf } from './http/request-id.js'
import { registerTextGuard } from './http/text-guard.js'
import { reachableHost } from './lib/public-url.js'
import { accountsRoutes } from './modules/accounts/accounts.routes.js'
import { AccountsService } from './modules/accounts/accounts.service.js'
import { profileRoutes } from './modules/accounts/profile.routes.js'
import { ProfileService } from './modules/accounts/profile.service.js'
import { Sessions } from './modules/accounts/sessions.js'
import { signInLinksRoutes } from './modules/accounts/sign-in-links.routes.js'
import { SignInLinks } from './modules/accounts/sign-in-links.service.js'
import { apiKeysRoutes, apiKeyUpdateRoutes } from './modules/api-keys/api-keys.routes.js'
import { KeyVerifier } from './modules/api-keys/api-keys.service.js'
import { registerAuditLog } from './modules/audit/index.js'
import { billingModule } from './modules/billing/index.js'
import { bookingPageModule } from './modules/booking-page/index.js'
import { contactsBulkModule } from './modules/contacts/bulk/index.js'
import { contactsRoutes } from './modules/contacts/contacts.routes.js'
import { ContactsService } from './modules/contacts/contacts.service.js'
import { dashboardModule } from './modules/dashboard/index.js'
import { dealsModule } from './modules/deals/index.js'
import { sendingDomainsModule } from './modules/deliverability/domains/index.js'
import { deliverabilityModule } from './modules/deliverability/index.js'
import { AccountEmails } from './modules/email/account-emails.js'
import { emailModule } from './modules/email/index.js'
import { PasswordResets, passwordResetRoutes } from './modules/email/password-reset.js'
import { eventsRoutes } from './modules/events/events.routes.js'
import { eventsStreamRoutes } from './modules/events/events.stream.js'
import { importsModule } from './modules/imports/index.js'
import { leadsModule } from './modules/leads/index.js'
import { adminRoutes } from './modules/orgs/orgs.routes.js'
import { OrgsService } from './modules/orgs/orgs.service.js'
import { registerSarbacane } from './modules/sarbacane/index.js'
import { sarbacaneErrorHandler } from './modules/sarbacane/sarbacane.errors.js'
import { SarbacaneError } from './modules/sarbacane/sarbacane.schemas.js'
import { savedViewsRoutes } from './modules/saved-views/saved-views.routes.js'
import { SavedViewsService } from './modules/saved-views/saved-views.service.js'
import { schedulingModule } from './modules/scheduling/index.js'
import { timelineModule } from './modules/timeline/index.js'
import { usersRoutes } from './modules/users/users.routes.js'
import { UsersService } from './modules/users/users.service.js'
import { deliveriesRoutes } from './modules/webhook-deliveries/deliveries.routes.js'
import { DeliveriesService } from './modules/webhook-deliveries/deliveries.service.js'
import { webhooksCompatRoutes } from './modules/webhooks/compat.routes.js'
import { WebhooksCompatService } from './modules/webhooks/compat.service.js'
import { eventTypesRoutes } from './modules/webhooks/event-types.routes.js'
import { openApiWebhooks } from './modules/webhooks/event-types.schemas.js'
import { webhookEndpointsRoutes } from './modules/webhooks/webhooks.routes.js'
import { WebhookEndpointsService } from './modules/webhooks/webhooks.service.js'

export interface AppOptions {
  /** false for silence; otherwise where and how much to log (the redaction always applies). */
  logger?: false | { level?: string; stream?: { write(line: string): void } }
}

/** Paths that must never be logged with their credentials. */
const REDACTED = ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.apikey']

/** Builds the Fastify app. It never listens: `main.ts` does, and tests use inject or listen(0). */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: deps.config.logLevel, ...options.logger, redact: REDACTED },
    genReqId: requestIdOf,
    bodyLimit: BODY_LIMIT_BYTES,
    // While draining, requests on kept-alive connections get our own 503 body (hook below).
    return503OnClosing: false,
    // RAPPORT_TRUST_PROXY: behind a load balancer, `req.ip` (per-address rate limits, logs) is the client it names.
    trustProxy: deps.config.trustProxy,
    // Slow clients (slowloris) cannot hold a connection: the whole request must arrive within
    // requestTimeout, its headers within headersTimeout, checked every second or more often.
    requestTimeout: deps.config.requestTimeoutMs,
    http: {
      headersTimeout: deps.config.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(deps.config.headersTimeoutMs / 4))),
    },
    // Whatever fails before a route runs (bad percent-encoding, an over-long path parameter, an
    // unparseable or too-large request) is answered with the one documented error body.
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler({ '/v1/': sarbacaneErrorHandler }),
    clientErrorHandler: handleClientError,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setErrorHandler(handleError)
  // Links handed out (invites, sign-in links) name the address this app listens at unless
  // RAPPORT_PUBLIC_URL says otherwise, whoever made it listen (the CLI, a test, an embedder).
  app.addHook('onListen', (done) => {
    const address = app.server.address()
    if (address && typeof address === 'object') {
      deps.publicUrl.setListenAddress(`http://${reachableHost(address.address)}:${address.port}`)
    }
    done()
  })
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send(errorBody(new ApiError('route_not_found', `No route for ${req.method} ${req.url.split('?')[0]}`), req.id)),
  )
  let isClosing = false
  app.addHook('preClose', async () => {
    isClosing = true
  })
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id)
    if (isClosing) {
      reply.header('connection', 'close')
      throw new ApiError('service_unavailable', 'The server is shutting down; retry on another instance')
    }
  })
  registerJsonBody(app)
  registerTextGuard(app)
  registerArrayCaps(app)
  // Shared schemas go in before any plugin: one added later is copied into every child context,
  // which then rebuilds its validator with Fastify's default compiler instead of ours.
  app.addSchema(SarbacaneError)
  await registerOpenApi(app, openApiWebhooks(eventCatalog))

  const verifier = new KeyVerifier(deps.db, deps.clock, deps.config.keyCacheMs, (err) =>
    app.log.warn({ err }, 'could not record API key use'),
  )
  // No parsing hook: only the session lookup reads the Cookie header (API calls never pay for it).
  await app.register(fastifyCookie, { hook: false })
  const sessions = new Sessions(deps.db, deps.clock, deps.config.accounts.sessionTtlHours)
  registerAuth(
    app,
    verifier,
    sessions,
    authFailureGuard(deps.limiter, deps.config.authFailureLimit, deps.metrics, deps.clock),
  )
  await registerAuditLog(app, deps)
  registerRateLimit(app, deps.limiter, deps.config.rateLimits, deps.metrics, deps.config.publicRateLimits)
  // A callback hook, not an async one: no promise per request on the hot path.
  app.addHook('onRequest', (req, _reply, done) => {
    const scope = req.routeOptions.config?.scope
    if (!scope) return done()
    try {
      assertScope(req.principal, scope)
    } catch (err) {
      return done(err as Error)
    }
    done()
  })
  registerIdempotency(app, deps.db)
  registerMetrics(app, deps.metrics)
  registerEtags(app)

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true } }, async () => {
    try {
      await sql`select 1`.execute(deps.db)
    } catch {
      throw new ApiError('service_unavailable', 'The database is not reachable')
    }
    return { status: 'ready', database: deps.dbEngine }
  })

  await app.register(contactsRoutes(new ContactsService(deps.db)))
  await app.register(usersRoutes(new UsersService(deps.db, deps.clock)))
  await app.register(contactsBulkModule(deps))
  await app.register(importsModule(deps))
  await app.register(dealsModule(deps))
  await app.register(timelineModule(deps))
  await app.register(savedViewsRoutes(new SavedViewsService(deps.db)))
  await app.register(billingModule(deps))
  await app.register(schedulingModule(deps))
  await app.register(leadsModule(deps))
  await app.register(emailModule(deps))
  await app.register(deliverabilityModule(deps))
  await app.register(sendingDomainsModule(deps))
  await app.register(bookingPageModule(deps))
  await app.register(dashboardModule(deps))
  const accountEmails = new AccountEmails(deps.publicUrl, deps.config.email.from)
  await app.register(
    accountsRoutes(
      new AccountsService(deps.db, deps.clock, sessions, deps.limiter, deps.config.accounts, accountEmails),
      sessions,
      deps.publicUrl,
    ),
  )
  const signInLinks = new SignInLinks(deps.db, deps.clock, deps.publicUrl, deps.config.accounts.inviteTtlHours)
  await app.register(signInLinksRoutes(signInLinks, sessions))
  await app.register(passwordResetRoutes(new PasswordResets(deps.db, signInLinks, accountEmails, deps.limiter)))
  await app.register(profileRoutes(new ProfileService(deps.db)))
  await app.register(eventsRoutes(deps.db, eventCatalog, deps.clock))
  await app.register(eventsStreamRoutes(deps.db, eventCatalog, deps.clock))
  const orgs = new OrgsService(deps.db, signInLinks)
  await app.register(apiKeysRoutes(orgs.keys))
  await app.register(apiKeyUpdateRoutes(orgs.keys))
  const webhookEndpoints = new WebhookEndpointsService(
    deps.db,
    deps.secretBox,
    deps.clock,
    {
      allowPrivate: deps.config.webhooks.allowPrivate,
    },
    eventCatalog,
  )
  await app.register(webhookEndpointsRoutes(webhookEndpoints))
  const webhooksCompat = new WebhooksCompatService(webhookEndpoints)
  await app.register(webhooksCompatRoutes(webhooksCompat))
  await registerSarbacane(app, deps, webhooksCompat)
  await app.register(eventTypesRoutes(eventCatalog))
  await app.register(deliveriesRoutes(new DeliveriesService(deps.db), eventCatalog))
  if (deps.config.adminToken) await app.register(adminRoutes(orgs, deps.config.adminToken))
  return app
}
