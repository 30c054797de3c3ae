import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../../http/errors.js'
import type { PublicUrl } from '../../lib/public-url.js'
import { IdParams } from '../leads/schema-parts.js'
import {
  Invite,
  InviteAccept,
  InviteCreate,
  InviteList,
  InviteListQuery,
  InvitePreview,
  InviteTokenQuery,
  LoginInput,
  SessionView,
  SetupInput,
  SetupState,
} from './accounts.schemas.js'
import { type AccountsService, type ClientMeta, toSessionView } from './accounts.service.js'
import { assertCsrf, clearSessionCookie, type OpenedSession, type Sessions, setSessionCookie } from './sessions.js'

export const metaOf = (req: FastifyRequest): ClientMeta => ({
  ip: req.ip ?? null,
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
})

/** Sign-in pages must never be cached by a shared proxy. */
export const NO_STORE = 'no-store'

/** Answers a session just opened (setup, sign-in, accepted invite): the cookie, and the session uncached. */
export function sendOpened(req: FastifyRequest, reply: FastifyReply, opened: OpenedSession, status: 200 | 201) {
  setSessionCookie(req, reply, opened)
  return reply.code(status).header('cache-control', NO_STORE).send(toSessionView(opened.context))
}

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

    app.get(
      '/api/v1/invites',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'listInvites',
          summary: 'List invites',
          description: 'The organization’s invites, newest first; filter by `status`. Paged.',
          tags,
          querystring: InviteListQuery,
          response: { 200: InviteList },
        },
      },
      async (req) => accounts.listInvites(req.principal, req.query),
    )

    app.post(
      '/api/v1/invites',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'createInvite',
          summary: 'Invite someone',
          description:
            'Makes a single-use invite link that expires (`RAPPORT_INVITE_TTL_HOURS`). The answer carries `accept_url` and `token` once; send the link to the invitee. 409 when the email already signs in here.',
          tags,
          body: InviteCreate,
          response: { 201: Invite },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await accounts.createInvite(req.principal, req.body, publicUrl.base)),
    )

    app.delete(
      '/api/v1/invites/:id',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'revokeInvite',
          summary: 'Revoke an invite',
          description: 'Its link stops working at once. 204; 404 when no pending invite has this id.',
          tags,
          params: IdParams('Invite', 'ivt_01jd3k8m2x7q9v4b6n5t0w1y2z'),
        },
      },
      async (req, reply) => {
        await accounts.revokeInvite(req.principal, req.params.id)
        return reply.code(204).send()
      },
    )

    app.get(
      '/api/v1/invites/preview',
      {
        schema: {
          operationId: 'previewInvite',
          summary: 'What an invite link offers',
          description:
            'Public: the email, role and organization of a usable invite token; 404 when used, revoked or expired.',
          tags,
          querystring: InviteTokenQuery,
          response: { 200: InvitePreview },
        },
      },
      async (req, reply) => reply.header('cache-control', NO_STORE).send(await accounts.previewInvite(req.query.token)),
    )

    app.post(
      '/api/v1/invites/accept',
      {
        schema: {
          operationId: 'acceptInvite',
          summary: 'Accept an invite',
          description:
            'Public: the invitee chooses a name and password, becomes a user with the invited role, and is signed in. The token works once.',
          tags,
          body: InviteAccept,
          response: { 201: SessionView },
        },
      },
      async (req, reply) => sendOpened(req, reply, await accounts.acceptInvite(req.body, metaOf(req)), 201),
    )
  }
}
