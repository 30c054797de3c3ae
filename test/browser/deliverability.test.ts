import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { DatabaseHandle } from '../../src/db/database.js'
import { createDeps, type Deps } from '../../src/deps.js'
import { isolatedDatabase } from '../harness.js'
import { dnsZone } from '../modules/dns-zone.js'
import {
  hasChromium,
  launchChromium,
  listenOnLoopback,
  requireChromiumInCi,
  shouldWriteScreenshot,
} from './chromium.js'
import { watchCsp } from './dashboard-host.js'
import { pageOverflowPx, seriousAxeViolations } from './workspace-b-axe.js'

/*
 * The Deliverability page in headless Chromium, as the owner: the sending domain of a sender with
 * its DKIM, SPF and DMARC records (copied with their buttons), published into an in-process DNS
 * zone and checked from the page; suppressions filtered by reason, one lifted after confirmation
 * and one added by hand; domains paged 20 at a time. axe-core and no sideways scroll at 1280 px
 * (light) and 390 px (dark).
 */

requireChromiumInCi()

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
const RELAY = 'include:_spf.relay.example'

async function shot(page: Page, name: string): Promise<void> {
  const path = `${SCREENSHOTS}deliverability-${name}-${page.viewportSize()?.width ?? 0}.png`
  if (shouldWriteScreenshot(path)) await page.screenshot({ path, fullPage: true })
}

