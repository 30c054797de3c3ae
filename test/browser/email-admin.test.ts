import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { startEmailWorker } from '../../src/modules/email/emails.worker.js'
import { startSmtpSink } from '../modules/email-sink.js'
import { hasChromium, launchChromium, requireChromiumInCi, shouldWriteScreenshot } from './chromium.js'
import { watchCsp } from './dashboard-host.js'
import { emailWorkspace } from './email-host.js'
import type { Workspace } from './workspace-a-host.js'
import { pageOverflowPx, seriousAxeViolations } from './workspace-b-axe.js'

/*
 * The Email area's management screens in headless Chromium, as the owner, with Rapport sending
 * through a real SMTP server on loopback: senders edited and deleted and the SMTP server checked,
 * list members added by a search and removed (and paged), a segment created and edited with its
 * live count, a template's test send arriving at the SMTP server, a draft campaign edited and
 * another deleted, a switch of Rapport's own messages turned off with the keyboard and kept. Each
 * screen: axe (no serious or critical violation), no sideways scroll at 390 px in the dark scheme,
 * no Content Security Policy violation.
 */

requireChromiumInCi()

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

async function shot(page: Page, name: string) {
  const path = `${SCREENSHOTS}email-${name}-${page.viewportSize()?.width ?? 0}.png`
  if (shouldWriteScreenshot(path)) await page.screenshot({ path, fullPage: true })
}

interface Sender {
  id: string
  email: string
  name: string | null
  reply_to: string | null
  is_default: boolean
}

