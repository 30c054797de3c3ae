import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import {
  ProviderHook,
  ProviderHookCreate,
  ProviderHookIdParams,
  ProviderHookList,
  ProviderHookListQuery,
} from './provider-hooks.schemas.js'
import type { ProviderHooksService } from './provider-hooks.service.js'

/** Registering the URLs relays post bounces and complaints to (docs/deliverability.md, "Provider webhooks"). */
export function providerHooksRoutes(hooks: ProviderHooksService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']

    app.post(
      '/api/v1/email/provider_hooks',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'createEmailProviderHook',
          summary: 'Register a provider webhook',
          description:
            'Registers a hook for a relay (`ses`, `sendgrid`, `postmark`, `mailgun`) and answers the `url` to give the provider: `<public url>/hooks/email/<provider>/<token>`. The URL (with Postmark’s basic-auth credentials in it) is shown only in this answer; later reads show `url_hint`. `sendgrid` needs `verification_key`, `mailgun` needs `signing_key` (sealed at rest); `ses` takes an optional `topic_arn`.',
          tags,
          body: ProviderHookCreate,
          response: { 201: ProviderHook },
        },
      },
      async (req, reply) => reply.code(201).send(await hooks.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/email/provider_hooks',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEmailProviderHooks',
          summary: 'List provider webhooks',
          description: 'The provider hooks of the organization in the key’s mode, newest first. Paged.',
          tags,
          querystring: ProviderHookListQuery,
          response: { 200: ProviderHookList },
        },
      },
      async (req) => hooks.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/email/provider_hooks/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getEmailProviderHook',
          summary: 'Get a provider webhook',
          description:
            'One provider hook: its provider, settings, when SNS confirmed it and when it last received a request.',
          tags,
          params: ProviderHookIdParams,
          response: { 200: ProviderHook },
        },
      },
      async (req) => hooks.get(req.principal, req.params.id),
    )

    app.delete(
      '/api/v1/email/provider_hooks/:id',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'deleteEmailProviderHook',
          summary: 'Delete a provider webhook',
          description: 'Deletes the hook and answers it as it was; its URL answers 404 from then on.',
          tags,
          params: ProviderHookIdParams,
          response: { 200: ProviderHook },
        },
      },
      async (req) => hooks.remove(req.principal, req.params.id),
    )
  }
}
