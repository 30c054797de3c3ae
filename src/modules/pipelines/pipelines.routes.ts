import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ifMatchOf } from '../../core/preconditions.js'
import { Deleted } from '../../core/schemas.js'
import {
  Pipeline,
  PipelineCreate,
  PipelineIdParams,
  PipelineList,
  PipelineListQuery,
  PipelineUpdate,
  Stage,
  StageCreate,
  StageIdParams,
  StageUpdate,
} from './pipelines.schemas.js'
import type { PipelinesService } from './pipelines.service.js'

const IF_MATCH = 'With `If-Match`, applies only if the object still has that ETag (else 412 `precondition_failed`).'

export function pipelinesRoutes(pipelines: PipelinesService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['pipelines']

    app.get(
      '/api/v1/pipelines',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listPipelines',
          summary: 'List pipelines',
          description:
            'The pipelines of the organization in order, each with its ordered stages; paged. Every organization has a default pipeline (Lead, Qualified, Proposal, Negotiation, Won, Lost) in each mode.',
          tags,
          querystring: PipelineListQuery,
          response: { 200: PipelineList },
        },
      },
      async (req) => pipelines.list(req.principal, req.query),
    )

    app.post(
      '/api/v1/pipelines',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'createPipeline',
          summary: 'Create a pipeline',
          description:
            'Creates a pipeline with the given stages (or the standard ones). It needs an open stage and has at most one won and one lost stage (else 422). A duplicate name is a 409.',
          tags,
          body: PipelineCreate,
          response: { 201: Pipeline },
        },
      },
      async (req, reply) => reply.code(201).send(await pipelines.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/pipelines/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getPipeline',
          summary: 'Get a pipeline',
          description:
            'The pipeline with its ordered stages. Answers with an `ETag` (it covers the stages too); send it back as `If-Match` on PATCH or DELETE.',
          tags,
          params: PipelineIdParams,
          response: { 200: Pipeline },
        },
      },
      async (req) => pipelines.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/pipelines/:id',
      {
        config: { scope: 'admin', etag: true },
        schema: {
          operationId: 'updatePipeline',
          summary: 'Update a pipeline',
          description: `Renames the pipeline, moves it (\`position\`), makes it the default, or reorders all its stages at once (\`stage_ids\`). ${IF_MATCH}`,
          tags,
          params: PipelineIdParams,
          body: PipelineUpdate,
          response: { 200: Pipeline },
        },
      },
      async (req) => pipelines.update(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/pipelines/:id',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'deletePipeline',
          summary: 'Delete a pipeline',
          description: `Deletes the pipeline and its stages. A pipeline that holds deals, or the default pipeline, cannot be deleted (409 \`conflict\`). ${IF_MATCH}`,
          tags,
          params: PipelineIdParams,
          response: { 200: Deleted(Type.Literal('pipeline')) },
        },
      },
      async (req) => {
        const deleted = await pipelines.remove(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'pipeline' as const, deleted: true as const }
      },
    )

    app.post(
      '/api/v1/pipelines/:id/stages',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'createStage',
          summary: 'Add a stage to a pipeline',
          description:
            'Adds a stage, last unless `position` says otherwise (the later stages shift). A second won or lost stage is a 409; a duplicate name in the pipeline is a 409.',
          tags,
          params: PipelineIdParams,
          body: StageCreate,
          response: { 201: Stage },
        },
      },
      async (req, reply) => reply.code(201).send(await pipelines.createStage(req.principal, req.params.id, req.body)),
    )

    app.get(
      '/api/v1/stages/:id',
      {
        config: { scope: 'read', etag: true },
        schema: {
          operationId: 'getStage',
          summary: 'Get a stage',
          description: 'One stage. Answers with an `ETag`; send it back as `If-Match` on PATCH or DELETE.',
          tags,
          params: StageIdParams,
          response: { 200: Stage },
        },
      },
      async (req) => pipelines.getStage(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/stages/:id',
      {
        config: { scope: 'admin', etag: true },
        schema: {
          operationId: 'updateStage',
          summary: 'Update a stage',
          description: `Renames or moves a stage within its pipeline (\`position\`; the others shift). Its \`kind\` can change only while it holds no deals (else 409), and a pipeline keeps one open stage. ${IF_MATCH}`,
          tags,
          params: StageIdParams,
          body: StageUpdate,
          response: { 200: Stage },
        },
      },
      async (req) => pipelines.updateStage(req.principal, req.params.id, req.body, { ifMatch: ifMatchOf(req) }),
    )

    app.delete(
      '/api/v1/stages/:id',
      {
        config: { scope: 'admin' },
        schema: {
          operationId: 'deleteStage',
          summary: 'Delete a stage',
          description: `Deletes a stage; the later ones move up. A stage that still holds deals, or the last open stage of a pipeline, cannot be deleted (409 \`conflict\`). ${IF_MATCH}`,
          tags,
          params: StageIdParams,
          response: { 200: Deleted(Type.Literal('stage')) },
        },
      },
      async (req) => {
        const deleted = await pipelines.removeStage(req.principal, req.params.id, { ifMatch: ifMatchOf(req) })
        return { id: deleted.id, object: 'stage' as const, deleted: true as const }
      },
    )
  }
}
