import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'
import { emailsRoutes } from './emails.routes.js'
import { EmailsService } from './emails.service.js'
import { sendersRoutes } from './senders.routes.js'
import { SendersService } from './senders.service.js'
import { emailSettingsRoutes } from './settings.routes.js'
import { EmailSettingsService } from './settings.service.js'
import { templatesRoutes } from './templates.routes.js'
import { TemplatesService } from './templates.service.js'

/** The routes of email: senders, messages, the development mailbox, templates and
 * the switches of Rapport's own messages. */
export function emailModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const templates = new TemplatesService(deps.db)
    await app.register(sendersRoutes(new SendersService(deps.db)))
    await app.register(emailsRoutes(new EmailsService(deps.db, templates)))
    await app.register(templatesRoutes(templates))
    await app.register(emailSettingsRoutes(new EmailSettingsService(deps.db, deps.mailer.kind)))
  }
}
