import type { Browser } from 'playwright-core'
import { startEmailWorker } from '../../src/modules/email/emails.worker.js'
import { campaignRunnerFor } from '../../src/modules/email/index.js'
import { type Workspace, workspace } from './workspace-a-host.js'

/**
 * A workspace whose installation sends through the SMTP server at `smtpUrl` (a loopback sink),
 * with an email worker that sends its messages and runs its campaigns. The caller stops the
 * worker and closes the workspace.
 */
export async function emailWorkspace(
  browser: Browser,
  smtpUrl: string,
): Promise<{ ws: Workspace; worker: Awaited<ReturnType<typeof startEmailWorker>> }> {
  const before = process.env.RAPPORT_SMTP_URL
  process.env.RAPPORT_SMTP_URL = smtpUrl
  let ws: Workspace
  try {
    ws = await workspace(browser)
  } finally {
    if (before === undefined) delete process.env.RAPPORT_SMTP_URL
    else process.env.RAPPORT_SMTP_URL = before
  }
  const { deps, app } = ws.site
  const worker = await startEmailWorker({
    db: deps.db,
    mailer: deps.mailer,
    log: app.log,
    listen: deps.listen,
    retryScheduleSec: [1],
    pollMs: 100,
    campaigns: campaignRunnerFor(deps, app.log),
    deliverability: deps.config.deliverability,
  })
  return { ws, worker }
}
