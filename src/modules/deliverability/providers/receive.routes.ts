import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../../core/errors.js'
import { ReceiveParams, ReceiveResult } from './provider-hooks.schemas.js'
import type { ProviderReceiver } from './receive.service.js'

/** SNS messages are at most 256 KB; SendGrid batches stay well under this. */
export const PROVIDER_BODY_LIMIT_BYTES = 1024 * 1024

/**
 * The public URLs relays post to: no API key (the token in the path selects the hook, and with
 * it the organization and mode), each request verified by the provider's own scheme. Bodies are
 * taken raw, whatever their content type (SNS posts JSON as text/plain), because signatures are
 * over the exact bytes; the receiver parses them after. Not rate-limited per address: a relay
 * posts from a few addresses at its own pace, and an unknown token is a 404 that costs one lookup.
 */
export function receiveRoutes(receiver: ProviderReceiver) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: PROVIDER_BODY_LIMIT_BYTES }, (_req, body, done) =>
      done(null, body),
    )

    app.post(
      '/hooks/email/:provider/:token',
      {
        bodyLimit: PROVIDER_BODY_LIMIT_BYTES,
        config: { publicRateLimit: false },
        schema: {
          operationId: 'receiveEmailProviderHook',
          summary: 'Receive a relay’s bounces and complaints',
          description:
            'Where a relay posts (the `url` of a provider hook). Amazon SES: SNS messages, their signature verified with the certificate of an `sns.<region>.amazonaws.com` HTTPS URL, subscription confirmations confirmed; SendGrid: the signed event webhook (ECDSA, `X-Twilio-Email-Event-Webhook-Signature` and `-Timestamp`); Postmark: Bounce and SpamComplaint webhooks with the hook’s basic-auth credentials; Mailgun: webhooks signed with the signing key (HMAC-SHA256 of timestamp and token, a token taken once, within 5 minutes). An unknown token is a 404; a request that does not verify is a 401 and changes nothing. Events about messages the organization did not send, and events already taken, are answered 200 without being recorded.',
          tags: ['email'],
          params: ReceiveParams,
          response: { 200: ReceiveResult },
        },
      },
      async (req, reply) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
        try {
          return await receiver.receive(req.params.provider, req.params.token, req.headers, raw)
        } catch (err) {
          if (err instanceof ApiError && err.code === 'invalid_credentials') {
            reply.header('www-authenticate', 'Basic realm="rapport provider hook"')
          }
          throw err
        }
      },
    )
  }
}