describe.runIf(hasChromium)('the deliverability page', () => {
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let database: DatabaseHandle
  let deps: Deps
  let app: FastifyInstance
  let origin: string
  let csp: string[]
  let csrf: string
  const zone = dnsZone()

  /** The API in the owner's session, as the dashboard calls it. */
  const ownerApi = <T = unknown>(method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ({ method, path, body, csrf }) => {
        const res = await fetch(path, {
          method,
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
        if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
        return res.json()
      },
      { method, path, body, csrf },
    ) as Promise<T>

  beforeAll(async () => {
    database = await isolatedDatabase()
    const config = loadConfig({
      ...process.env,
      RAPPORT_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
      RAPPORT_SPF_INCLUDE: RELAY,
    })
    deps = await createDeps(config, { database, dnsResolver: zone.resolve })
    app = await buildApp(deps, { logger: false })
    origin = await listenOnLoopback(app)
    browser = await launchChromium()
    context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
    })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin })
    page = await context.newPage()
    csp = watchCsp(page)
    await page.goto(`${origin}/app/login`)
    const session = await page.evaluate(async () => {
      const res = await fetch('/api/v1/setup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          organization_name: 'Northwind Sales',
          name: 'Olivia Owner',
          email: 'olivia@northwind.example',
          password: 'correct horse battery staple',
        }),
      })
      return res.json()
    })
    csrf = session.csrf_token
    await ownerApi('POST', '/api/v1/senders', { email: 'news@northwind.example', name: 'Northwind News' })
    for (const email of ['left@reader.example', 'asked@reader.example']) {
      await ownerApi('POST', '/api/v1/suppressions', { email, note: 'Asked by phone not to be emailed' })
    }
    // A hard bounce's suppression, as the send path records it.
    const orgId = (await database.db.selectFrom('organizations').select('id').executeTakeFirstOrThrow()).id
    await database.db
      .insertInto('email_suppressions')
      .values({
        id: 'sup_01jd3k8m2x7q9v4b6n5t0w1y2z',
        org_id: orgId,
        livemode: true,
        address: 'gone@reader.example',
        reason: 'hard_bounce',
        evidence: JSON.stringify({ smtp_description: '550 5.1.1 <gone@reader.example>: no such user' }),
      })
      .execute()
  }, 120_000)
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await app?.close()
    await deps?.close()
    await database?.close()
  })

  const heading = (name: string) => page.getByRole('heading', { level: 1, name })
  const domainCard = () => page.locator('article[data-domain="northwind.example"]')
  const recordOf = (purpose: string) => domainCard().locator(`div[data-purpose="${purpose}"]`)

  test('the records to publish are shown and copied; published and checked from the page, they turn verified', async () => {
    await page.goto(`${origin}/app/email`)
    await page.getByRole('link', { name: 'Deliverability' }).click()
    await heading('Deliverability').waitFor()
    await domainCard().waitFor()
    expect(await domainCard().getByRole('heading', { level: 3 }).innerText()).toBe('northwind.example')
    expect(await domainCard().locator('.domain-head .badge').innerText()).toBe('unchecked')

    const domain = await ownerApi<{ records: { purpose: string; name: string; value: string }[] }>(
      'GET',
      '/api/v1/sending_domains/northwind.example',
    )
    const dkim = domain.records.find((r) => r.purpose === 'dkim')!
    await recordOf('dkim').getByRole('button', { name: 'Copy DKIM value' }).click()
    await recordOf('dkim').getByRole('button', { name: 'Copied' }).waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(dkim.value)
    await recordOf('dkim').getByRole('button', { name: 'Copy DKIM name' }).click()
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(dkim.name)
    expect(await recordOf('spf').innerText()).toContain(`v=spf1 ${RELAY} ~all`)
    expect(await recordOf('dmarc').innerText()).toContain('_dmarc.northwind.example')
    await shot(page, 'unchecked')
    expect(await seriousAxeViolations(page)).toEqual([])

    // Only DKIM published: the check shows SPF and DMARC missing.
    zone.txt(dkim.name, dkim.value)
    await domainCard().getByRole('button', { name: 'Check DNS' }).click()
    await expect.poll(() => recordOf('dkim').locator('.badge').innerText()).toBe('verified')
    expect(await recordOf('spf').locator('.badge').innerText()).toBe('missing')
    expect(await recordOf('dmarc').locator('.badge').innerText()).toBe('missing')
    expect(await domainCard().locator('.domain-head .badge').innerText()).toBe('action required')

    zone.txt('_spf.relay.example', 'v=spf1 ip4:203.0.113.0/24 -all')
    zone.txt('northwind.example', `v=spf1 ${RELAY} ~all`)
    zone.txt('_dmarc.northwind.example', 'v=DMARC1; p=none; rua=mailto:dmarc-reports@northwind.example')
    await domainCard().getByRole('button', { name: 'Check DNS' }).click()
    await expect.poll(() => domainCard().locator('.domain-head .badge').innerText()).toBe('verified')
    expect(await domainCard().locator('.dns-record .badge').allInnerTexts()).toEqual([
      'verified',
      'verified',
      'verified',
    ])
    await shot(page, 'verified')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  test('a DKIM rotation is confirmed in a dialog and shows the new key’s record beside the current one', async () => {
    await page.goto(`${origin}/app/email/deliverability`)
    await domainCard().waitFor()
    await domainCard().getByRole('button', { name: 'Rotate DKIM key' }).click()
    const dialog = page.getByRole('dialog', { name: 'Rotate the DKIM key of northwind.example?' })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Make a new key' }).click()
    await recordOf('dkim').nth(1).waitFor()
    expect(await recordOf('dkim').nth(1).innerText()).toContain('DKIM (new key)')
    expect(await recordOf('dkim').nth(1).locator('.badge').innerText()).toBe('unchecked')
  })

  test('suppressions are filtered by reason, one is lifted after confirmation and one is added by hand', async () => {
    await page.goto(`${origin}/app/email/deliverability`)
    const rows = page.locator('table.suppressions tbody tr')
    await expect.poll(() => rows.count()).toBe(3)
    await page.getByLabel('Reason').selectOption({ label: 'Hard bounce' })
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().innerText()).toContain('550 5.1.1')
    await page.getByLabel('Reason').selectOption({ label: 'Added by hand' })
    await expect.poll(() => rows.count()).toBe(2)

    await page.getByRole('button', { name: 'Lift the suppression of left@reader.example' }).click()
    const dialog = page.getByRole('dialog', { name: 'Lift the suppression of left@reader.example?' })
    await dialog.getByRole('button', { name: 'Lift suppression' }).click()
    await expect.poll(() => rows.count()).toBe(1)
    const lifted = await ownerApi<{ data: { email: string }[] }>('GET', '/api/v1/suppressions?limit=100')
    expect(lifted.data.map((s) => s.email).sort()).toEqual(['asked@reader.example', 'gone@reader.example'])

    await page.getByLabel('Address to suppress').fill('new@reader.example')
    await page.getByLabel('Note').fill('Asked in a reply')
    await page.getByRole('button', { name: 'Suppress address' }).click()
    await page.locator('tr[data-suppression="new@reader.example"]').waitFor()
    expect(await page.locator('tr[data-suppression="new@reader.example"]').innerText()).toContain('Asked in a reply')
    await shot(page, 'suppressions')
    expect(await seriousAxeViolations(page)).toEqual([])
    expect(csp).toEqual([])
  })

  test('at 390 px in the dark the page fits the phone and stays axe clean', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.emulateMedia({ colorScheme: 'dark' })
    try {
      await page.goto(`${origin}/app/email/deliverability`)
      await heading('Deliverability').waitFor()
      await domainCard().waitFor()
      await page.waitForLoadState('networkidle')
      expect(await pageOverflowPx(page)).toBe(0)
      await shot(page, 'dark')
      expect(await seriousAxeViolations(page)).toEqual([])
    } finally {
      await page.emulateMedia({ colorScheme: 'light' })
      await page.setViewportSize({ width: 1280, height: 800 })
    }
    expect(csp).toEqual([])
  })

  test('sending domains come 20 to a page; More domains shows the next', async () => {
    for (let i = 1; i <= 20; i++) {
      await ownerApi('POST', '/api/v1/senders', { email: `news@brand${String(i).padStart(2, '0')}.example` })
    }
    await page.goto(`${origin}/app/email/deliverability`)
    const cards = page.locator('article.domain-card')
    await expect.poll(() => cards.count(), { timeout: 60_000 }).toBe(20)
    await page.getByRole('button', { name: 'More domains' }).click()
    await expect.poll(() => cards.count()).toBe(21)
    expect(await cards.last().getAttribute('data-domain')).toBe('northwind.example')
    await expect.poll(() => page.getByRole('button', { name: 'More domains' }).count()).toBe(0)
  }, 120_000)
})
