import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError } from '../../core/errors.js'
import { parseJsonBody } from '../../core/json-body.js'
import { FormTeams } from '../leads/forms/forms.schemas.js'
import type { FormsService } from '../leads/forms/forms.service.js'
import { CompatWebhook, CompatWebhookCreate, CompatWebhookList } from '../webhooks/compat.schemas.js'
import type { WebhooksCompatService } from '../webhooks/compat.service.js'
import { requireAccountId, sarbacaneErrorHandler, sarbacaneErrorOf } from './sarbacane.errors.js'
import {
  CredentialHeaders,
  SarbacaneForm,
  SarbacaneFormIdParams,
  SarbacaneFormList,
  SarbacaneFormListQuery,
  SarbacaneFormName,
  SarbacaneWebhookIdParams,
  sarbacaneErrors,
} from './sarbacane.schemas.js'
import type { SarbacaneFormsService } from './sarbacane.service.js'

const FORM_LABEL = 'application/x-www-form-urlencoded'

/**
 * curl's `-d` without a Content-Type labels a body `application/x-www-form-urlencoded`, and the
 * document's examples send JSON that way. On these routes such a body is read as JSON when its text
 * is a JSON object (the same checks as any JSON body); real form data stays a 415.
 */
function formLabelledJson(
  req: FastifyRequest,
  body: Buffer | string,
  done: (err: Error | null, body?: unknown) => void,
) {
  const buf = body as Buffer
  if (buf.length > 0 && !buf.toString('utf8', 0, Math.min(buf.length, 64)).trimStart().startsWith('{')) {
    return done(
      new ApiError(
        'unsupported_media_type',
        `Send the body as application/json (a body labelled ${FORM_LABEL} is read only when it is a JSON object, as curl -d sends it)`,
      ),
    )
  }
  parseJsonBody(req, buf, done)
}

/**
 * The `/v1` routes of an email and form tool's API (Sarbacane): webhooks by `kinds` and forms by
 * `{id, name}`, over the same endpoints and forms as the native API. Credentials are `accountId` +
 * `apiKey` (or Basic ACCOUNTID:APIKEY), and every error, authentication included, has the
 * document's body. All of it stays inside this encapsulated plugin: error handler, 404 handler and
 * the form-label parser apply to `/v1` only. The error body's shared schema (`SarbacaneError`) is
 * added by app.ts before any plugin.
 */
