import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import Type, { type Static } from 'typebox'
import { ApiError } from '../../core/errors.js'
import type { Db } from '../../db/schema.js'
import { findCampaign } from './campaigns.repo.js'
import { CampaignIdParams } from './campaigns.schemas.js'
import { findEmail } from './emails.repo.js'
import { EmailIdParams } from './emails.schemas.js'
import { linkStats } from './link-stats.repo.js'

const count = (description: string, example: number) => Type.Integer({ minimum: 0, description, examples: [example] })

export const LinkStat = Type.Object(
  {
    url: Type.String({ description: 'The link as its author wrote it', examples: ['https://acme.example/news'] }),
    clicks: count('Clicks, link scanners included', 240),
    human_clicks: count('Clicks not labelled as a machine’s', 200),
    unique_clicks: count('Messages whose link was clicked at least once', 150),
    unique_human_clicks: count('Messages with at least one human click on it', 131),
    first_clicked_at: Type.String({ format: 'date-time', description: 'The first click' }),
    last_clicked_at: Type.String({ format: 'date-time', description: 'The latest click' }),
  },
  { description: 'Clicks on one link of a message or a campaign' },
)
export type LinkStat = Static<typeof LinkStat>

export const LinkStatList = Type.Object(
  {
    object: Type.Literal('list', { description: 'Always `list`' }),
    data: Type.Array(LinkStat, { description: 'Every clicked link, most clicked by people first (at most 500)' }),
  },
  {
    examples: [
      {
        object: 'list',
        data: [
          {
            url: 'https://acme.example/news',
            clicks: 240,
            human_clicks: 200,
            unique_clicks: 150,
            unique_human_clicks: 131,
            first_clicked_at: '2026-03-02T09:14:03.000Z',
            last_clicked_at: '2026-03-04T17:40:11.000Z',
          },
        ],
      },
    ],
  },
)

/** GET …/links of a message and of a campaign: clicks per link, people and machines apart. */
export function linkStatsRoutes(db: Db) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.get(
      '/api/v1/emails/:id/links',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEmailLinkClicks',
          summary: 'Clicks per link of an email',
          description:
            'Each clicked link of the message with its clicks, human and total (link scanners are labelled, not dropped). 404 for another organization’s or mode’s message.',
          tags: ['email'],
          params: EmailIdParams,
          response: { 200: LinkStatList },
        },
      },
      async (req) => {
        if (!(await findEmail(db, req.principal, req.params.id))) {
          throw new ApiError('not_found', `Email ${req.params.id} not found`)
        }
        return linkStats(db, req.principal, { emailId: req.params.id })
      },
    )
    app.get(
      '/api/v1/campaigns/:id/links',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listCampaignLinkClicks',
          summary: 'Clicks per link of a campaign',
          description:
            'Each clicked link of the campaign with its clicks and the messages that had one, human and total, most clicked by people first.',
          tags: ['email'],
          params: CampaignIdParams,
          response: { 200: LinkStatList },
        },
      },
      async (req) => {
        if (!(await findCampaign(db, req.principal, req.params.id))) {
          throw new ApiError('not_found', `Campaign ${req.params.id} not found`)
        }
        return linkStats(db, req.principal, { campaignId: req.params.id })
      },
    )
  }
}
