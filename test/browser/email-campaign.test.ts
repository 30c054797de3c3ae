import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { startEmailWorker } from '../../src/modules/email/emails.worker.js'
import { startSmtpSink } from '../modules/email-sink.js'
import { hasChromium, launchChromium, requireChromiumInCi, shouldWriteScreenshot } from './chromium.js'
import { emailWorkspace } from './email-host.js'
import type { Workspace } from './workspace-a-host.js'
import { pageOverflowPx, seriousAxeViolations } from './workspace-b-axe.js'

/*
 * The Email area in headless Chromium, as the owner, with Rapport sending through a real SMTP
 * server on loopback: a sender and a list made in the dashboard, a campaign composed, test-sent and
 * sent from it, watched until it completes; then a recipient opens the received HTML, follows its
 * tracked link (to a page on loopback) and unsubscribes, and the click shows in the campaign's stats.
 */

requireChromiumInCi()

// A desktop browser's user agent for the recipient: the headless one is labelled a link scanner.
const READER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

async function shot(page: Page, name: string) {
  const path = `${SCREENSHOTS}email-${name}-${page.viewportSize()?.width ?? 0}.png`
  if (shouldWriteScreenshot(path)) await page.screenshot({ path, fullPage: true })
}

describe.runIf(hasChromium)('the email dashboard: compose, send, track, unsubscribe', () => {
  let browser: Browser
  let ws: Workspace
  let page: Page
  let sink: Awaited<ReturnType<typeof startSmtpSink>>
  let landing: Server
  let landingUrl: string
  let worker: Awaited<ReturnType<typeof startEmailWorker>>
  const contacts: { id: string; email: string }[] = []

  beforeAll(async () => {
    sink = await startSmtpSink()
    landing = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><title>Spring offer</title><h1>The spring offer</h1>')
    })
    await new Promise<void>((resolve) => landing.listen(0, '127.0.0.1', resolve))
    landingUrl = `http://127.0.0.1:${(landing.address() as AddressInfo).port}/offer`
    browser = await launchChromium()
    const started = await emailWorkspace(browser, sink.url)
    ws = started.ws
    worker = started.worker
    page = ws.owner
    for (const [name, email] of [
      ['Ada Lovelace', 'ada@reader.example'],
      ['Grace Hopper', 'grace@reader.example'],
      ['Alan Turing', 'alan@reader.example'],
    ] as const) {
      const res = await ws.callApi<{ id: string }>('POST', '/api/v1/contacts', { name, email })
      expect(res.status).toBe(201)
      contacts.push({ id: res.body.id, email })
    }
  }, 120_000)
  afterAll(async () => {
    await worker?.stop(2000)
    await ws?.close()
    await browser?.close()
    await sink?.close()
    await new Promise((resolve) => landing?.close(resolve))
  })

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name })

  test('the overview shows SMTP as the transport; a sender and a list are added from it', async () => {
    await page.goto(`${ws.site.origin}/app/email`)
    await heading('Email').waitFor()
    await expect.poll(() => page.getByTestId('email-transport').innerText()).toMatch(/^SMTP/)
    await page.getByLabel('Sender address').fill('news@northwind.example')
    await page.getByLabel('Sender name').fill('Northwind News')
    await page.getByRole('button', { name: 'Add sender' }).click()
    await page.getByText('Northwind News <news@northwind.example>').waitFor()
    await page.getByLabel('New list name').fill('Customers')
    await page.getByRole('button', { name: 'Create list' }).click()
    // A new list opens on its own page, to add its members.
    await heading('List: Customers').waitFor()
    const lists = await ws.callApi<{ data: { id: string }[] }>('GET', '/api/v1/email-lists')
    const added = await ws.callApi('POST', `/api/v1/email-lists/${lists.body.data[0]!.id}/members`, {
      contact_ids: contacts.map((c) => c.id),
    })
    expect(added.status).toBe(200)
    await page.goto(`${ws.site.origin}/app/email`)
    const row = page.getByRole('row', { name: /Customers/ })
    await expect.poll(() => row.innerText()).toMatch(/Customers\s+3\s+0\s+0/)
    await shot(page, 'overview')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  test('a template is edited with a live preview rendered by the API', async () => {
    await page.goto(`${ws.site.origin}/app/email/templates`)
    await heading('Email templates').waitFor()
    await page.getByRole('button', { name: 'New template' }).click()
    await page.getByLabel('Template name').fill('Welcome')
    await page.getByLabel('Subject').fill('Hello {{ organization.name }}')
    await page.getByLabel('HTML').fill('<p>Hi {{ contact.first_name | default: "there" }}</p>')
    await expect.poll(() => page.getByTestId('preview-subject').innerText()).toBe('Hello Northwind Sales')
    const frame = page.frameLocator('iframe[title="Template preview"]')
    await expect.poll(() => frame.locator('p').innerText()).toMatch(/^Hi /)
    await shot(page, 'templates')
    expect(await seriousAxeViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Save template' }).click()
    await page.getByRole('button', { name: 'Welcome' }).waitFor()
  })

  test('a campaign composed in the dashboard is test-sent, sent now, and completes to every list member', async () => {
    await page.goto(`${ws.site.origin}/app/email/campaigns`)
    await heading('Campaigns').waitFor()
    await page.getByLabel('Campaign name').fill('Spring offer')
    await page.getByLabel('From').selectOption({ label: 'Northwind News <news@northwind.example>' })
    await page.getByLabel('Subject').fill('{{ contact.first_name }}, our spring offer')
    await page
      .getByLabel('HTML')
      .fill(`<p>Hello {{ contact.first_name }}, <a href="${landingUrl}">see the offer</a>.</p>`)
    await page.getByRole('group', { name: 'Audience' }).getByLabel('List: Customers (3)').check()
    await shot(page, 'compose')
    expect(await seriousAxeViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Save draft' }).click()
    await heading('Campaign: Spring offer').waitFor()
    expect(await page.getByTestId('campaign-status').innerText()).toBe('draft')

    // The sink has the member's invite already; count from here.
    const before = sink.messages.length
    await page.getByLabel('Send a test to').fill('olivia@northwind.example')
    await page.getByRole('button', { name: 'Send test' }).click()
    await sink.waitFor(before + 1)
    const testMessage = await sink.messages[before]!.parse()
    expect(testMessage.subject).toMatch(/^\[Test\] .*our spring offer$/)

    await page.getByRole('button', { name: 'Send now' }).click()
    await expect.poll(() => page.getByTestId('campaign-status').innerText(), { timeout: 30_000 }).toBe('completed')
    await sink.waitFor(before + 4)
    const received = sink.messages.slice(before + 1)
    expect(received.map((m) => m.to[0]).sort()).toEqual(contacts.map((c) => c.email).sort())
    expect(await page.getByTestId('campaign-stats').innerText()).toMatch(/Recipients\s+3\s+Sent\s+3/)
    await shot(page, 'campaign')
    expect(await seriousAxeViolations(page)).toEqual([])
  }, 60_000)

  test('the recipient opens the HTML, follows the tracked link to its page, and the click shows in the stats', async () => {
    const ada = sink.messages.find((m) => m.to[0] === 'ada@reader.example')!
    const parsed = await ada.parse()
    expect(parsed.subject).toBe('Ada, our spring offer')
    // The recipient reads it a minute after it was sent (as the database sees it): a person, not a
    // link scanner acting within seconds of delivery.
    await ws.site.deps.db
      .updateTable('emails')
      .set({ sent_at: new Date(Date.now() - 60_000) })
      .where('to_email', '=', 'ada@reader.example')
      .execute()
    const reader = await browser.newContext({ userAgent: READER_UA, viewport: { width: 1280, height: 800 } })
    try {
      const mail = await reader.newPage()
      await mail.setContent(String(parsed.html))
      const link = mail.getByRole('link', { name: 'see the offer' })
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^${ws.site.origin}/email/c/`))
      await link.click()
      await mail.waitForURL(landingUrl)
      await expect.poll(() => mail.getByRole('heading', { name: 'The spring offer' }).count()).toBe(1)
    } finally {
      await reader.close()
    }
    const campaigns = await ws.callApi<{ data: { id: string }[] }>('GET', '/api/v1/campaigns')
    await page.goto(`${ws.site.origin}/app/email/campaigns/${campaigns.body.data[0]!.id}`)
    const links = page.getByTestId('campaign-links')
    await expect
      .poll(() =>
        links
          .locator('tbody tr')
          .innerText()
          .catch(() => ''),
      )
      .toMatch(new RegExp(`${landingUrl.replace(/[.?]/g, '\\$&')}\\s+1\\s+1\\s+1`))
    expect(await page.getByTestId('campaign-stats').innerText()).toMatch(/Clicks \(people\)\s+1/)
  })

  test('one click unsubscribes: the List-Unsubscribe POST at once, and the page after its confirmation button', async () => {
    const unsubscribeUrl = async (email: string) => {
      const headers = sink.messages.find((m) => m.to[0] === email)!.raw.replace(/\r?\n[ \t]+/g, ' ')
      expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m)
      return /^List-Unsubscribe: <([^>]+)>/m.exec(headers)?.[1] ?? ''
    }
    const status = async (id: string) =>
      (await ws.callApi<{ status: string }>('GET', `/api/v1/contacts/${id}/email-subscription`)).body.status

    // A mailbox provider's one-click request (RFC 8058).
    const grace = contacts.find((c) => c.email === 'grace@reader.example')!
    const res = await fetch(await unsubscribeUrl(grace.email), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(res.status).toBe(200)
    expect(await status(grace.id)).toBe('unsubscribed')

    // A person following the link: the page changes nothing until its button is pressed.
    const alan = contacts.find((c) => c.email === 'alan@reader.example')!
    const reader = await browser.newContext({ userAgent: READER_UA })
    try {
      const tab = await reader.newPage()
      await tab.goto(await unsubscribeUrl(alan.email))
      await tab.getByRole('heading', { name: 'Unsubscribe' }).waitFor()
      expect(await status(alan.id)).toBe('subscribed')
      await tab.getByRole('button', { name: 'Unsubscribe' }).click()
      await tab.getByRole('heading', { name: 'You are unsubscribed' }).waitFor()
    } finally {
      await reader.close()
    }
    expect(await status(alan.id)).toBe('unsubscribed')
  })

  test('the development mailbox shows a kept message in a sandboxed frame without scripts', async () => {
    // Test-mode mail is kept in the mailbox whatever the transport: sent in test mode from the
    // owner's session, as the dashboard's mode switch does.
    await page.goto(`${ws.site.origin}/app/email/mailbox`)
    const status = await page.evaluate(async () => {
      const session = await (await fetch('/api/v1/session')).json()
      const headers = { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token, 'rapport-mode': 'test' }
      // Senders are kept per mode: test mode needs its own.
      await fetch('/api/v1/senders', {
        method: 'POST',
        headers,
        body: JSON.stringify({ email: 'news@northwind.example' }),
      })
      const res = await fetch('/api/v1/emails', {
        method: 'POST',
        headers,
        body: JSON.stringify({
          to: 'someone@reader.example',
          subject: 'Kept, not sent',
          html: '<p id="body">Only in the mailbox</p><script>document.title="ran"</script>',
        }),
      })
      return `${res.status} ${await res.text()}`
    })
    expect(status).toMatch(/^202 /)
    await page.goto(`${ws.site.origin}/app/email/mailbox`)
    await heading('Development mailbox').waitFor()
    // The dashboard reads live mode; switch it to test mode where the message was kept.
    await page.evaluate(() => localStorage.setItem('rapport.mode', 'test'))
    await page.reload()
    const item = page.getByRole('button', { name: 'Kept, not sent' })
    await expect
      .poll(
        async () => {
          await page.reload()
          return item.count()
        },
        { timeout: 15_000 },
      )
      .toBe(1)
    await item.click()
    const frame = page.locator('iframe[title="Message: Kept, not sent"]')
    expect(await frame.getAttribute('sandbox')).toBe('')
    await expect
      .poll(() => page.frameLocator('iframe[title="Message: Kept, not sent"]').locator('#body').innerText())
      .toBe('Only in the mailbox')
    // The message's script did not run: its document keeps the title it had.
    const kept = page.frames().find((f) => f.url() === 'about:srcdoc')!
    expect(await kept.evaluate(() => document.title)).not.toBe('ran')
    await shot(page, 'mailbox')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  test('at 390 px every email screen fits the phone and stays axe clean', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    try {
      const campaigns = await ws.callApi<{ data: { id: string }[] }>('GET', '/api/v1/campaigns')
      for (const [path, title, name] of [
        ['/app/email', 'Email', 'overview'],
        ['/app/email/campaigns', 'Campaigns', 'compose'],
        [`/app/email/campaigns/${campaigns.body.data[0]!.id}`, 'Campaign: Spring offer', 'campaign'],
        ['/app/email/templates', 'Email templates', 'templates'],
        ['/app/email/mailbox', 'Development mailbox', 'mailbox'],
      ] as const) {
        // The mailbox's message was kept in test mode; the campaign is live.
        await page.evaluate((mode) => localStorage.setItem('rapport.mode', mode), name === 'mailbox' ? 'test' : 'live')
        await page.goto(`${ws.site.origin}${path}`)
        await heading(title).waitFor()
        // A campaign's page keeps the live event stream open: the network is never idle there.
        if (name === 'campaign') await page.getByTestId('campaign-stats').waitFor()
        else await page.waitForLoadState('networkidle')
        expect(await pageOverflowPx(page), path).toBe(0)
        await shot(page, name)
        expect(await seriousAxeViolations(page), path).toEqual([])
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
    }
  })
})