export async function registerSarbacaneRoutes(
  root: FastifyInstance,
  webhooks: WebhooksCompatService,
  forms: SarbacaneFormsService,
  allForms: FormsService,
) {
  await root.register(
    async (fastify) => {
      const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
      app.setErrorHandler(sarbacaneErrorHandler)
      app.setNotFoundHandler((req, reply) => {
        const { status, body } = sarbacaneErrorOf(
          new ApiError('route_not_found', `No route for ${req.method} ${req.url.split('?')[0]}`),
          req,
        )
        return reply.code(status).send(body)
      })
      app.addContentTypeParser(FORM_LABEL, { parseAs: 'buffer' }, formLabelledJson)
      app.addHook('onRequest', async (req) => {
        if (req.routeOptions.config?.scope) await requireAccountId(req)
      })

      const webhookTags = ['v1 compatibility: webhooks']
      const formTags = ['v1 compatibility: forms']
      const webhookConfig = { scope: 'webhooks' as const, sarbacaneBadKeyStatus: 400 as const }
      const auth =
        ' Credentials: `accountId` (the organization id) and `apiKey` headers, or HTTP Basic ACCOUNTID:APIKEY; errors use the /v1 error body.'

      app.post(
        '/webhooks',
        {
          config: webhookConfig,
          schema: {
            operationId: 'v1CreateWebhook',
            summary: 'Create a webhook (/v1)',
            description: `Creates a webhook endpoint from \`url\`, \`displayName\` and \`kinds\` and answers 200 with it. A JSON body sent as ${FORM_LABEL} (curl -d) is read as JSON. FORM_SUBMIT and CAPTCHA deliveries to it carry the flat form envelope; the email kinds need email sending.${auth}`,
            tags: webhookTags,
            headers: CredentialHeaders,
            body: CompatWebhookCreate,
            response: { 200: CompatWebhook, ...sarbacaneErrors(true) },
          },
        },
        async (req) => webhooks.create(req.principal, req.body),
      )

      app.get(
        '/webhooks',
        {
          config: webhookConfig,
          schema: {
            operationId: 'v1ListWebhooks',
            summary: 'List webhooks (/v1)',
            description: `Every webhook endpoint of the organization in the key's mode (up to 1000), oldest first, as a bare JSON array.${auth}`,
            tags: webhookTags,
            headers: CredentialHeaders,
            response: { 200: CompatWebhookList, ...sarbacaneErrors(false) },
          },
        },
        async (req) => webhooks.list(req.principal),
      )

      app.get(
        '/webhooks/:webhookId',
        {
          config: webhookConfig,
          schema: {
            operationId: 'v1GetWebhook',
            summary: 'Get a webhook (/v1)',
            description: `One webhook endpoint.${auth}`,
            tags: webhookTags,
            headers: CredentialHeaders,
            params: SarbacaneWebhookIdParams,
            response: { 200: CompatWebhook, ...sarbacaneErrors(false) },
          },
        },
        async (req) => webhooks.get(req.principal, req.params.webhookId),
      )

      app.delete(
        '/webhooks/:webhookId',
        {
          config: webhookConfig,
          schema: {
            operationId: 'v1DeleteWebhook',
            summary: 'Delete a webhook (/v1)',
            description: `Deletes the webhook endpoint (its pending deliveries go with it) and answers with it as it was.${auth}`,
            tags: webhookTags,
            headers: CredentialHeaders,
            params: SarbacaneWebhookIdParams,
            response: { 200: CompatWebhook, ...sarbacaneErrors(false) },
          },
        },
        async (req) => webhooks.remove(req.principal, req.params.webhookId),
      )

      app.get(
        '/forms',
        {
          config: { scope: 'read' },
          schema: {
            operationId: 'v1ListForms',
            summary: 'List forms (/v1)',
            description: `Forms as \`{id, name}\`, newest first, as a bare JSON array: \`limit\` up to 1000 (the default) from \`offset\`.${auth}`,
            tags: formTags,
            headers: CredentialHeaders,
            querystring: SarbacaneFormListQuery,
            response: { 200: SarbacaneFormList, ...sarbacaneErrors(false) },
          },
        },
        async (req) => forms.list(req.principal, req.query),
      )

      app.get(
        '/forms/:formId',
        {
          config: { scope: 'read' },
          schema: {
            operationId: 'v1GetForm',
            summary: 'Get a form (/v1)',
            description: `One form as \`{id, name}\`; the whole form is at GET /api/v1/forms/{id}.${auth}`,
            tags: formTags,
            headers: CredentialHeaders,
            params: SarbacaneFormIdParams,
            response: { 200: SarbacaneForm, ...sarbacaneErrors(false) },
          },
        },
        async (req) => forms.get(req.principal, req.params.formId),
      )

      app.put(
        '/forms/:formId/name',
        {
          config: { scope: 'write' },
          schema: {
            operationId: 'v1RenameForm',
            summary: 'Rename a form (/v1)',
            description: `Renames the form: \`{"name": "New"}\` or the document's \`{"name": ["New"]}\` (exactly one element, else 422). Answers the form as \`{id, name}\`.${auth}`,
            tags: formTags,
            headers: CredentialHeaders,
            params: SarbacaneFormIdParams,
            body: SarbacaneFormName,
            response: { 200: SarbacaneForm, ...sarbacaneErrors(true) },
          },
        },
        async (req) => forms.rename(req.principal, req.params.formId, req.body.name),
      )

      app.get(
        '/forms/:formId/teams',
        {
          config: { scope: 'read' },
          schema: {
            operationId: 'v1GetFormTeams',
            summary: 'List the teams of a form (/v1)',
            description: `The ids of the form's teams as \`{"teams": [...]}\`.${auth}`,
            tags: formTags,
            headers: CredentialHeaders,
            params: SarbacaneFormIdParams,
            response: { 200: FormTeams, ...sarbacaneErrors(false) },
          },
        },
        async (req) => allForms.teams(req.principal, req.params.formId),
      )

      app.put(
        '/forms/:formId/teams',
        {
          config: { scope: 'write' },
          schema: {
            operationId: 'v1SetFormTeams',
            summary: 'Replace the teams of a form (/v1)',
            description: `Replaces the form's teams with \`{"teams": [...]}\` and answers them. An unknown team id is a 422 naming it (\`teams.N\`); concurrent edits of one form apply one after the other.${auth}`,
            tags: formTags,
            headers: CredentialHeaders,
            params: SarbacaneFormIdParams,
            body: FormTeams,
            response: { 200: FormTeams, ...sarbacaneErrors(true) },
          },
        },
        async (req) => allForms.setTeams(req.principal, req.params.formId, req.body.teams),
      )
    },
    { prefix: '/v1' },
  )
}
