import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
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
  SessionView,
} from './accounts.schemas.js'
import type { InvitesService } from './invites.service.js'
import { metaOf, NO_STORE, sendOpened } from './session-replies.js'
import type { Sessions } from './sessions.js'

/** Invites: made, listed and revoked with the `admin` scope; previewed and accepted by the invitee (public). */
export function invitesRoutes(invites: InvitesService, sessions: Sessions, publicUrl: PublicUrl) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['accounts']

    app.get(
      '/api/v1/invites',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'listInvites',
          summary: 'List invites',
          description:
            'The organization’s invites, newest first: the pending ones (usable links) unless `status` asks for `accepted`, `expired`, `revoked` or `all`. Paged.',
          tags,
          querystring: InviteListQuery,
          response: { 200: InviteList },
        },
      },
      async (req) => invites.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/invites',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'createInvite',
          summary: 'Invite someone',
          description:
            'Makes a single-use invite link that expires (`RAPPORT_INVITE_TTL_HOURS`). The answer carries `accept_url` once; send it to the invitee. An invite never grants more than its creator holds: only an owner (or an API key an owner created) invites an owner, or a listed user who is one; otherwise 403 `insufficient_scope`. 409 when the email already signs in here.',
          tags,
          body: InviteCreate,
          response: { 201: Invite },
        },
      },
      async (req, reply) => reply.code(201).send(await invites.create(req.principal, req.body, publicUrl.base)),
    )

    app.delete(
      '/api/v1/invites/:id',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'revokeInvite',
          summary: 'Revoke an invite',
          description:
            'Its link stops working at once. 204; 404 when no pending invite has this id; 403 for an invite to a role above the caller’s (an admin cannot revoke an owner’s invite).',
          tags,
          params: IdParams('Invite', 'ivt_01jd3k8m2x7q9v4b6n5t0w1y2z'),
        },
      },
      async (req, reply) => {
        await invites.revoke(req.principal, req.params.id)
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
      async (req, reply) => reply.header('cache-control', NO_STORE).send(await invites.preview(req.query.token)),
    )

    app.post(
      '/api/v1/invites/accept',
      {
        schema: {
          operationId: 'acceptInvite',
          summary: 'Accept an invite',
          description:
            'Public: the invitee chooses a name and password, becomes a user with the invited role, and is signed in. The token works once. 403 when the request carries a session of a user of the organization (the inviter included), or when the invite’s creator can no longer give its role.',
          tags,
          body: InviteAccept,
          response: { 201: SessionView },
        },
      },
      async (req, reply) =>
        sendOpened(req, reply, await invites.accept(req.body, metaOf(req), await sessions.fromRequest(req)), 201),
    )
  }
}
