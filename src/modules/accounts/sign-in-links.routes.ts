import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { metaOf, NO_STORE, sendOpened } from './accounts.routes.js'
import { SessionView } from './accounts.schemas.js'
import type { Sessions } from './sessions.js'
import { SignInLinkPreview, SignInLinkRedeem, SignInLinkTokenQuery } from './sign-in-links.schemas.js'
import type { SignInLinks } from './sign-in-links.service.js'

/**
 * The public side of sign-in links: what a link offers, and using it. Links are made by operators
 * (`POST /admin/v1/orgs` with an owner, `rapport user invite`, `rapport user reset-password`).
 */
export function signInLinksRoutes(links: SignInLinks, sessions: Sessions) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['accounts']

    app.get(
      '/api/v1/sign-in-links/preview',
      {
        schema: {
          operationId: 'previewSignInLink',
          summary: 'Who a sign-in link signs in',
          description:
            'Public: the email, name, organization and purpose (`activate` or `reset_password`) of a usable link; 404 when used, replaced or expired.',
          tags,
          querystring: SignInLinkTokenQuery,
          response: { 200: SignInLinkPreview },
        },
      },
      async (req, reply) => reply.header('cache-control', NO_STORE).send(await links.preview(req.query.token)),
    )

    app.post(
      '/api/v1/sign-in-links/redeem',
      {
        schema: {
          operationId: 'redeemSignInLink',
          summary: 'Use a sign-in link',
          description:
            'Public: sets the user’s password (and name, if given), signs them out of every other session and signs them in. The link works once; 404 when used, replaced or expired.',
          tags,
          body: SignInLinkRedeem,
          response: { 201: SessionView },
        },
      },
      async (req, reply) => sendOpened(req, reply, await links.redeem(req.body, metaOf(req), sessions), 201),
    )
  }
}
