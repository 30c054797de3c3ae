import type { FastifyInstance } from 'fastify'
import { FormsService } from '../leads/forms/forms.service.js'
import type { ModuleDeps as Deps } from '../module-deps.js'
import type { WebhooksCompatService } from '../webhooks/compat.service.js'
import { registerSarbacaneRoutes } from './sarbacane.routes.js'
import { SarbacaneFormsService } from './sarbacane.service.js'

/** The `/v1` routes in an email and form tool's shapes (webhooks by kinds, forms), over Rapport's own data. */
export async function registerSarbacane(app: FastifyInstance, deps: Deps, webhooks: WebhooksCompatService) {
  const forms = new FormsService(deps.db)
  await registerSarbacaneRoutes(app, webhooks, new SarbacaneFormsService(forms), forms)
}
