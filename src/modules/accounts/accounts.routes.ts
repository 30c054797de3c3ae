import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../core/errors.js'
import type { PublicUrl } from '../../lib/public-url.js'
import { LoginInput, SessionView, SetupInput, SetupState } from './accounts.schemas.js'
import type { AccountsService } from './accounts.service.js'
import { invitesRoutes } from './invites.routes.js'
import { metaOf, NO_STORE, sendOpened } from './session-replies.js'
import { assertCsrf, clearSessionCookie, type Sessions, toSessionView } from './sessions.js'

export { metaOf, NO_STORE, sendOpened } from './session-replies.js'

/** `publicUrl`: invite links are built from it, never from the request's Host header. */
export function accountsRoutes(accounts: AccountsService, sessions: Sessions, publicUrl: PublicUrl) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['accounts']

    app.get(
      '/api/v1/setup',
      {
        schema: {
          operationId: 'getSetupState',
          summary: 'Whether the installation needs setting up',
          description: 'Public. True while no organization exists: the dashboard then offers to create the first one.',
          tags,
          response: { 200: SetupState },
        },
      },
      async () => accounts.setupState(),
    )

    app.post(
      '/api/v1/setup',
      {
        schema: {
          operationId: 'setUp',
          summary: 'Create the first organization and its owner',
          description:
            'Public, and only while no organization exists (or when `RAPPORT_ALLOW_SIGNUP` is on); otherwise 409 `setup_complete`. Creates the organization (teams plan) and its owner, and signs the owner in (the `rapport_session` cookie).',
          tags,
          body: SetupInput,
          response: { 201: SessionView },
        },
      },
      async (req, reply) => sendOpened(req, reply, await accounts.setup(req.body, metaOf(req)), 201),
    )

    app.post(
      '/api/v1/session',
      {
        schema: {
          operationId: 'signIn',
          summary: 'Sign in',
          description:
            'Checks an email and password and sets the HttpOnly `rapport_session` cookie. Any failure is 401 `invalid_credentials`, whether or not the email exists. Attempts are limited per account and per client address (429 with `Retry-After`).',
          tags,
          body: LoginInput,
          response: { 200: SessionView },
        },
      },
      async (req, reply) => sendOpened(req, reply, await accounts.login(req.body, metaOf(req)), 200),
    )

    app.get(
      '/api/v1/session',
      {
        schema: {
          operationId: 'getSession',
          summary: 'The current sign-in',
          description:
            'The user and organization of the `rapport_session` cookie, with its CSRF token; 401 without one.',
          tags,
          response: { 200: SessionView },
        },
      },
      async (req, reply) => {
        const session = await sessions.fromRequest(req)
        if (!session) throw new ApiError('unauthenticated', 'Not signed in')
        return reply.header('cache-control', NO_STORE).send(toSessionView(session))
      },
    )

    app.delete(
      '/api/v1/session',
      {
        schema: {
          operationId: 'signOut',
          summary: 'Sign out',
          description: 'Ends the session of the cookie (send `X-CSRF-Token`) and clears the cookie. 204.',
          tags,
        },
      },
      async (req, reply) => {
        const session = await sessions.fromRequest(req)
        if (session) {
          assertCsrf(req, session)
          await accounts.logout(session)
        }
        clearSessionCookie(req, reply)
        return reply.code(204).send()
      },
    )

    await app.register(invitesRoutes(accounts.invites, sessions, publicUrl))
  }
}
