import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../core/errors.js'
import type { Db } from '../../db/schema.js'
import { findCampaign } from './campaigns.repo.js'
import { CampaignIdParams } from './campaigns.schemas.js'
import { findEmail } from './emails.repo.js'
import { EmailIdParams } from './emails.schemas.js'
import { countryStats, linkStats, listTrackingEvents } from './link-stats.repo.js'
import { CountryStatList, LinkStatList, TrackingEventList, TrackingEventQuery } from './link-stats.schemas.js'

/**
 * What tracking recorded, for a message and a campaign: clicks per link, each open and click of a
 * message (user agent, country and region, machine label), and opens and clicks per country.
 */
export function linkStatsRoutes(db: Db) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const emailOf = async (scope: Parameters<typeof findEmail>[1], id: string) => {
      if (!(await findEmail(db, scope, id))) throw new ApiError('not_found', `Email ${id} not found`)
    }
    const campaignOf = async (scope: Parameters<typeof findCampaign>[1], id: string) => {
      if (!(await findCampaign(db, scope, id))) throw new ApiError('not_found', `Campaign ${id} not found`)
    }
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
        await emailOf(req.principal, req.params.id)
        return linkStats(db, req.principal, { emailId: req.params.id })
      },
    )
    app.get(
      '/api/v1/emails/:id/tracking',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listEmailTrackingEvents',
          summary: 'Opens and clicks of an email',
          description:
            'Each recorded open and click of the message, newest first: the user agent read into OS, browser and webmail, the country and region of the client address (with RAPPORT_GEOIP_DB; else null), and whether it was a machine’s fetch, with the reason. Paged. 404 for another organization’s or mode’s message.',
          tags: ['email'],
          params: EmailIdParams,
          querystring: TrackingEventQuery,
          response: { 200: TrackingEventList },
        },
      },
      async (req) => {
        await emailOf(req.principal, req.params.id)
        return listTrackingEvents(db, req.principal, req.params.id, req.query)
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
        await campaignOf(req.principal, req.params.id)
        return linkStats(db, req.principal, { campaignId: req.params.id })
      },
    )
    app.get(
      '/api/v1/campaigns/:id/countries',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listCampaignCountries',
          summary: 'Opens and clicks of a campaign per country',
          description:
            'Opens and clicks of the campaign grouped by the country of the client address (RAPPORT_GEOIP_DB; `country: null` gathers the unknown), human and total, most human opens first.',
          tags: ['email'],
          params: CampaignIdParams,
          response: { 200: CountryStatList },
        },
      },
      async (req) => {
        await campaignOf(req.principal, req.params.id)
        return countryStats(db, req.principal, req.params.id)
      },
    )
  }
}
