import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { Deleted } from '../../core/schemas.js'
import { Email } from './emails.schemas.js'
import {
  DraftPreviewInput,
  RenderedTemplate,
  Template,
  TemplateCreate,
  TemplateIdParams,
  TemplateList,
  TemplateListQuery,
  TemplatePreviewInput,
  TemplateTestInput,
  TemplateUpdate,
} from './templates.schemas.js'
import type { TemplatesService } from './templates.service.js'

export function templatesRoutes(templates: TemplatesService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']
    const base = '/api/v1/email-templates'

    app.post(
      base,
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createEmailTemplate',
          summary: 'Create an email template',
          description:
            'A template in Liquid (subject, HTML and/or text). A part that does not parse is a 422 naming it. Templates cannot read files, and rendering is bounded in time, allocations and size.',
          tags,
          body: TemplateCreate,
          response: { 201: Template },
        },
      },
      async (req, reply) => reply.code(201).send(await templates.create(req.principal, req.body)),
    )

    app.get(
      base,
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEmailTemplates',
          summary: 'List email templates',
          description: 'Newest first. Paged.',
          tags,
          querystring: TemplateListQuery,
          response: { 200: TemplateList },
        },
      },
      async (req) => templates.list(req.principal, req.query),
    )

    app.post(
      `${base}/preview`,
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'previewEmailTemplateDraft',
          summary: 'Preview unsaved template content',
          description:
            'Renders the given subject/HTML/text for a contact (or a sample contact) and `data`, without saving anything: the live preview of an editor.',
          tags,
          body: DraftPreviewInput,
          response: { 200: RenderedTemplate },
        },
      },
      async (req) => templates.previewDraft(req.principal, req.body),
    )

    app.get(
      `${base}/:id`,
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getEmailTemplate',
          summary: 'Get an email template',
          description: 'One template, with an `ETag`.',
          tags,
          params: TemplateIdParams,
          response: { 200: Template },
        },
      },
      async (req) => templates.get(req.principal, req.params.id),
    )

    app.patch(
      `${base}/:id`,
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'updateEmailTemplate',
          summary: 'Update an email template',
          description: 'Changes the given parts. Messages already queued keep what they were rendered with.',
          tags,
          params: TemplateIdParams,
          body: TemplateUpdate,
          response: { 200: Template },
        },
      },
      async (req) => templates.update(req.principal, req.params.id, req.body),
    )

    app.delete(
      `${base}/:id`,
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteEmailTemplate',
          summary: 'Delete an email template',
          description: 'Messages sent from it keep their content; their `template_id` becomes null.',
          tags,
          params: TemplateIdParams,
          response: { 200: Deleted(Type.Literal('email_template')) },
        },
      },
      async (req) => {
        const deleted = await templates.remove(req.principal, req.params.id)
        return { id: deleted.id, object: 'email_template' as const, deleted: true as const }
      },
    )

    app.post(
      `${base}/:id/preview`,
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'previewEmailTemplate',
          summary: 'Preview an email template',
          description: 'The template rendered for a contact (or a sample contact) and `data`, as it would be sent.',
          tags,
          params: TemplateIdParams,
          body: TemplatePreviewInput,
          response: { 200: RenderedTemplate },
        },
      },
      async (req) => templates.preview(req.principal, req.params.id, req.body),
    )

    app.post(
      `${base}/:id/test`,
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'sendEmailTemplateTest',
          summary: 'Send a test of an email template',
          description:
            'Queues the rendered template to one address (202), subject prefixed with `[Test]`, category `template_test`; no timeline activity.',
          tags,
          params: TemplateIdParams,
          body: TemplateTestInput,
          response: { 202: Email },
        },
      },
      async (req, reply) => reply.code(202).send(await templates.sendTest(req.principal, req.params.id, req.body)),
    )
  }
}
