import { createServer, type Server } from 'node:http'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../harness.js'
import { openHost } from './booking-host.js'
import { hasChromium, launchChromium, listenOnLoopback, originOf, requireChromiumInCi } from './chromium.js'

/*
 * The booking page and the widget in real headless Chromium: Rapport listens on one loopback
 * origin, a customer's page (with its own strict CSP) on another.
 */

const VISITOR_ZONE = 'America/New_York'

requireChromiumInCi()

/** The visitor-local date two days from now: the test books on it (the host is free around the clock). */
function bookingDate(): string {
  const at = new Date(Date.now() + 2 * 86_400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: VISITOR_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(at)
    .slice(0, 10)
}

function customerSite(rapportOrigin: string, username: string): Promise<Server> {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme</title><script src="/listen.js"></script></head>
<body><h1>Acme</h1><p>Talk to us:</p>
<script src="${rapportOrigin}/widget/book.js" data-username="${username}" data-event="30-min-call"></script>
</body></html>`
  const listen = `window.__bookings = []; window.__violations = [];
window.addEventListener('rapport:booking', (e) => window.__bookings.push(e.detail));
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));`
  // The customer's own strict CSP: the widget must work under it (no inline styles, no eval).
  const csp = `default-src 'self'; script-src 'self' ${rapportOrigin}; frame-src ${rapportOrigin}; style-src 'self'`
  const server = createServer((req, res) => {
    if (req.url === '/listen.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(listen)
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(page)
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describe.runIf(hasChromium)('booking in Chromium', () => {
  let browser: Browser
  let h: TestApp
  let rapport: string

  beforeAll(async () => {
    browser = await launchChromium()
    h = await testApp()
    rapport = await listenOnLoopback(h.app)
  })
  afterAll(async () => {
    await browser?.close()
    await h?.close()
  })

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ timezoneId: VISITOR_ZONE, locale: 'en-US' })
    return context.newPage()
  }

  async function withCustomerSite<T>(username: string, run: (page: Page, site: string) => Promise<T>): Promise<T> {
    const server = await customerSite(rapport, username)
    const page = await newPage()
    try {
      await page.goto(originOf(server))
      return await run(page, originOf(server))
    } finally {
      await page.context().close()
      await new Promise((resolve) => server.close(resolve))
    }
  }

  /** The element focused in the page, looking into the widget's shadow roots. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      let el = document.activeElement
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
      return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') || el.textContent?.trim() || ''}` : ''
    })

  test('a visitor books through the widget on another site, and the site gets rapport:booking', async () => {
    const { host } = await openHost(h)
    const email = `guest-${Math.random().toString(36).slice(2, 10)}@guest.example`
    await withCustomerSite(host.username, async (page, site) => {
      const button = page.getByRole('button', { name: 'Book a call' })
      // Styled by the adopted stylesheet, although the site's CSP allows no inline style.
      expect(await button.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(31, 79, 209)')
      await button.click()
      const iframe = page.locator('iframe[title="Booking page"]')
      expect(await iframe.getAttribute('src')).toBe(
        `${rapport}/book/${host.username}/30-min-call?embed=1&parent_origin=${encodeURIComponent(site)}`,
      )
      const frame = page.frameLocator('iframe[title="Booking page"]')
      await expect.poll(() => frame.locator('#tz').inputValue()).toBe(VISITOR_ZONE)
      const date = bookingDate()
      // The month grid first: counting its days before it is drawn would turn to the wrong month.
      await frame.locator('#grid [data-date]').first().waitFor()
      if (!(await frame.locator(`[data-date="${date}"]`).count())) {
        await frame.getByRole('button', { name: 'Next month' }).click()
      }
      await frame.locator(`[data-date="${date}"]`).click()
      expect(await frame.locator(`[data-date="${date}"]`).getAttribute('aria-selected')).toBe('true')
      const slot = frame.locator('#slots button').first()
      const start = String(await slot.getAttribute('data-start'))
      await slot.click()
      await frame.getByLabel('Name').fill('Sam <b>Guest</b>')
      await frame.getByLabel('Email').fill(email)
      await frame.getByLabel('Notes (optional)').fill('About pricing')
      await frame.getByRole('button', { name: 'Confirm booking' }).click()
      await frame.getByRole('heading', { name: 'You are booked' }).waitFor()
      expect(await frame.locator('#ics').getAttribute('href')).toMatch(/^\/api\/public\/bookings\/bk_\w+\/ics\?token=/)
      expect(await frame.locator(':focus').getAttribute('id')).toBe('confirmed-heading')

      await page.waitForFunction(() => (window as unknown as { __bookings: unknown[] }).__bookings.length > 0)
      const events = await page.evaluate(() => (window as unknown as { __bookings: unknown[] }).__bookings)
      expect(events).toEqual([
        {
          eventType: '30-min-call',
          hostName: 'Jane Host',
          guestName: 'Sam <b>Guest</b>',
          guestEmail: email,
          startTime: start,
          duration: 30,
        },
      ])
      expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])

      const list = (await h.api('GET', `/api/v1/bookings?user_id=${host.id}`)).json()
      expect(list.data).toHaveLength(1)
      expect(list.data[0]).toMatchObject({
        start_time: start,
        guest_email: email,
        guest_name: 'Sam <b>Guest</b>',
        guest_timezone: VISITOR_ZONE,
        notes: 'About pricing',
        status: 'confirmed',
      })
      expect(await h.eventTypes()).toContain('booking.created')
    })
  })

  test('a message that does not come from the booking iframe is ignored', async () => {
    const { host } = await openHost(h)
    await withCustomerSite(host.username, async (page) => {
      await page.getByRole('button', { name: 'Book a call' }).click()
      await page.evaluate(() => {
        const forged = { type: 'rapport:booking', eventType: 'x', guestEmail: 'forged@evil.example', duration: 30 }
        window.postMessage(forged, '*')
      })
      await page.waitForTimeout(200)
      expect(await page.evaluate(() => (window as unknown as { __bookings: unknown[] }).__bookings)).toEqual([])
    })
  })

  test('a keyboard-only visitor books on the page: grid with arrow keys, slot buttons, form, focused confirmation', async () => {
    const { host } = await openHost(h)
    const email = `kb-${Math.random().toString(36).slice(2, 10)}@guest.example`
    const page = await newPage()
    try {
      await page.goto(`${rapport}/book/${host.username}/30-min-call`)
      await page.locator('#grid [data-date]').first().waitFor()
      const activeRole = () => page.evaluate(() => document.activeElement?.getAttribute('role'))
      for (let i = 0; i < 10 && (await activeRole()) !== 'gridcell'; i++) await page.keyboard.press('Tab')
      expect(await activeRole()).toBe('gridcell')
      // One tab stop in the grid (roving tabindex).
      await expect.poll(() => page.locator('#grid [tabindex="0"]').count()).toBe(1)
      const target = bookingDate()
      const activeDate = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.date ?? '')
      for (let i = 0; i < 70 && (await activeDate()) !== target; i++) {
        const before = await activeDate()
        await page.keyboard.press(before < target ? 'ArrowRight' : 'ArrowLeft')
        await expect.poll(activeDate).not.toBe(before) // across a month edge, once the next month is loaded
      }
      expect(await activeDate()).toBe(target)
      await page.keyboard.press('ArrowDown')
      await expect.poll(activeDate).not.toBe(target)
      await page.keyboard.press('ArrowUp')
      await expect.poll(activeDate).toBe(target)
      expect(await page.locator('#grid [tabindex="0"]').getAttribute('data-date')).toBe(target)
      await page.keyboard.press('Enter')
      expect(await page.locator(`[data-date="${target}"]`).getAttribute('aria-selected')).toBe('true')
      await page.locator('#slots button').first().waitFor()
      await page.keyboard.press('Tab')
      const start = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.start)
      expect(start).toBe(await page.locator('#slots button').first().getAttribute('data-start'))
      await page.keyboard.press('Enter')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('name')
      // An invalid email is announced in the live region and marked invalid.
      await page.keyboard.type('Kim Keys')
      await page.keyboard.press('Tab')
      await page.keyboard.type('not-an-email')
      await page.keyboard.press('Enter')
      await expect.poll(() => page.locator('#live').textContent()).toBe('Please enter a valid email address.')
      expect(await page.locator('#email').getAttribute('aria-invalid')).toBe('true')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('email')
      await page.keyboard.press('ControlOrMeta+A')
      await page.keyboard.type(email)
      await page.keyboard.press('Tab')
      await page.keyboard.type('Keyboard only')
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('submit')
      await page.keyboard.press('Enter')
      await page.waitForFunction(() => document.activeElement?.id === 'confirmed-heading')
      expect(await page.locator('#confirmed-heading').textContent()).toBe('You are booked')
      await expect.poll(() => page.locator('#live').textContent()).toMatch(/^Booking confirmed/)
      const list = (await h.api('GET', `/api/v1/bookings?user_id=${host.id}`)).json()
      expect(list.data).toMatchObject([{ start_time: start, guest_email: email, notes: 'Keyboard only' }])
    } finally {
      await page.context().close()
    }
  })

  test('disabled days are marked and cannot be selected', async () => {
    // Only next month is bookable: every day of this month is disabled.
    const { host } = await openHost(h, { eventType: { minimum_notice_minutes: 60 * 24 * 40 } })
    const page = await newPage()
    try {
      await page.goto(`${rapport}/book/${host.username}/30-min-call`)
      await page.locator('#grid [data-date]').first().waitFor()
      const first = page.locator('#grid [data-date]').first()
      expect(await first.getAttribute('aria-disabled')).toBe('true')
      await first.click({ force: true }) // Playwright itself refuses to click an aria-disabled element
      expect(await first.getAttribute('aria-selected')).toBe('false')
      await expect.poll(() => page.locator('#slots button').count()).toBe(0)
    } finally {
      await page.context().close()
    }
  })

  test('Escape and the backdrop close the modal, focus stays inside it and returns to the button', async () => {
    const { host } = await openHost(h)
    await withCustomerSite(host.username, async (page) => {
      const modal = page.locator('[data-rapport-booking-modal]')
      await page.keyboard.press('Tab')
      expect(await focused(page)).toBe('button:Book a call')
      await page.keyboard.press('Enter')
      await modal.waitFor({ state: 'attached' }) // its host has no box: the chrome is position: fixed
      expect(await page.getByRole('dialog', { name: 'Book a call' }).getAttribute('aria-modal')).toBe('true')
      expect(await focused(page)).toBe('button:Close')
      // Shift+Tab from the first stop wraps to the iframe; Tab from the iframe's end wraps to Close.
      await page.keyboard.press('Shift+Tab')
      expect(await focused(page)).toBe('iframe:')
      const frame = page.frameLocator('iframe[title="Booking page"]')
      await frame.locator('#grid [tabindex="0"]').focus() // the page's last tab stop before a day is picked
      await page.keyboard.press('Tab')
      await expect.poll(() => focused(page)).toBe('button:Close')
      await page.keyboard.press('Escape')
      await modal.waitFor({ state: 'detached' })
      expect(await focused(page)).toBe('button:Book a call')

      // Escape pressed inside the booking page (another origin) closes it too, by postMessage.
      await page.getByRole('button', { name: 'Book a call' }).click()
      await frame.locator('#tz').focus()
      await page.keyboard.press('Escape')
      await modal.waitFor({ state: 'detached' })
      expect(await focused(page)).toBe('button:Book a call')

      await page.getByRole('button', { name: 'Book a call' }).click()
      await page.mouse.click(5, 5) // the backdrop
      await modal.waitFor({ state: 'detached' })
      expect(await focused(page)).toBe('button:Book a call')

      // The JS API opens the same modal.
      await page.evaluate(
        (username) =>
          (window as unknown as { RapportBooking: { open(o: object): void } }).RapportBooking.open({
            username,
            eventType: '30-min-call',
          }),
        host.username,
      )
      await modal.waitFor({ state: 'attached' }) // its host has no box: the chrome is position: fixed
      await page.getByRole('button', { name: 'Close' }).click()
      await modal.waitFor({ state: 'detached' })
    })
  })

  test('the booking page is served under its strict CSP with no violations', async () => {
    const { host } = await openHost(h)
    const page = await newPage()
    try {
      const violations: string[] = []
      page.on('console', (msg) => {
        if (msg.text().includes('Content Security Policy')) violations.push(msg.text())
      })
      const res = await page.goto(`${rapport}/book/${host.username}/30-min-call`)
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'")
      await page.locator('#grid [data-date]').first().waitFor()
      expect(await page.locator('h1').evaluate((el) => getComputedStyle(el).fontSize)).not.toBe('')
      expect(await page.locator('main').evaluate((el) => getComputedStyle(el).maxWidth)).toBe('720px')
      expect(violations).toEqual([])
    } finally {
      await page.context().close()
    }
  })
})
