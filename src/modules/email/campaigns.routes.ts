import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { Deleted } from '../../core/schemas.js'
import {
  Campaign,
  CampaignCreate,
  CampaignIdParams,
  CampaignList,
  CampaignListQuery,
  CampaignSchedule,
  CampaignTestSend,
  CampaignTestSent,
  CampaignUpdate,
} from './campaigns.schemas.js'
import type { CampaignsService } from './campaigns.service.js'

export function campaignsRoutes(campaigns: CampaignsService) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const tags = ['email']

    app.post(
      '/api/v1/campaigns',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'createCampaign',
          summary: 'Create a campaign',
          description:
            'A draft: content (subject and html/text in Liquid, or a template), sender and audience (lists and segments). Nothing is sent until it is scheduled.',
          tags,
          body: CampaignCreate,
          response: { 201: Campaign },
        },
      },
      async (req, reply) => reply.code(201).send(await campaigns.create(req.principal, req.body)),
    )

    app.get(
      '/api/v1/campaigns',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listCampaigns',
          summary: 'List campaigns',
          description: 'Campaigns with their stats, newest first, optionally by `status`. Paged.',
          tags,
          querystring: CampaignListQuery,
          response: { 200: CampaignList },
        },
      },
      async (req) => campaigns.list(req.principal, req.query),
    )

    app.get(
      '/api/v1/campaigns/:id',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getCampaign',
          summary: 'Get a campaign',
          description: 'One campaign with its stats (sent, failed, skipped, opens and clicks, human and total).',
          tags,
          params: CampaignIdParams,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.get(req.principal, req.params.id),
    )

    app.patch(
      '/api/v1/campaigns/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'updateCampaign',
          summary: 'Update a campaign',
          description:
            'Changes content, sender, audience or tracking while the campaign is `draft` or `scheduled`; later it is a 409 `conflict`.',
          tags,
          params: CampaignIdParams,
          body: CampaignUpdate,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.update(req.principal, req.params.id, req.body),
    )

    app.delete(
      '/api/v1/campaigns/:id',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'deleteCampaign',
          summary: 'Delete a draft campaign',
          description:
            'Deletes a campaign that is still a draft; any other is a 409 (cancel it instead: its ledger and stats are kept).',
          tags,
          params: CampaignIdParams,
          response: { 200: Deleted(Type.Literal('campaign')) },
        },
      },
      async (req) => {
        await campaigns.remove(req.principal, req.params.id)
        return { id: req.params.id, object: 'campaign' as const, deleted: true as const }
      },
    )

    app.post(
      '/api/v1/campaigns/:id/schedule',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'scheduleCampaign',
          summary: 'Schedule a campaign',
          description:
            'draft → scheduled, for `send_at` or at once. A worker then writes its send ledger (the audience evaluated at that moment), emits `campaign.started` and sends within the configured rates. A campaign without content, audience or sender is a 422 naming what is missing.',
          tags,
          params: CampaignIdParams,
          body: CampaignSchedule,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.schedule(req.principal, req.params.id, req.body ?? {}),
    )

    app.post(
      '/api/v1/campaigns/:id/pause',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'pauseCampaign',
          summary: 'Pause a campaign',
          description:
            'sending or scheduled → paused, with `campaign.paused`. Nothing more is queued; messages no worker has taken yet are taken back. At most the messages being sent at that moment still go out.',
          tags,
          params: CampaignIdParams,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.pause(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/campaigns/:id/resume',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'resumeCampaign',
          summary: 'Resume a campaign',
          description:
            'paused → sending (or scheduled, if it had not started): the rest of the ledger is sent; nobody gets a second copy and nobody is skipped.',
          tags,
          params: CampaignIdParams,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.resume(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/campaigns/:id/cancel',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'cancelCampaign',
          summary: 'Cancel a campaign',
          description: 'Stops the campaign for good; recipients not sent yet never are (counted as `cancelled`).',
          tags,
          params: CampaignIdParams,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.cancel(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/campaigns/:id/resend-failed',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'resendFailedCampaign',
          summary: 'Resend to those who failed',
          description:
            'Puts every recipient whose message failed back in the ledger; the campaign sends to them again (a completed campaign becomes `sending`, and `campaign.completed` fires again when it is done).',
          tags,
          params: CampaignIdParams,
          response: { 200: Campaign },
        },
      },
      async (req) => campaigns.resendFailed(req.principal, req.params.id),
    )

    app.post(
      '/api/v1/campaigns/:id/test-send',
      {
        config: { scope: 'write' },
        schema: {
          operationId: 'testSendCampaign',
          summary: 'Send a test of a campaign',
          description:
            'Queues one message of the campaign’s content to `to`, rendered for `contact_id` or a sample contact, subject prefixed `[Test]` (202). Allowed in any state.',
          tags,
          params: CampaignIdParams,
          body: CampaignTestSend,
          response: { 202: CampaignTestSent },
        },
      },
      async (req, reply) => reply.code(202).send(await campaigns.testSend(req.principal, req.params.id, req.body)),
    )
  }
}
