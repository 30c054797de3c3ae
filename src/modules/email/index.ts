import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'
import { loadMasterKey } from '../../lib/secret-box.js'
import { confirmRoutes } from './confirm.routes.js'
import { emailsRoutes } from './emails.routes.js'
import { EmailsService } from './emails.service.js'
import { emailLinkKey, LinkSigner } from './link-signer.js'
import { listsRoutes } from './lists.routes.js'
import { ListsService } from './lists.service.js'
import { segmentsRoutes } from './segments.routes.js'
import { SegmentsService } from './segments.service.js'
import { sendersRoutes } from './senders.routes.js'
import { SendersService } from './senders.service.js'
import { emailSettingsRoutes } from './settings.routes.js'
import { EmailSettingsService } from './settings.service.js'
import { SubscriptionsService } from './subscriptions.service.js'
import { templatesRoutes } from './templates.routes.js'
import { TemplatesService } from './templates.service.js'

/** The routes of email: senders, messages, the development mailbox, templates and
 * the switches of Rapport's own messages, lists, segments and subscriptions. */
export function emailModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const templates = new TemplatesService(deps.db)
    await app.register(sendersRoutes(new SendersService(deps.db)))
    await app.register(emailsRoutes(new EmailsService(deps.db, templates)))
    await app.register(templatesRoutes(templates))
    await app.register(emailSettingsRoutes(new EmailSettingsService(deps.db, deps.mailer.kind)))
    const links = new LinkSigner(() => emailLinkKey(loadMasterKey(deps.config.masterKey, deps.config.dataDir)))
    const lists = new ListsService(deps.db, links, deps.publicUrl, deps.config.email.from)
    await app.register(listsRoutes(lists, new SubscriptionsService(deps.db)))
    await app.register(segmentsRoutes(new SegmentsService(deps.db)))
    await app.register(confirmRoutes(deps.db, links))
  }
}
