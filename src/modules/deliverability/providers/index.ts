import type { FastifyPluginAsync } from 'fastify'
import type { ModuleDeps } from '../../module-deps.js'
import { httpsFetch } from './fetch.js'
import { providerHooksRoutes } from './provider-hooks.routes.js'
import { ProviderHooksService } from './provider-hooks.service.js'
import { receiveRoutes } from './receive.routes.js'
import { ProviderReceiver } from './receive.service.js'

/** Provider webhooks: the hooks' API (/api/v1/email/provider_hooks) and the URLs relays post to (/hooks/email/…). */
export function providerHooksModule(deps: ModuleDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(providerHooksRoutes(new ProviderHooksService(deps.db, deps.secretBox, deps.publicUrl)))
    const receiver = new ProviderReceiver({
      db: deps.db,
      secretBox: deps.secretBox,
      clock: deps.clock,
      fetcher: () => deps.providerFetch ?? httpsFetch,
      policy: deps.config.deliverability,
    })
    await app.register(receiveRoutes(receiver))
  }
}
