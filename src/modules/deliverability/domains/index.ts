import type { FastifyPluginAsync } from 'fastify'
import { systemDnsResolver } from '../../../lib/dns-resolver.js'
import type { ModuleDeps } from '../../module-deps.js'
import { sendingDomainsRoutes } from './sending-domains.routes.js'
import { type DomainRecordSettings, SendingDomainsService } from './sending-domains.service.js'

/** The service as the app and the signing-key lookup build it from the wiring. */
export function sendingDomainsService(
  deps: Pick<ModuleDeps, 'config' | 'db' | 'clock' | 'secretBox' | 'dnsResolver'>,
): SendingDomainsService {
  const settings: DomainRecordSettings = {
    spfMechanisms: deps.config.sendingDomains.spfInclude,
    dmarcRua: deps.config.sendingDomains.dmarcRua,
  }
  return new SendingDomainsService({
    db: deps.db,
    clock: deps.clock,
    secretBox: deps.secretBox,
    resolver: deps.dnsResolver ?? systemDnsResolver(),
    settings,
  })
}

/** The routes of sending domains: their DKIM keys and the DNS records to publish. */
export function sendingDomainsModule(deps: ModuleDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(sendingDomainsRoutes(sendingDomainsService(deps)))
  }
}
