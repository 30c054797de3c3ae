import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { Deleted } from '../../core/schemas.js'
import {
  Segment,
  SegmentCreate,
  SegmentIdParams,
  SegmentList,
  SegmentListQuery,
  SegmentPreview,
  SegmentPreviewInput,
  SegmentUpdate,
} from './segments.schemas.js'
import type { SegmentsService } from './segments.service.js'

export function segmentsRoutes(segments: SegmentsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']

    app.post(
      '/api/v1/email-segments',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createEmailSegment',
          summary: 'Create a segment',
          description:
            'Saves a contact filter (the contact search grammar) as an audience. An invalid filter is a 422 naming the failing part, e.g. `filter.and[1].op`.',
          tags,
          body: SegmentCreate,
          response: { 201: Segment },
        },
      },
      async (req, reply) => reply.code(201).send(await segments.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/email-segments',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEmailSegments',
          summary: 'List segments',
          description: 'The organization’s segments with their counts now, newest first. Paged.',
          tags,
          querystring: SegmentListQuery,
          response: { 200: SegmentList },
        },
      },
      async (req) => segments.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/email-segments/preview',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'previewEmailSegment',
          summary: 'Count what a filter selects',
          description:
            'The counts a segment with this filter would have now (`contact_count`, `member_count`), without saving anything: the live count of a segment editor. An invalid filter is a 422 naming the failing part. Reads only.',
          tags,
          body: SegmentPreviewInput,
          response: { 200: SegmentPreview },
        },
      },
      async (req) => segments.preview(req.principal, req.body.filter),
    )

    app.get(
      '/api/v1/email-segments/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getEmailSegment',
          summary: 'Get a segment',
          description: 'One segment with the counts of its filter now.',
          tags,
          params: SegmentIdParams,
          response: { 200: Segment },
        },
      },
      async (req) => segments.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/email-segments/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'updateEmailSegment',
          summary: 'Update a segment',
          description: 'Renames it or changes its filter; campaigns not started yet use the new filter.',
          tags,
          params: SegmentIdParams,
          body: SegmentUpdate,
          response: { 200: Segment },
        },
      },
      async (req) => segments.update(req.principal, req.params.id, req.body),
    )

    app.delete(
      '/api/v1/email-segments/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteEmailSegment',
          summary: 'Delete a segment',
          description: 'Deletes the saved filter (no contact is changed).',
          tags,
          params: SegmentIdParams,
          response: { 200: Deleted(Type.Literal('email_segment')) },
        },
      },
      async (req) => {
        await segments.remove(req.principal, req.params.id)
        return { id: req.params.id, object: 'email_segment' as const, deleted: true as const }
      },
    )
  }
}
