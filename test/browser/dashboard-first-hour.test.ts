import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createDeps } from '../../src/deps.js'
import { startWorker, type Worker } from '../../src/webhook-worker/worker.js'
import { isolatedDatabase } from '../harness.js'
import { startReceiver } from '../receiver.js'
import { hasChromium, launchChromium, listenOnLoopback, requireChromiumInCi } from './chromium.js'

/*
 * Two moments of a developer's first hour with webhooks in the dashboard: a refused local URL
 * explains what to do instead, and the delivery log follows a pending delivery to its end without
 * being asked to. Each on an installation of its own, started without a delivery worker so that a
 * delivery stays pending until the test starts one.
 */

async function installation(env: Record<string, string>) {
  const database = await isolatedDatabase()
  const config = loadConfig({ ...process.env, RAPPORT_MASTER_KEY: Buffer.alloc(32, 3).toString('base64'), ...env })
  const deps = await createDeps(config, { database })
  const app = await buildApp(deps, { logger: false })
  const origin = await listenOnLoopback(app)
  let worker: Worker | undefined
  return {
    origin,
    startWorker: async () => {
      worker = await startWorker({
        db: deps.db,
        config,
        secretBox: deps.secretBox,
        log: app.log,
        listen: deps.listen,
        pollMs: 100,
      })
    },
    async close() {
      await worker?.stop(0)
      await app.close()
      await deps.close()
      await database.close()
    },
  }
}

type Installation = Awaited<ReturnType<typeof installation>>

/** Signs up the installation's first owner in `context` (its cookie), answering the CSRF token. */
async function signUp(context: BrowserContext, origin: string): Promise<string> {
  const setup = await context.request.post(`${origin}/api/v1/setup`, {
    data: {
      organization_name: 'First Hour Co',
      name: 'Dee Veloper',
      email: 'dee@first-hour.example',
      password: 'correct horse battery staple',
    },
  })
  expect(setup.status()).toBe(201)
  return ((await setup.json()) as { csrf_token: string }).csrf_token
}

describe.runIf(hasChromium)('the dashboard in the first hour with webhooks', () => {
  let browser: Browser
  const sites: Installation[] = []
  beforeAll(async () => {
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    for (const site of sites) await site.close()
  })

  test('a refused http://localhost URL explains rapport listen and RAPPORT_WEBHOOK_ALLOW_PRIVATE', async () => {
    const site = await installation({})
    sites.push(site)
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    await signUp(context, site.origin)
    const page = await context.newPage()
    await page.goto(`${site.origin}/app/webhooks`)
    await page.getByLabel('Endpoint URL').fill('http://localhost:4000/hooks')
    await page.getByRole('checkbox', { name: 'contact.created' }).check()
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    const hint = page.getByRole('note').filter({ hasText: 'RAPPORT_WEBHOOK_ALLOW_PRIVATE' })
    await hint.waitFor()
    const text = (await hint.textContent()) ?? ''
    expect(text).toContain('rapport listen --forward-to http://localhost:4000/hooks')
    expect(text).toContain('RAPPORT_WEBHOOK_ALLOW_PRIVATE=1')
    await context.close()
  }, 120_000)

  test('the delivery log follows a pending delivery to its end without Refresh being pressed', async () => {
    const site = await installation({ RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' })
    sites.push(site)
    const receiver = await startReceiver()
    try {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
      const csrf = await signUp(context, site.origin)
      const created = await context.request.post(`${site.origin}/api/v1/webhook_endpoints`, {
        headers: { 'x-csrf-token': csrf },
        data: { url: receiver.url, events: ['contact.created'], description: 'Local receiver' },
      })
      expect(created.status()).toBe(201)
      const endpointId = ((await created.json()) as { id: string }).id
      const contact = await context.request.post(`${site.origin}/api/v1/contacts`, {
        headers: { 'x-csrf-token': csrf },
        data: { name: 'Pending Pat', email: 'pat@first-hour.example' },
      })
      expect(contact.status()).toBe(201)

      const page = await context.newPage()
      await page.goto(`${site.origin}/app/webhooks/${endpointId}`)
      const delivery = page.locator('.delivery').filter({ hasText: 'contact.created' }).first()
      await delivery.waitFor()
      // No worker yet: the delivery waits, and the log says it keeps itself up to date.
      expect(await delivery.textContent()).toContain('pending')
      await page.getByText(/updating every \d+ s while deliveries are pending/).waitFor()

      await site.startWorker()
      await receiver.waitFor(1, 30_000)
      await page
        .locator('.delivery')
        .filter({ hasText: 'contact.created' })
        .filter({ hasText: 'succeeded' })
        .waitFor({ timeout: 30_000 })
      await context.close()
    } finally {
      await receiver.close()
    }
  }, 120_000)
})

describe('the dashboard in the first hour with webhooks (Chromium)', () => {
  requireChromiumInCi()
})
