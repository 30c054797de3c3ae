import type { Browser, BrowserContext, Page } from 'playwright-core'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startReceiver } from '../receiver.js'
import { hasChromium, launchChromium, requireChromiumInCi } from './chromium.js'
import { emptyInstallation, type Installation, screenshot, watchCsp } from './dashboard-host.js'

/*
 * The dashboard in real headless Chromium, on a fresh installation: first-run setup, sign-in, a
 * key used against the API, a webhook endpoint on a loopback receiver with its delivery log, the
 * audit log, usage, and a member invited through the dashboard. The steps run in order and share
 * the installation, as one person's first session would.
 */

requireChromiumInCi()

const OWNER = {
  org: 'Acme Robotics',
  name: 'Olivia Owner',
  email: 'olivia@acme.example',
  password: 'correct horse battery',
}
/** Waits that depend on the delivery worker or the audit recorder (both about a second). */
const POLL = { timeout: 15_000, interval: 250 }
const MEMBER = { name: 'Max Member', email: 'max@acme.example', password: 'another long password' }

describe.runIf(hasChromium)('the dashboard in Chromium', () => {
  let browser: Browser
  let site: Installation
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let context: BrowserContext
  let page: Page
  let violations: string[]
  /** Filled in by the steps, in order. */
  let secretKey = ''
  let contactId = ''

  beforeAll(async () => {
    browser = await launchChromium()
    site = await emptyInstallation()
    receiver = await startReceiver()
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    violations = watchCsp(page)
  })
  afterAll(async () => {
    await browser?.close()
    await receiver?.close()
    await site?.close()
  })

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name })
  const nav = (name: string) => page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name })
  const callApi = (method: string, path: string, body?: unknown) =>
    fetch(`${site.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })

  test('first run offers to create the organization and its owner, who is then signed in', async () => {
    await page.goto(`${site.origin}/app`)
    await heading('Create your organization and owner account').waitFor()
    await page.getByLabel('Organization name').fill(OWNER.org)
    await page.getByLabel('Your name').fill(OWNER.name)
    await page.getByLabel('Email').fill(OWNER.email)
    await page.getByLabel('Password').fill(OWNER.password)
    await screenshot(page, 'setup')
    await page.getByRole('button', { name: 'Create organization' }).click()
    // Everyone lands on the workspace's Home; the developer quick start is under Developers.
    await heading('Home').waitFor()
    await nav('Quick start').click()
    await heading('Quick start').waitFor()
    expect(await page.getByText(OWNER.org).first().isVisible()).toBe(true)
    // The examples are filled with this installation's address.
    expect(await page.locator('#examples').textContent()).toContain(`${site.origin}/api/v1/contacts`)
    await screenshot(page, 'quickstart')
    const setup = await (await fetch(`${site.origin}/api/v1/setup`)).json()
    expect(setup).toMatchObject({ setup_required: false })
    // Setup is offered only once: a new visitor gets the sign-in page.
    const stranger = await browser.newPage()
    await stranger.goto(`${site.origin}/app`)
    await stranger.getByRole('heading', { name: 'Sign in' }).waitFor()
    await stranger.close()
  })

  test('signs out, refuses a wrong password, and signs back in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await heading('Sign in').waitFor()
    expect((await context.cookies()).find((c) => c.name === 'rapport_session')).toBeUndefined()
    await page.getByLabel('Email').fill(OWNER.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The email or the password is not right.')
    await screenshot(page, 'login')
    await page.getByLabel('Password').fill(OWNER.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await heading('Home').waitFor()
    const cookie = (await context.cookies()).find((c) => c.name === 'rapport_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
  })

  test('creates a secret key that is shown once, and the key works against the API', async () => {
    await nav('API keys').click()
    await heading('API keys').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('Order service')
    await page.getByRole('button', { name: 'Create key' }).click()
    await page.getByRole('heading', { name: 'Copy your new key now' }).waitFor()
    secretKey = await page.getByLabel('New API key').inputValue()
    expect(secretKey).toMatch(/^rk_live_/)
    const row = page.getByRole('row', { name: /Order service/ })
    expect(await row.textContent()).toContain(secretKey.slice(0, 12))
    expect(await row.textContent()).not.toContain(secretKey)
    await screenshot(page, 'api-keys')

    const created = await callApi('POST', '/api/v1/contacts', { email: 'first@customer.example', name: 'First' })
    expect(created.status).toBe(201)
    await page.getByRole('button', { name: 'I have stored it safely' }).click()
    await page.getByLabel('New API key').waitFor({ state: 'detached' })
  })

  test('adds an endpoint for a loopback receiver; a contact created with the key is delivered and logged', async () => {
    await nav('Webhooks').click()
    await heading('Webhooks').waitFor()
    await page.getByLabel('Endpoint URL').fill(receiver.url)
    await page.getByLabel('Description (optional)').fill('Order service sync')
    await page.getByLabel('Filter events').fill('contact.')
    await page.getByRole('checkbox', { name: 'contact.created' }).check()
    await page.getByText('Example payload of contact.created').click()
    expect(await page.locator('.event pre').first().textContent()).toContain('"event": "contact.created"')
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    await heading('Order service sync').waitFor()

    const res = await callApi('POST', '/api/v1/contacts', { email: 'jane@customer.example', name: 'Jane' })
    expect(res.status).toBe(201)
    contactId = ((await res.json()) as { id: string }).id
    await receiver.waitFor(1)

    await page.getByRole('button', { name: 'Reveal secret' }).click()
    const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue()
    const [got] = receiver.received
    const payload = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>)
    expect(payload).toMatchObject({ event: 'contact.created', data: { id: contactId } })

    const delivery = page.locator('.delivery').filter({ hasText: 'contact.created' }).first()
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click()
        return (await delivery.count()) > 0 && (await delivery.textContent())
      }, POLL)
      .toContain('succeeded')
    await delivery.getByRole('button', { expanded: false }).click()
    // The attempt opens to the request sent and the response: what the receiver got, byte for byte.
    const attempt = delivery.locator('details.attempt').first()
    await attempt.waitFor()
    expect(await attempt.locator('summary').textContent()).toContain('HTTP 200')
    await attempt.locator('summary').click()
    const requestHeaders = attempt
      .getByRole('heading', { name: 'Request headers' })
      .locator('xpath=following-sibling::dl[1]')
    for (const name of ['webhook-id', 'webhook-signature', 'x-webhook-signature']) {
      const row = requestHeaders
        .locator('div')
        .filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) })
      expect(await row.locator('dd').textContent(), name).toBe(got!.headers[name])
    }
    expect(await attempt.locator('pre.exchange-body').first().textContent()).toBe(got!.body)
    expect(await attempt.getByRole('heading', { name: 'Response' }).locator('xpath=..').textContent()).toContain(
      'Status 200',
    )
    await page.getByRole('button', { name: 'Hide' }).click()
    await screenshot(page, 'webhook-endpoint')

    await nav('Webhooks').click()
    const listed = page.getByRole('row', { name: /Order service sync/ })
    await listed.waitFor()
    await expect.poll(() => listed.textContent(), POLL).toContain('100%')
    await screenshot(page, 'webhooks')
  })

  test('retries a delivery from the log, which sends it once more', async () => {
    await page.getByRole('link', { name: receiver.url }).click()
    await heading('Order service sync').waitFor()
    const before = receiver.received.length
    const delivery = page.locator('.delivery').filter({ hasText: 'contact.created' }).first()
    await delivery.getByRole('button', { expanded: false }).click()
    await delivery.getByRole('button', { name: 'Retry now' }).click()
    await receiver.waitFor(before + 1)
    expect(JSON.parse(receiver.received[before]!.body)).toMatchObject({ data: { id: contactId } })
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click()
        return delivery.textContent()
      }, POLL)
      .toContain('2 attempts')
  })

  test('the audit log shows the key’s API calls and the delivery attempts, with filters', async () => {
    await nav('Audit log').click()
    await heading('Audit log').waitFor()
    await page.getByLabel('Path starts with').fill('/api/v1/contacts')
    const calls = page.locator('table.audit tbody tr')
    // Calls are recorded off the request path, within about a second: apply again until they show.
    const applied = async () => {
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/audit_log?')),
        page.getByRole('button', { name: 'Apply filters' }).click(),
      ])
      return calls.count()
    }
    await expect.poll(applied, POLL).toBeGreaterThanOrEqual(2)
    const texts = await calls.allTextContents()
    // The owner's own session read contacts too (Home lists recent leads); the key only created them.
    expect(texts.filter((t) => t.includes('Order service')).every((t) => t.includes('POST /api/v1/contacts'))).toBe(
      true,
    )
    expect(texts.some((t) => t.includes('Order service') && t.includes('201'))).toBe(true)

    await page.getByLabel('Path starts with').fill('')
    await page.getByLabel('Kind').selectOption('webhook_attempt')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await expect
      .poll(() => page.locator('table.audit tbody tr[data-kind="webhook_attempt"]').count(), POLL)
      .toBeGreaterThanOrEqual(2)
    await expect.poll(() => page.locator('table.audit tbody tr[data-kind="api_call"]').count()).toBe(0)
    expect(await page.locator('table.audit tbody').textContent()).toContain('contact.created')
    await page.getByRole('button', { name: 'Clear' }).click()
    await expect.poll(() => page.locator('table.audit tbody tr[data-kind="api_call"]').count(), POLL).toBeGreaterThan(0)
    await screenshot(page, 'audit-log')
  })

  test('usage charts the calls per day', async () => {
    await nav('Usage').click()
    await heading('Usage').waitFor()
    const chart = page.getByRole('img', { name: /API calls and \d+ rate-limited calls over 30 days/ })
    await chart.waitFor()
    const label = String(await chart.getAttribute('aria-label'))
    expect(Number(label.split(' ')[0])).toBeGreaterThanOrEqual(2)
    await expect.poll(() => page.locator('svg rect.bar').count()).toBeGreaterThan(0)
    await screenshot(page, 'usage')
  })

  test('lead capture gives the embed code of each form and the publishable keys with their origins', async () => {
    const form = await callApi('POST', '/api/v1/forms', {
      name: 'Contact us',
      fields: [
        { key: 'email', label: 'Email', type: 'email', required: true },
        { key: 'message', label: 'Message', type: 'textarea' },
      ],
    })
    expect(form.status).toBe(201)
    const formId = ((await form.json()) as { id: string }).id
    await nav('API keys').click()
    await page.getByLabel('Name', { exact: true }).fill('Website')
    await page.getByLabel('Publishable key (websites)').check()
    await page.getByLabel('Allowed origins').fill('https://www.acme.example')
    await page.getByRole('button', { name: 'Create key' }).click()
    const publishableKey = await page.getByLabel('New API key').inputValue()
    expect(publishableKey).toMatch(/^pk_live_\w+$/)

    await nav('Lead capture').click()
    await heading('Lead capture').waitFor()
    const snippet = page.getByRole('figure').filter({ hasText: 'Embed code for Contact us' })
    await expect
      .poll(() => snippet.locator('code').textContent(), POLL)
      .toMatch(
        new RegExp(
          // The whole key: a publishable key is public, and the snippet must work as pasted.
          `^<script src="${site.origin}/widget/form\\.js" data-key="${publishableKey}" data-form="${formId}" data-theme="auto"></script>$`,
        ),
      )
    await page.getByRole('button', { name: 'Edit origins of Website' }).click()
    await page.getByLabel('Allowed origins of Website').fill('https://www.acme.example\nhttps://shop.acme.example')
    await page.getByRole('button', { name: 'Save origins' }).click()
    await page.getByText('https://shop.acme.example').waitFor()
    // Listing keys takes the admin scope, which the page's session has and the service key has not.
    const keys = (await page.evaluate(async () => (await fetch('/api/v1/api_keys')).json())) as {
      data: { name: string; allowed_origins: string[] }[]
    }
    expect(keys.data.find((k) => k.name === 'Website')?.allowed_origins).toEqual([
      'https://www.acme.example',
      'https://shop.acme.example',
    ])
    await screenshot(page, 'lead-capture')
  })

  test('an invited member joins through the link and is told to ask an admin for API keys', async () => {
    await nav('Team').click()
    await heading('Team').waitFor()
    await page.getByLabel('Email').fill(MEMBER.email)
    await page.getByLabel('Role').selectOption('member')
    await page.getByRole('button', { name: 'Create invite link' }).click()
    const link = await page.getByLabel('Invite link').inputValue()
    expect(link).toMatch(new RegExp(`^${site.origin}/app/invite#token=`))
    await page.getByRole('row', { name: new RegExp(MEMBER.email) }).waitFor()
    await screenshot(page, 'members')

    const memberContext = await browser.newContext({ locale: 'en-US' })
    const member = await memberContext.newPage()
    const memberViolations = watchCsp(member)
    try {
      await member.goto(link)
      await member.getByRole('heading', { name: `Join ${OWNER.org}` }).waitFor()
      expect(await member.getByLabel('Email').inputValue()).toBe(MEMBER.email)
      await member.getByLabel('Your name').fill(MEMBER.name)
      await member.getByLabel('Password').fill(MEMBER.password)
      await member.getByRole('button', { name: `Join ${OWNER.org}` }).click()
      await member.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
      const links = await member.getByRole('navigation', { name: 'Dashboard' }).getByRole('link').allTextContents()
      expect(links).toContain('Quick start')
      expect(links).not.toContain('API keys')

      await member.goto(`${site.origin}/app/keys`)
      await member.getByRole('heading', { name: 'Ask an admin' }).waitFor()
      expect(await member.getByText('Only owners and admins can see API keys.').isVisible()).toBe(true)
      await screenshot(member, 'member-ask-admin')
      // The API agrees: the member's session cannot list keys.
      const refused = await member.evaluate(async () => (await fetch('/api/v1/api_keys')).status)
      expect(refused).toBe(403)
      // The invite link works once.
      const again = await memberContext.newPage()
      await again.goto(link)
      await again.getByRole('heading', { name: 'This invite link does not work' }).waitFor()
      expect(memberViolations).toEqual([])
    } finally {
      await memberContext.close()
    }
  })

  test('in test mode requests carry Rapport-Mode: test and see test data only', async () => {
    await nav('API keys').click()
    await heading('API keys').waitFor()
    // The live list has loaded (its row is drawn): the next list request is the switch's.
    await page.getByRole('row', { name: /Order service/ }).waitFor()
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/api_keys?limit=100'))
    await page.getByRole('switch', { name: 'Test mode' }).check()
    expect((await sent).headers()['rapport-mode']).toBe('test')
    await page.getByText('Test mode: you are seeing and changing test data.').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('Test server')
    await page.getByRole('button', { name: 'Create key' }).click()
    expect(await page.getByLabel('New API key').inputValue()).toMatch(/^rk_test_/)
    await page.getByRole('switch', { name: 'Test mode' }).uncheck()
    await page.getByRole('row', { name: /Order service/ }).waitFor()
  })

  test('fits a phone screen, is keyboard usable, and renders in dark mode', async () => {
    const phone = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
    })
    await phone.addCookies((await context.cookies()).filter((c) => c.name === 'rapport_session'))
    const small = await phone.newPage()
    const phoneViolations = watchCsp(small)
    try {
      await small.goto(`${site.origin}/app/webhooks`)
      await small.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor()
      expect(await small.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
      expect(await small.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(17, 19, 24)')
      await screenshot(small, 'webhooks-dark-phone', { fullPage: false })
      await small.keyboard.press('Tab')
      expect(await small.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
      expect(phoneViolations).toEqual([])
    } finally {
      await phone.close()
    }
    // Keyboard only: the nav links are reachable with Tab and show a focus ring.
    await page.goto(`${site.origin}/app`)
    await heading('Home').waitFor()
    let label = ''
    for (let i = 0; i < 30 && label !== 'Webhooks'; i++) {
      await page.keyboard.press('Tab')
      label = await page.evaluate(() => document.activeElement?.textContent ?? '')
    }
    expect(label).toBe('Webhooks')
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid')
    await page.keyboard.press('Enter')
    await heading('Webhooks').waitFor()
    // Preact runs effects after the frame is painted: the focus moves just after the heading shows.
    await page.waitForFunction(() => document.activeElement?.id === 'page-title')
  })

  test('no page broke the Content-Security-Policy', () => {
    expect(violations).toEqual([])
  })
})
