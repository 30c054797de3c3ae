import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify'
import { loadMasterKey } from '../../lib/secret-box.js'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { CampaignComposer } from './campaign-message.js'
import { CampaignRunner } from './campaign-runner.js'
import { campaignsRoutes } from './campaigns.routes.js'
import { CampaignsService } from './campaigns.service.js'
import { confirmRoutes } from './confirm.routes.js'
import { emailsRoutes } from './emails.routes.js'
import { EmailsService } from './emails.service.js'
import { openGeoIp } from './geoip.js'
import { emailLinkKey, LinkSigner } from './link-signer.js'
import { linkStatsRoutes } from './link-stats.routes.js'
import { listsRoutes } from './lists.routes.js'
import { ListsService } from './lists.service.js'
import { publicLinksRoutes } from './public-links.routes.js'
import { segmentsRoutes } from './segments.routes.js'
import { SegmentsService } from './segments.service.js'
import { sendersRoutes } from './senders.routes.js'
import { SendersService } from './senders.service.js'
import { emailSettingsRoutes } from './settings.routes.js'
import { EmailSettingsService } from './settings.service.js'
import { SubscriptionsService } from './subscriptions.service.js'
import { templatesRoutes } from './templates.routes.js'
import { TemplatesService } from './templates.service.js'
import { UnsubscribeService } from './unsubscribe.service.js'

/** The routes of email: senders, messages, the development mailbox, templates and
 * the switches of Rapport's own messages, lists, segments and subscriptions. */
export function emailModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const templates = new TemplatesService(deps.db)
    await app.register(sendersRoutes(new SendersService(deps.db)))
    await app.register(emailsRoutes(new EmailsService(deps.db, templates)))
    await app.register(templatesRoutes(templates))
    await app.register(emailSettingsRoutes(new EmailSettingsService(deps.db, deps.mailer, deps.clock)))
    const links = emailLinks(deps)
    const lists = new ListsService(deps.db, links, deps.publicUrl, deps.config.email.from)
    await app.register(listsRoutes(lists, new SubscriptionsService(deps.db)))
    await app.register(segmentsRoutes(new SegmentsService(deps.db)))
    await app.register(confirmRoutes(deps.db, links))
    // Read once here, so by the API role only (workers look no address up); a bad file stops the start.
    const geoip = deps.config.email.geoipDb ? await openGeoIp(deps.config.email.geoipDb) : undefined
    await app.register(publicLinksRoutes(deps.db, links, new UnsubscribeService(deps.db), deps.clock, geoip))
    await app.register(linkStatsRoutes(deps.db))
    await app.register(campaignsRoutes(new CampaignsService(deps.db, new CampaignComposer(links, deps.publicUrl))))
  }
}

/** The signer of links in emails (confirmation, unsubscribe, tracking), keyed from the master key. */
export function emailLinks(deps: Deps): LinkSigner {
  return new LinkSigner(() => emailLinkKey(loadMasterKey(deps.config.masterKey, deps.config.dataDir)))
}

/** What the worker role runs to move campaigns forward (see campaign-runner.ts). */
export function campaignRunnerFor(deps: Deps, log: FastifyBaseLogger, orgIds?: readonly string[]): CampaignRunner {
  return new CampaignRunner(deps.db, new CampaignComposer(emailLinks(deps), deps.publicUrl), {
    rates: {
      perSecond: deps.config.email.campaignRatePerSec,
      perOrgPerSecond: deps.config.email.campaignOrgRatePerSec,
    },
    fallbackFrom: deps.config.email.from,
    log,
    ...(orgIds ? { orgIds } : {}),
  })
}
