import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import type { Page } from 'playwright-core'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createDeps, type Deps } from '../../src/deps.js'
import type { Clock } from '../../src/lib/clock.js'
import { startWorker } from '../../src/webhook-worker/worker.js'
import { isolatedDatabase } from '../harness.js'
import { listenOnLoopback, shouldWriteScreenshot } from './chromium.js'

export interface Installation {
  app: FastifyInstance
  deps: Deps
  /** http://127.0.0.1:<port> */
  origin: string
  close(): Promise<void>
}

/**
 * A whole Rapport installation with no organization yet, as after `npm start` on an empty data
 * dir: its own in-memory database (never the one test files share, which already holds
 * organizations), listening on loopback, with a delivery worker. Webhooks may target plain http on
 * loopback and retry after 1 s. `clock`: the installation's "now" (tests that must not depend on the wall clock).
 */
export async function emptyInstallation(opts: { clock?: Clock } = {}): Promise<Installation> {
  const database = await isolatedDatabase()
  const config = loadConfig({
    ...process.env,
    RAPPORT_MASTER_KEY: Buffer.alloc(32, 2).toString('base64'),
    RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1',
    RAPPORT_WEBHOOK_RETRY_SCHEDULE: '1,1',
    RAPPORT_WEBHOOK_TIMEOUT_MS: '1500',
  })
  const deps = await createDeps(config, { database, ...(opts.clock ? { clock: opts.clock } : {}) })
  const app = await buildApp(deps, { logger: false })
  const origin = await listenOnLoopback(app)
  const worker = await startWorker({
    db: deps.db,
    config,
    secretBox: deps.secretBox,
    log: app.log,
    listen: deps.listen,
    pollMs: 100,
  })
  return {
    app,
    deps,
    origin,
    async close() {
      await worker.stop(2000)
      await app.close()
      await deps.close()
      await database.close()
    },
  }
}

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/**
 * Saves docs/screenshots/dashboard-<name>.png when it is missing or RAPPORT_SCREENSHOTS=1 (so a
 * normal run leaves the committed pictures alone).
 */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  const path = `${SCREENSHOTS}dashboard-${name}.png`
  if (shouldWriteScreenshot(path)) await page.screenshot({ path, fullPage: opts.fullPage ?? true })
}

/** Collects the Content-Security-Policy violations a page reports, to assert there are none. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = []
  page.on('console', (msg) => {
    if (msg.text().includes('Content Security Policy')) violations.push(msg.text())
  })
  return violations
}
