import type { FastifyPluginAsync } from 'fastify'
import { loadMasterKey } from '../../lib/secret-box.js'
import { AccountEmails } from '../email/account-emails.js'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { callbacksRoutes } from './callbacks/callbacks.routes.js'
import { CallbacksService } from './callbacks/callbacks.service.js'
import { domainsRoutes } from './domains/domains.routes.js'
import { DomainsService } from './domains/domains.service.js'
import { formResponsesRoutes } from './form-responses/form-responses.routes.js'
import { FormResponsesService } from './form-responses/form-responses.service.js'
import { formsRoutes } from './forms/forms.routes.js'
import { FormsService } from './forms/forms.service.js'
import { notificationsRoutes } from './notifications/notifications.routes.js'
import { NotificationsService } from './notifications/notifications.service.js'
import { FormTokens, formTokenKey } from './public/form-token.js'
import { publicFormsRoutes } from './public/public-forms.routes.js'
import { PublicFormsService } from './public/public-forms.service.js'
import { teamsRoutes } from './teams/teams.routes.js'
import { TeamsService } from './teams/teams.service.js'
import { leadWebhookRoutes } from './webhook/lead-webhook.routes.js'
import { LeadWebhookService } from './webhook/lead-webhook.service.js'
import { formWidgetRoutes } from './widget/form-widget.routes.js'

/**
 * The routes of lead capture: teams, domains, forms, form responses, public forms, the lead webhook,
 * notifications, callbacks, and the contact-form widget (/widget/form.js).
 */
export function leadsModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    await app.register(teamsRoutes(new TeamsService(deps.db)))
    await app.register(domainsRoutes(new DomainsService(deps.db)))
    await app.register(formsRoutes(new FormsService(deps.db)))
    const leadEmails = new AccountEmails(deps.publicUrl, deps.config.email.from)
    const formResponses = new FormResponsesService(deps.db, leadEmails)
    await app.register(formResponsesRoutes(formResponses))
    const tokens = new FormTokens(() => formTokenKey(loadMasterKey(deps.config.masterKey, deps.config.dataDir)))
    await app.register(
      publicFormsRoutes(new PublicFormsService(deps.db, formResponses, tokens, deps.clock, deps.config.formMinFillMs)),
    )
    await app.register(leadWebhookRoutes(new LeadWebhookService(deps.db, leadEmails)))
    await app.register(notificationsRoutes(new NotificationsService(deps.db)))
    await app.register(callbacksRoutes(new CallbacksService(deps.db)))
    await app.register(formWidgetRoutes())
  }
}