describe.runIf(hasChromium)('the email dashboard: senders, audiences, templates, drafts, settings', () => {
  let browser: Browser
  let ws: Workspace
  let page: Page
  let csp: string[]
  let sink: Awaited<ReturnType<typeof startSmtpSink>>
  let worker: Awaited<ReturnType<typeof startEmailWorker>>
  const contacts = new Map<string, string>()
  const ids = { list: '', segment: '', template: '' }

  beforeAll(async () => {
    sink = await startSmtpSink()
    browser = await launchChromium()
    const started = await emailWorkspace(browser, sink.url)
    ws = started.ws
    worker = started.worker
    page = ws.owner
    csp = watchCsp(page)
    // Senders are for owners and admins: added from the owner's session (the seeding key writes only).
    await page.goto(`${ws.site.origin}/app/email`)
    const statuses = await page.evaluate(async () => {
      const session = await (await fetch('/api/v1/session')).json()
      const headers = { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token }
      const made: number[] = []
      for (const email of ['news@northwind.example', 'sales@northwind.example']) {
        made.push((await fetch('/api/v1/senders', { method: 'POST', headers, body: JSON.stringify({ email }) })).status)
      }
      return made
    })
    expect(statuses).toEqual([201, 201])
    const people: [string, string, string[]][] = [
      ['Ada Lovelace', 'ada@reader.example', ['vip']],
      ['Grace Hopper', 'grace@reader.example', ['vip']],
      ['Alan Turing', 'alan@reader.example', []],
      ['Edsger Dijkstra', 'edsger@reader.example', ['vip', 'beta']],
    ]
    for (let i = 1; i <= 26; i++) people.push([`Reader ${String(i).padStart(2, '0')}`, `reader${i}@reader.example`, []])
    const batch = await ws.callApi<{ results: { id: string }[] }>('POST', '/api/v1/contacts/batch', {
      contacts: people.map(([name, email, tags]) => ({ name, email, tags })),
    })
    expect(batch.status).toBe(200)
    for (const [i, [name]] of people.entries()) contacts.set(name, batch.body.results[i]!.id)
  }, 120_000)
  afterAll(async () => {
    await worker?.stop(2000)
    await ws?.close()
    await browser?.close()
    await sink?.close()
  })

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name })
  const senders = async () => (await ws.callApi<{ data: Sender[] }>('GET', '/api/v1/senders')).body.data
  /** At 390 px in the dark scheme the screen fits the phone and stays axe clean; back to 1280 px light. */
  async function onPhoneDark(name: string) {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.emulateMedia({ colorScheme: 'dark' })
    try {
      await page.waitForLoadState('networkidle')
      expect(await pageOverflowPx(page), name).toBe(0)
      await shot(page, name)
      expect(await seriousAxeViolations(page), name).toEqual([])
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
      await page.emulateMedia({ colorScheme: 'light' })
    }
  }

  test('a sender is edited (name, Reply-To, made default) and another deleted after a confirmation; the SMTP server is checked', async () => {
    await page.goto(`${ws.site.origin}/app/email`)
    await heading('Email').waitFor()
    await page.getByRole('button', { name: 'Check the SMTP server' }).click()
    await expect
      .poll(() => page.getByTestId('transport-status').innerText())
      .toMatch(/^Answering The SMTP server accepted a connection/)

    await page.getByRole('button', { name: 'Edit sales@northwind.example' }).click()
    const form = page.getByRole('form', { name: 'Edit sales@northwind.example' })
    await form.getByLabel('Name shown').fill('Northwind Sales')
    await form.getByLabel('Reply-To').fill('replies@northwind.example')
    await form.getByLabel('Default sender').check()
    await form.getByRole('button', { name: 'Save sender' }).click()
    await page.getByText('Northwind Sales <sales@northwind.example>').waitFor()
    const sales = (await senders()).find((s) => s.email === 'sales@northwind.example')!
    expect(sales).toMatchObject({ name: 'Northwind Sales', reply_to: 'replies@northwind.example', is_default: true })

    const news = page.getByTestId('sender').filter({ hasText: 'news@northwind.example' })
    await news.getByRole('button', { name: 'Delete' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete the sender news@northwind.example?' })
    await dialog.getByRole('button', { name: 'Delete sender' }).click()
    await expect.poll(() => page.getByTestId('sender').count()).toBe(1)
    expect((await senders()).map((s) => s.email)).toEqual(['sales@northwind.example'])
    await shot(page, 'senders')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  test('a list made in the dashboard gets members from a search, loses one, and pages its members', async () => {
    await page.goto(`${ws.site.origin}/app/email`)
    await page.getByLabel('New list name').fill('Customers')
    await page.getByRole('button', { name: 'Create list' }).click()
    await heading('List: Customers').waitFor()
    ids.list = new URL(page.url()).pathname.split('/').pop()!

    const add = page.getByRole('form', { name: 'Add contacts' })
    for (const who of ['Ada', 'Grace', 'Alan']) {
      await add.getByLabel('Find contacts').fill(who)
      await add.getByRole('checkbox', { name: new RegExp(`^${who} `) }).check()
    }
    await add.getByRole('button', { name: 'Add 3 contacts' }).click()
    await page.getByText('Added 3 of 3.').waitFor()
    const counts = page.getByTestId('list-counts')
    await expect.poll(() => counts.innerText()).toMatch(/Subscribed\s+3\s/)
    const members = page.getByTestId('list-members')
    await expect.poll(() => members.locator('tbody tr').count()).toBe(3)

    await members.getByRole('button', { name: 'Remove Alan Turing' }).click()
    await page.getByText('Alan Turing was removed from the list.').waitFor()
    await expect.poll(() => members.locator('tbody tr').count()).toBe(2)
    await expect.poll(() => counts.innerText()).toMatch(/Subscribed\s+2\s/)
    const listed = await ws.callApi<{ data: { contact_id: string }[] }>(
      'GET',
      `/api/v1/email-lists/${ids.list}/members`,
    )
    expect(listed.body.data.map((m) => m.contact_id).sort()).toEqual(
      [contacts.get('Ada Lovelace'), contacts.get('Grace Hopper')].sort(),
    )
    await shot(page, 'list')
    expect(await seriousAxeViolations(page)).toEqual([])

    // 28 members: two pages of 25.
    const readers = [...contacts].filter(([name]) => name.startsWith('Reader')).map(([, id]) => id)
    expect((await ws.callApi('POST', `/api/v1/email-lists/${ids.list}/members`, { contact_ids: readers })).status).toBe(
      200,
    )
    await page.reload()
    await heading('List: Customers').waitFor()
    await page.getByText('Page 1 of 2 · 28 members').waitFor()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByText('Page 2 of 2 · 28 members').waitFor()
    await expect.poll(() => members.locator('tbody tr').count()).toBe(3)
    await onPhoneDark('list')
  })

  test('a segment is created and edited with a live count of the contacts it selects', async () => {
    await page.goto(`${ws.site.origin}/app/email`)
    await page.getByRole('link', { name: 'New segment' }).click()
    await heading('New segment').waitFor()
    await page.getByLabel('Segment name').fill('VIPs')
    await page.getByLabel('Value of condition 1').fill('vip')
    const counts = page.getByTestId('segment-counts')
    await expect.poll(() => counts.innerText().catch(() => '')).toMatch(/Matching contacts\s+3\s+Can receive\s+3/)
    await expect.poll(() => page.getByTestId('segment-sample').locator('li').count()).toBe(3)
    await page.getByRole('button', { name: 'Create segment' }).click()
    await heading('Segment: VIPs').waitFor()
    ids.segment = new URL(page.url()).pathname.split('/').pop()!

    // A second condition narrows it while it is edited; saving keeps the new filter.
    await page.getByRole('button', { name: 'Add condition' }).click()
    await page.getByLabel('Field of condition 2').selectOption('tags')
    await page.getByLabel('Value of condition 2').fill('beta')
    await expect.poll(() => counts.innerText()).toMatch(/Matching contacts\s+1\s+Can receive\s+1/)
    await shot(page, 'segment')
    await page.getByRole('button', { name: 'Save segment' }).click()
    await expect
      .poll(
        async () => (await ws.callApi<{ filter: unknown }>('GET', `/api/v1/email-segments/${ids.segment}`)).body.filter,
      )
      .toEqual({
        and: [
          { field: 'tags', op: 'contains', value: 'vip' },
          { field: 'tags', op: 'contains', value: 'beta' },
        ],
      })
    // An operator the field does not take is not offered; an invalid JSON filter shows the API's field.
    await page.getByLabel('Edit as JSON').check()
    await page.getByLabel('Filter (contact search grammar)').fill('{"field":"tags","op":"gt","value":"x"}')
    await page.getByText('filter.op').waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    // Unsaved: the page read again shows the saved conditions.
    await page.reload()
    await page.getByLabel('Value of condition 2').waitFor()
    await onPhoneDark('segment')

    await page.goto(`${ws.site.origin}/app/email`)
    await expect.poll(() => page.getByRole('row', { name: /VIPs/ }).innerText()).toMatch(/VIPs\s+1\s+1/)
  })

  test('a template test send arrives at the SMTP server from the default sender', async () => {
    await page.goto(`${ws.site.origin}/app/email/templates`)
    await heading('Email templates').waitFor()
    await page.getByRole('button', { name: 'New template' }).click()
    await page.getByLabel('Template name').fill('Welcome')
    await page.getByLabel('Subject').fill('Welcome to {{ organization.name }}')
    await page.getByLabel('HTML').fill('<p>Hello {{ contact.first_name | default: "there" }}</p>')
    await expect.poll(() => page.getByTestId('preview-subject').innerText()).toBe('Welcome to Northwind Sales')
    await page.getByRole('button', { name: 'Save template' }).click()
    await page.getByRole('heading', { name: 'Edit Welcome' }).waitFor()
    const before = sink.messages.length
    await page.getByLabel('Send a test to').fill('olivia@northwind.example')
    await page.getByRole('button', { name: 'Send test' }).click()
    // Only the test goes to the owner's address (the member's invite went to theirs).
    const toOwner = () => sink.messages.slice(before).filter((m) => m.to.includes('olivia@northwind.example'))
    await expect.poll(() => toOwner().length, { timeout: 15_000 }).toBe(1)
    const received = toOwner()[0]!
    expect(received.to).toEqual(['olivia@northwind.example'])
    const parsed = await received.parse()
    expect(parsed.subject).toBe('[Test] Welcome to Northwind Sales')
    expect(parsed.from?.value).toEqual([{ address: 'sales@northwind.example', name: 'Northwind Sales' }])
    await expect
      .poll(() => page.getByTestId('test-send-status').innerText(), { timeout: 15_000 })
      .toMatch(/olivia@northwind.example: delivered to the mail server/)
    await shot(page, 'template-test')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  test('a draft composed for a list and a segment is edited; another draft is deleted', async () => {
    const compose = async (name: string) => {
      await page.goto(`${ws.site.origin}/app/email/campaigns`)
      await heading('Campaigns').waitFor()
      await page.getByLabel('Campaign name').fill(name)
      await page.getByLabel('Subject').fill('News for {{ contact.first_name }}')
      await page.getByLabel('HTML').fill('<p>Hello {{ contact.first_name }}</p>')
      await page.getByLabel('List: Customers').check()
      await page.getByLabel('Segment: VIPs').check()
      await page.getByRole('button', { name: 'Save draft' }).click()
      await heading(`Campaign: ${name}`).waitFor()
      return new URL(page.url()).pathname.split('/').pop()!
    }
    const keep = await compose('June news')
    let saved = (await ws.callApi<Record<string, unknown>>('GET', `/api/v1/campaigns/${keep}`)).body
    expect(saved).toMatchObject({ status: 'draft', list_ids: [ids.list], segment_ids: [ids.segment] })

    await page.getByRole('button', { name: 'Edit' }).click()
    const form = page.getByRole('form', { name: 'Edit campaign' })
    await form.getByLabel('Campaign name').fill('July news')
    await form.getByLabel('Subject').fill('July news for {{ contact.first_name }}')
    await form.getByLabel('Segment: VIPs').uncheck()
    await form.getByLabel('Count opens').uncheck()
    await form.getByRole('button', { name: 'Save changes' }).click()
    await heading('Campaign: July news').waitFor()
    saved = (await ws.callApi<Record<string, unknown>>('GET', `/api/v1/campaigns/${keep}`)).body
    expect(saved).toMatchObject({
      name: 'July news',
      subject: 'July news for {{ contact.first_name }}',
      list_ids: [ids.list],
      segment_ids: [],
      track_opens: false,
      track_clicks: true,
    })
    await shot(page, 'draft')
    expect(await seriousAxeViolations(page)).toEqual([])

    const drop = await compose('Scrapped idea')
    await page.getByRole('button', { name: 'Delete draft' }).click()
    await page
      .getByRole('dialog', { name: 'Delete the draft Scrapped idea?' })
      .getByRole('button', { name: 'Delete draft' })
      .click()
    await heading('Campaigns').waitFor()
    expect((await ws.callApi('GET', `/api/v1/campaigns/${drop}`)).status).toBe(404)
    await expect.poll(() => page.getByRole('list', { name: 'Campaigns' }).innerText()).not.toMatch(/Scrapped idea/)
    expect(await page.getByRole('list', { name: 'Campaigns' }).innerText()).toMatch(/July news/)
  })

  test('a draft is scheduled for a date, paused, resumed and cancelled from its page', async () => {
    await page.goto(`${ws.site.origin}/app/email/campaigns`)
    await page.getByRole('link', { name: 'July news' }).click()
    await heading('Campaign: July news').waitFor()
    const status = page.getByTestId('campaign-status')
    // Far in the future: no worker starts it during the test, whatever the date.
    await page.getByLabel('Send at').fill('2099-01-15T09:30')
    await page.getByRole('button', { name: 'Schedule' }).click()
    await expect.poll(() => status.innerText()).toBe('scheduled')
    await expect.poll(() => page.getByText(/sends .*2099/).count()).toBe(1)
    await page.getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => status.innerText()).toBe('paused')
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => status.innerText()).toBe('scheduled')
    await page.getByRole('button', { name: 'Cancel campaign' }).click()
    await page
      .getByRole('dialog', { name: 'Cancel July news?' })
      .getByRole('button', { name: 'Cancel campaign' })
      .click()
    await expect.poll(() => status.innerText()).toBe('cancelled')
    const campaigns = await ws.callApi<{ data: { name: string; status: string }[] }>('GET', '/api/v1/campaigns')
    expect(campaigns.body.data.find((c) => c.name === 'July news')?.status).toBe('cancelled')
    await expect.poll(() => page.getByRole('button', { name: 'Send now' }).count()).toBe(0)

    // The campaigns page lists them by state.
    await page.getByRole('link', { name: 'Campaigns' }).click()
    await heading('Campaigns').waitFor()
    const listed = page.getByRole('list', { name: 'Campaigns' })
    await page.getByLabel('Show').selectOption('cancelled')
    await expect.poll(() => listed.innerText()).toMatch(/^July news\s+cancelled/)
    await page.getByLabel('Show').selectOption('draft')
    await page.getByText('No draft campaign.').waitFor()
  })

  test('a switch of Rapport’s own messages is turned off with the keyboard and stays off after a reload', async () => {
    await page.goto(`${ws.site.origin}/app/email/settings`)
    await heading('Email settings').waitFor()
    const booking = page.getByRole('switch', { name: 'Booking emails' })
    expect(await booking.isChecked()).toBe(true)
    // Keyboard only: Tab from the heading to the switch, Space flips it.
    await page.locator('#page-title').focus()
    for (let i = 0; i < 30 && !(await booking.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab')
    }
    expect(await booking.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Space')
    await page.getByText('Booking emails off: saved.').waitFor()
    await page.reload()
    await heading('Email settings').waitFor()
    expect(await page.getByRole('switch', { name: 'Booking emails' }).isChecked()).toBe(false)
    expect(await page.getByRole('switch', { name: 'Team invites' }).isChecked()).toBe(true)
    const settings = await ws.callApi<Record<string, unknown>>('GET', '/api/v1/email-settings')
    expect(settings.body).toMatchObject({ booking_emails: false, invite_emails: true })
    await shot(page, 'settings')
    expect(await seriousAxeViolations(page)).toEqual([])
    await onPhoneDark('settings')

    // A member sees the switches and cannot flip them (the API refuses them too).
    await ws.member.goto(`${ws.site.origin}/app/email/settings`)
    await ws.member.getByRole('heading', { level: 1, name: 'Email settings' }).waitFor()
    expect(await ws.member.getByRole('switch', { name: 'Booking emails' }).isDisabled()).toBe(true)
    await ws.member.getByText('Owners and admins change these.').waitFor()
  })

  test('the new screens fit a phone in the dark scheme, and no page broke the Content Security Policy', async () => {
    for (const [path, title, name] of [
      ['/app/email', 'Email', 'overview'],
      [`/app/email/templates`, 'Email templates', 'templates'],
    ] as const) {
      await page.goto(`${ws.site.origin}${path}`)
      await heading(title).waitFor()
      await onPhoneDark(`${name}-dark`)
    }
    expect(csp).toEqual([])
    expect(ws.memberCsp).toEqual([])
  })
})
