import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import {
  SendingDomain,
  SendingDomainList,
  SendingDomainListQuery,
  SendingDomainParams,
} from './sending-domains.schemas.js'
import type { SendingDomainsService } from './sending-domains.service.js'

export function sendingDomainsRoutes(domains: SendingDomainsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']

    app.get(
      '/api/v1/sending_domains',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listSendingDomains',
          summary: 'List sending domains',
          description:
            'The domains of the organization’s senders, by name, each with its DKIM key’s selector, the DNS records to publish (DKIM, SPF, DMARC) and the result of the last check. A sender’s domain appears (and gets its DKIM key, RSA 2048) the first time it is listed, read or sent from. Paged.',
          tags,
          querystring: SendingDomainListQuery,
          response: { 200: SendingDomainList },
        },
      },
      async (req) => domains.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/sending_domains/:domain',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getSendingDomain',
          summary: 'Get a sending domain and its DNS records',
          description:
            'The records to publish for the domain: the DKIM key at `<selector>._domainkey.<domain>` (`v=DKIM1; k=rsa; p=…`), an SPF record allowing the relay (from `RAPPORT_SPF_INCLUDE`) and a DMARC policy at `_dmarc.<domain>`, each with its status from the last check. A domain that is not one of the organization’s senders’ is a 404.',
          tags,
          params: SendingDomainParams,
          response: { 200: SendingDomain },
        },
      },
      async (req) => domains.get(req.principal, req.params.domain),
    )

    app.post(
      '/api/v1/sending_domains/:domain/check',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'checkSendingDomain',
          summary: 'Check the DNS records of a sending domain',
          description:
            'Looks the records up in DNS now (the DKIM keys, SPF, DMARC) and stores, per record, `verified`, `missing`, `mismatch` (with what was found) or `error` (the lookup failed). A rotated key found published becomes the signing key.',
          tags,
          params: SendingDomainParams,
          response: { 200: SendingDomain },
        },
      },
      async (req) => domains.check(req.principal, req.params.domain),
    )

    app.post(
      '/api/v1/sending_domains/:domain/rotate_dkim',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'rotateSendingDomainDkim',
          summary: 'Rotate the DKIM key of a sending domain',
          description:
            'Makes a new key with a new selector, `pending` beside the current one: publish its record and check the domain; once the check finds it, it signs and the previous key stops (keep the old record a week for mail in flight). A rotation already pending is a 409 `conflict`. Admin scope.',
          tags,
          params: SendingDomainParams,
          response: { 200: SendingDomain },
        },
      },
      async (req) => domains.rotateDkim(req.principal, req.params.domain),
    )
  }
}
