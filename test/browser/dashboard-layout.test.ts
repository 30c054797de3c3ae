import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, requireChromiumInCi } from './chromium.js'
import { emptyInstallation, type Installation } from './dashboard-host.js'

/*
 * The dashboard's layout on a phone (390 px) and a laptop (1280 px): no page wider than the screen,
 * none that scrolls on into blank space, an audit log that fits, and the webhook pages' wording and
 * states (event groups in words, a failing endpoint in red with its last error).
 */

const PAGES = [
  '/app',
  '/app/keys',
  '/app/webhooks',
  '/app/lead-capture',
  '/app/audit-log',
  '/app/usage',
  '/app/members',
]

describe.runIf(hasChromium)('dashboard layout', () => {
  let browser: Browser
  let site: Installation
  let context: BrowserContext
  let endpointId = ''

  beforeAll(async () => {
    browser = await launchChromium()
    site = await emptyInstallation()
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } })
    // Sign up through the API in the browser's context: the session cookie is the browser's.
    const setup = await context.request.post(`${site.origin}/api/v1/setup`, {
      data: {
        organization_name: 'Layout Co',
        name: 'Lee Out',
        email: 'lee@layout.example',
        password: 'correct horse battery staple',
      },
    })
    expect(setup.status()).toBe(201)
    const { csrf_token } = (await setup.json()) as { csrf_token: string }
    // An endpoint nobody answers (port 9 on loopback: connection refused), so its deliveries fail.
    const created = await context.request.post(`${site.origin}/api/v1/webhook_endpoints`, {
      headers: { 'x-csrf-token': csrf_token },
      data: { url: 'http://127.0.0.1:9/hooks', events: ['*'], description: 'A receiver that is down' },
    })
    expect(created.status()).toBe(201)
    endpointId = ((await created.json()) as { id: string }).id
    const test = await context.request.post(`${site.origin}/api/v1/webhook_endpoints/${endpointId}/test`, {
      headers: { 'x-csrf-token': csrf_token },
    })
    expect(test.status()).toBeLessThan(300)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  async function open(page: Page, path: string) {
    await page.goto(`${site.origin}${path}`)
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    // Not 'networkidle': a workspace screen keeps its live-update stream open.
    await page.waitForLoadState('load')
    await page
      .getByText(/^Loading /)
      .first()
      .waitFor({ state: 'detached' })
  }

  test('no page is wider than a 390 px screen', async () => {
    const page = await context.newPage()
    const tooWide: string[] = []
    for (const path of [...PAGES, `/app/webhooks/${endpointId}`]) {
      await open(page, path)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      if (width > 390) tooWide.push(`${path}: ${width} px`)
    }
    expect(tooWide).toEqual([])
  }, 180_000)

  test('an opened delivery attempt, with its request and response, fits a 390 px screen', async () => {
    const page = await context.newPage()
    await open(page, `/app/webhooks/${endpointId}`)
    const delivery = page.locator('.delivery').filter({ hasText: 'webhook.test' }).first()
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click()
          return (await delivery.count()) > 0 && (await delivery.textContent())
        },
        { timeout: 20_000 },
      )
      .toMatch(/attempt/)
    await delivery.getByRole('button', { expanded: false }).click()
    const attempt = delivery.locator('details.attempt').first()
    await attempt.locator('summary').click()
    await attempt.getByRole('heading', { name: 'Request headers' }).waitFor()
    expect(await attempt.locator('dl.headers').first().textContent()).toContain('webhook-signature')
    expect(await attempt.getByRole('heading', { name: 'Response' }).locator('xpath=..').textContent()).toContain(
      'No answer',
    )
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.close()
  }, 60_000)

  test('no page scrolls on into blank space, at 390 or 1280 px', async () => {
    const blank: string[] = []
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      const page = await context.newPage()
      await page.setViewportSize(viewport)
      for (const path of [...PAGES, `/app/webhooks/${endpointId}`]) {
        await open(page, path)
        const gap = await page.evaluate(() => {
          let bottom = 0
          for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect()
            const style = getComputedStyle(el)
            if (box.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue
            if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY' && !el.closest('summary')) continue
            bottom = Math.max(bottom, box.bottom + window.scrollY)
          }
          return document.documentElement.scrollHeight - Math.max(bottom, window.innerHeight)
        })
        if (gap > 48) blank.push(`${path} at ${viewport.width} px: ${Math.round(gap)} px of blank space`)
      }
      await page.close()
    }
    expect(blank).toEqual([])
  }, 240_000)

  test('the audit log fits a 1280 px screen: long paths and ids are cut, whole on hover', async () => {
    const page = await context.newPage()
    await page.setViewportSize({ width: 1280, height: 800 })
    await open(page, '/app/audit-log')
    await page.locator('table.audit tbody tr').first().waitFor()
    const fits = await page.evaluate(() => {
      const wrap = document.querySelector('table.audit')!.parentElement!
      return wrap.scrollWidth <= wrap.clientWidth
    })
    expect(fits).toBe(true)
    const cell = page.locator('table.audit tbody tr code.truncate').first()
    expect(await cell.getAttribute('title')).toMatch(/^(GET|POST|PATCH|PUT|DELETE) \/api\/v1\//)
    const durations = await page.locator('table.audit tbody td.num').allTextContents()
    for (const d of durations) expect(d).toMatch(/^(—|\d+ ms|\d\.\d ms|\d ms)$/)
  }, 120_000)

  test('webhook event groups are titled in words, and a failing endpoint is red with its last error', async () => {
    const page = await context.newPage()
    await page.setViewportSize({ width: 1280, height: 800 })
    await open(page, '/app/webhooks')
    const groups = await page.locator('.event-group h3').allTextContents()
    expect(groups).toContain('Form responses')
    expect(groups).toContain('Contacts')
    for (const g of groups) expect(g).not.toMatch(/_/)
    // The test event fails (connection refused) within the worker's first attempt.
    await expect
      .poll(
        async () => {
          await open(page, '/app/webhooks')
          return page.locator('.endpoint-failing').count()
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe(1)
    const failing = page.locator('.endpoint-failing')
    expect(await failing.getByText('Failing').isVisible()).toBe(true)
    expect((await failing.locator('.bad-text').textContent())?.trim()).not.toBe('')
    const favicon = await page.locator('link[rel=icon]').getAttribute('href')
    expect(favicon).toMatch(/^data:image\/svg\+xml,/)
  }, 120_000)
})

describe('dashboard layout (Chromium)', () => {
  requireChromiumInCi()
})
