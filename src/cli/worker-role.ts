import type { FastifyBaseLogger } from 'fastify'
import type { Deps } from '../deps.js'
import { startHousekeeping } from '../housekeeping/housekeeping.js'
import { checkUrlShape, publicOnlyLookup } from '../lib/address-policy.js'
import { startInboundListener } from '../modules/deliverability/inbound/listener.js'
import { verpSignerFor } from '../modules/deliverability/inbound/verp.js'
import { startEmailWorker } from '../modules/email/emails.worker.js'
import { campaignRunnerFor } from '../modules/email/index.js'
import { startImportWorker } from '../modules/imports/import-worker.js'
import { startWorker as startDeliveryWorker } from '../webhook-worker/worker.js'

export interface RunningWorker {
  stop(): Promise<void>
}

/**
 * The background role that `rapport worker` runs and `rapport start` runs beside the API: webhook
 * delivery, sending email, import jobs, and the inbound SMTP listener when configured. Unless RAPPORT_WEBHOOK_ALLOW_PRIVATE is on, every connection goes through the address
 * policy again at connect time (after DNS), so a URL that was public when saved cannot be rebound to
 * an internal address.
 */
export async function startWorker(deps: Deps, log: FastifyBaseLogger): Promise<RunningWorker> {
  const { allowPrivate } = deps.config.webhooks
  // First: a listener that cannot start (a port it may not bind) stops the role before anything runs.
  const inbound = await startInbound(deps, log)
  const worker = await startDeliveryWorker({
    db: deps.db,
    config: deps.config,
    secretBox: deps.secretBox,
    log,
    listen: deps.listen,
    clock: deps.clock,
    ...(allowPrivate
      ? {}
      : { lookup: publicOnlyLookup, checkTarget: (url: URL) => checkUrlShape(url.href, { allowPrivate }) }),
  })
  const emailWorker = await startEmailWorker({
    db: deps.db,
    mailer: deps.mailer,
    log,
    listen: deps.listen,
    retryScheduleSec: deps.config.email.retryScheduleSec,
    campaigns: campaignRunnerFor(deps, log),
    deliverability: deps.config.deliverability,
  })
  const importWorker = await startImportWorker({
    db: deps.db,
    clock: deps.clock,
    log,
    listen: deps.listen,
  })
  const housekeeping = startHousekeeping({ db: deps.db, config: deps.config, log, clock: deps.clock })
  return {
    stop: () =>
      Promise.all([worker.stop(), emailWorker.stop(), importWorker.stop(), housekeeping.stop(), inbound?.close()]).then(
        () => undefined,
      ),
  }
}

/**
 * The inbound SMTP listener for DSNs and feedback reports, when RAPPORT_SMTP_INBOUND is set. Several
 * worker processes on one machine share the setting: the first binds the port, the others log that
 * it is taken and run without it (reports reach whichever listens; they all write to one database).
 */
async function startInbound(deps: Deps, log: FastifyBaseLogger) {
  const settings = deps.config.deliverability.inbound
  const verp = verpSignerFor(deps.config)
  if (!settings || !verp) return undefined
  try {
    return await startInboundListener({
      db: deps.db,
      log,
      verp,
      host: settings.host,
      port: settings.port,
      maxBytes: settings.maxBytes,
      policy: deps.config.deliverability,
    })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    log.warn(
      { host: settings.host, port: settings.port },
      'RAPPORT_SMTP_INBOUND: the address is in use (another worker listens there?); this worker runs without the inbound listener',
    )
    return undefined
  }
}
