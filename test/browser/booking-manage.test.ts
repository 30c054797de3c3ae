import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { bookingAssets } from '../../src/modules/booking-page/assets.js'
import { type TestApp, testApp } from '../harness.js'
import { openHost } from './booking-host.js'
import {
  hasChromium,
  launchChromium,
  listenOnLoopback,
  originOf,
  requireChromiumInCi,
  shouldWriteScreenshot,
} from './chromium.js'

/*
 * The guest's "manage your booking" page (/book/manage/:id): its HTML over HTTP (inject), then the
 * whole flow in real headless Chromium: book, follow the manage link, reschedule, cancel.
 */

const VISITOR_ZONE = 'America/New_York'
const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshots/booking-manage.png', import.meta.url))

requireChromiumInCi()

/** The visitor-local date `days` from now (the host is free around the clock). */
function visitorDate(days: number): string {
  const at = new Date(Date.now() + days * 86_400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: VISITOR_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(at)
    .slice(0, 10)
}

/** A booking made through the public API: its id and the guest's token. */
async function bookThroughApi(h: TestApp, username: string, daysAhead = 2) {
  const day = visitorDate(daysAhead)
  const slotsUrl = `/api/public/booking/${username}/30-min-call/slots?start=${day}&end=${day}&timezone=${VISITOR_ZONE}`
  const slots = (await h.app.inject({ method: 'GET', url: slotsUrl })).json().slots[day] as { start: string }[]
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/public/booking/${username}/30-min-call/bookings`,
    payload: {
      start: slots[3]!.start,
      guest: { name: 'Sam Guest', email: 'sam@guest.example', timezone: VISITOR_ZONE },
    },
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json() as { id: string; cancel_token: string; start_time: string }
}

describe('GET /book/manage/:id', () => {
  test('serves a shell with the booking page headers: strict CSP, noindex, nothing inline, no booking data', async () => {
    const h = await testApp()
    const { host } = await openHost(h)
    const booking = await bookThroughApi(h, host.username)
    const res = await h.app.inject({ method: 'GET', url: `/book/manage/${booking.id}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).not.toContain('unsafe')
    expect(res.headers['referrer-policy']).toBe('same-origin')
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.body).toContain('<meta name="robots" content="noindex">')
    expect(res.body).toContain(`data-booking-id="${booking.id}"`)
    const assets = await bookingAssets()
    expect(res.body.match(/<script\b[^>]*>/g)).toEqual([
      expect.stringContaining(` src="/book/assets/manage.js?v=${assets.manageJs.hash}"`),
    ])
    expect(res.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i)
    // Without the token the server shows nothing of the booking.
    expect(res.body).not.toMatch(/Sam Guest|sam@guest\.example|Jane Host|Intro call/)
  })

  test('a path that is no booking id is a booking page of the host named "manage"', async () => {
    const h = await testApp()
    const missing = await h.app.inject({ method: 'GET', url: '/book/manage/30-min-call' })
    expect(missing.statusCode).toBe(404)
    expect(missing.body).toContain('Booking page not found')
    const user = await h.api('POST', '/api/v1/users', {
      name: 'Manage Host',
      email: `manage-${Math.random().toString(36).slice(2, 8)}@acme.example`,
      username: 'manage',
      timezone: 'UTC',
    })
    expect(user.statusCode).toBe(201)
    const et = await h.api('POST', '/api/v1/event_types', {
      user_id: user.json().id,
      slug: '30-min-call',
      title: 'Managed call',
      duration_minutes: 30,
    })
    expect(et.statusCode).toBe(201)
    const page = await h.app.inject({ method: 'GET', url: '/book/manage/30-min-call' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<h1>Managed call</h1>')
  })

  test('/book/assets/manage.js is served with its ETag and a 304 when fresh', async () => {
    const h = await testApp()
    const { manageJs } = await bookingAssets()
    const res = await h.app.inject({ method: 'GET', url: '/book/assets/manage.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(res.headers.etag).toBe(manageJs.etag)
    expect(res.body).toBe(manageJs.body)
    expect(res.body).not.toMatch(/innerHTML|\beval\(/)
    const fresh = await h.app.inject({
      method: 'GET',
      url: '/book/assets/manage.js',
      headers: { 'if-none-match': manageJs.etag },
    })
    expect(fresh.statusCode).toBe(304)
  })
})

describe.runIf(hasChromium)('managing a booking in Chromium', () => {
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

  async function newPage(opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; violations: string[] }> {
    const context = await browser.newContext({ timezoneId: VISITOR_ZONE, locale: 'en-US', ...opts })
    const page = await context.newPage()
    const violations: string[] = []
    page.on('console', (msg) => {
      if (msg.text().includes('Content Security Policy')) violations.push(msg.text())
    })
    return { page, violations }
  }

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')

  /** Picks `date` in the picker (moving to the next month when needed) and answers its slot buttons. */
  async function pickDay(page: Page, date: string) {
    await page.locator('#grid [data-date]').first().waitFor()
    if (!(await page.locator(`[data-date="${date}"]`).count()))
      await page.getByRole('button', { name: 'Next month' }).click()
    await page.locator(`[data-date="${date}"]`).click()
    await page.locator('#slots button').first().waitFor()
    return page.locator('#slots button')
  }

  const slotsOffered = async (username: string, date: string) => {
    const url = `/api/public/booking/${username}/30-min-call/slots?start=${date}&end=${date}&timezone=${VISITOR_ZONE}`
    return ((await h.app.inject({ method: 'GET', url })).json().slots[date] ?? []).map(
      (s: { start: string }) => s.start,
    )
  }

  test('a guest books, follows the manage link, reschedules to another slot, then cancels with the keyboard', async () => {
    const { host } = await openHost(h)
    const { page, violations } = await newPage()
    try {
      // Book on the booking page.
      await page.goto(`${rapport}/book/${host.username}/30-min-call`)
      const firstDay = visitorDate(2)
      await (await pickDay(page, firstDay)).first().click()
      await page.getByLabel('Name').fill('Sam Guest')
      await page.getByLabel('Email').fill('sam@guest.example')
      await page.getByRole('button', { name: 'Confirm booking' }).click()
      await page.getByRole('heading', { name: 'You are booked' }).waitFor()
      const link = page.getByRole('link', { name: 'Manage this booking' })
      const href = String(await link.getAttribute('href'))
      expect(href).toMatch(new RegExp(`^${rapport}/book/manage/bk_[0-9a-z]{26}#token=[0-9A-Za-z]+$`))
      expect(await page.locator('#keep-link').textContent()).toMatch(/^Keep this link/)
      const id = href.split('/book/manage/')[1]!.split('#')[0]!
      const booked = (await h.api('GET', `/api/v1/bookings/${id}`)).json()

      // The manage page shows the booking.
      await link.click()
      await page.waitForURL(`${rapport}/book/manage/${id}#token=*`)
      await page.getByRole('heading', { name: 'Your booking', exact: true }).waitFor()
      expect(await focusedId(page)).toBe('summary-heading')
      expect(await page.locator('#m-what').textContent()).toBe('Intro call')
      expect(await page.locator('#m-host').textContent()).toBe('Jane Host')
      expect(await page.locator('#m-status').textContent()).toBe('Confirmed')
      expect(await page.locator('#m-when').textContent()).toContain('(America/New York)')
      expect(await page.locator('#m-where').textContent()).toBe('Video call: https://meet.example/jane')
      const token = href.split('#token=')[1]
      expect(await page.locator('#ics').getAttribute('href')).toBe(`/api/public/bookings/${id}/ics?token=${token}`)

      // Reschedule to another slot of the next day.
      await page.getByRole('button', { name: 'Reschedule' }).click()
      expect(await focusedId(page)).toBe('pick-heading')
      const newDay = visitorDate(3)
      const slot = (await pickDay(page, newDay)).nth(2)
      const newStart = String(await slot.getAttribute('data-start'))
      expect(newStart).not.toBe(booked.start_time)
      await slot.click()
      expect(await focusedId(page)).toBe('move-heading')
      expect(await page.locator('#move-to').textContent()).toContain('(America/New York)')
      await page.getByRole('button', { name: 'Confirm the new time' }).click()
      await expect.poll(() => page.locator('#live').textContent()).toMatch(/^Your booking is moved to /)
      expect(await focusedId(page)).toBe('summary-heading')
      const moved = (await h.api('GET', `/api/v1/bookings/${id}`)).json()
      expect(moved).toMatchObject({ start_time: newStart, status: 'confirmed', rescheduled_at: expect.any(String) })
      const moves = (await h.api('GET', '/api/v1/events?type=booking.rescheduled')).json().data
      expect(moves.map((e: { data: { id: string } }) => e.data)).toContainEqual(
        expect.objectContaining({
          id,
          previous_start_time: booked.start_time,
          start_time: newStart,
          rescheduled_by: 'guest',
        }),
      )
      if (shouldWriteScreenshot(SCREENSHOT)) await page.screenshot({ path: SCREENSHOT, fullPage: true })

      // Cancel, keyboard only: the Cancel button, the confirmation step, the reason, the answer.
      await page.locator('#cancel').focus()
      await page.keyboard.press('Enter')
      expect(await focusedId(page)).toBe('cancel-heading')
      await page.keyboard.press('Tab')
      expect(await focusedId(page)).toBe('reason')
      await page.keyboard.type('Found another time')
      await page.keyboard.press('Tab')
      expect(await focusedId(page)).toBe('confirm-cancel')
      await page.keyboard.press('Enter')
      await expect.poll(() => page.locator('#m-status').textContent()).toBe('Cancelled')
      expect(await focusedId(page)).toBe('summary-heading')
      expect(await page.locator('#summary-heading').textContent()).toBe('This booking is cancelled')
      expect(await page.locator('#actions').isHidden()).toBe(true)
      await expect.poll(() => page.locator('#live').textContent()).toMatch(/^Your booking is cancelled/)
      const cancelled = (await h.api('GET', `/api/v1/bookings/${id}`)).json()
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        cancelled_by: 'guest',
        cancel_reason: 'Found another time',
      })
      expect(await slotsOffered(host.username, newDay)).toContain(newStart)
      expect(violations).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  test("in the widget's iframe, the confirmation links the manage page in a new tab", async () => {
    const { host } = await openHost(h)
    const { page } = await newPage()
    let site: Server | undefined
    try {
      // A customer's page on another loopback origin, framing the booking page as the widget does.
      const iframe = `<iframe title="Booking page" src="${rapport}/book/${host.username}/30-min-call?embed=1"></iframe>`
      site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(iframe))
      await new Promise<void>((resolve) => site?.listen(0, '127.0.0.1', resolve))
      await page.goto(`${originOf(site)}/`)
      const frame = page.frameLocator('iframe[title="Booking page"]')
      await frame.locator('#grid [data-date]').first().waitFor()
      const day = visitorDate(2)
      if (!(await frame.locator(`[data-date="${day}"]`).count()))
        await frame.getByRole('button', { name: 'Next month' }).click()
      await frame.locator(`[data-date="${day}"]`).click()
      await frame.locator('#slots button').first().click()
      await frame.getByLabel('Name').fill('Sam Guest')
      await frame.getByLabel('Email').fill('sam@guest.example')
      await frame.getByRole('button', { name: 'Confirm booking' }).click()
      const link = frame.getByRole('link', { name: 'Manage this booking' })
      await link.waitFor()
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^${rapport}/book/manage/bk_[0-9a-z]{26}#token=`))
      expect(await link.getAttribute('target')).toBe('_blank')
      expect(await link.getAttribute('rel')).toBe('noopener')
    } finally {
      await page.context().close()
      await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)))
    }
  })

  test('a time taken meanwhile: the confirm answers 409, the free times are refreshed and it says so', async () => {
    const { host } = await openHost(h)
    const booking = await bookThroughApi(h, host.username)
    const { page } = await newPage()
    try {
      await page.goto(`${rapport}/book/manage/${booking.id}#token=${booking.cancel_token}`)
      await page.getByRole('button', { name: 'Reschedule' }).click()
      const day = visitorDate(4)
      const slot = (await pickDay(page, day)).first()
      const start = String(await slot.getAttribute('data-start'))
      await slot.click()
      // Another guest takes that time before this one confirms.
      const other = await h.app.inject({
        method: 'POST',
        url: `/api/public/booking/${host.username}/30-min-call/bookings`,
        payload: { start, guest: { name: 'Kim Other', email: 'kim@guest.example', timezone: VISITOR_ZONE } },
      })
      expect(other.statusCode).toBe(201)
      await page.getByRole('button', { name: 'Confirm the new time' }).click()
      await expect
        .poll(() => page.locator('#live').textContent())
        .toBe('Sorry, that time was just taken. The free times are refreshed: please pick another.')
      expect(await page.locator('#picker').isVisible()).toBe(true)
      await expect.poll(() => page.locator(`#slots button[data-start="${start}"]`).count()).toBe(0)
      expect((await h.api('GET', `/api/v1/bookings/${booking.id}`)).json().start_time).toBe(booking.start_time)
    } finally {
      await page.context().close()
    }
  })

  test('a wrong or missing token shows "Booking not found"; a past booking offers no change; dark scheme', async () => {
    const { host } = await openHost(h)
    const booking = await bookThroughApi(h, host.username)
    const { page, violations } = await newPage({ colorScheme: 'dark' })
    try {
      for (const fragment of [`#token=${booking.cancel_token}x`, '', '#token=']) {
        await page.goto('about:blank') // a change of fragment alone would not load the page again
        await page.goto(`${rapport}/book/manage/${booking.id}${fragment}`)
        await page.getByRole('heading', { name: 'Booking not found' }).waitFor()
        expect(await focusedId(page)).toBe('not-found-heading')
        expect(await page.locator('#summary').isHidden()).toBe(true)
      }
      // Dark: the page follows the visitor's color scheme.
      expect(await page.locator('main').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(23, 29, 39)')

      // Three days on, the meeting has started: shown, not changeable.
      await page.clock.setFixedTime(new Date(Date.now() + 3 * 86_400_000))
      await page.goto(`${rapport}/book/manage/${booking.id}#token=${booking.cancel_token}`)
      await page.getByRole('heading', { name: 'This booking has passed' }).waitFor()
      expect(await page.locator('#m-status').textContent()).toBe('Past')
      expect(await page.locator('#actions').isHidden()).toBe(true)
      expect(await page.locator('#ics').isVisible()).toBe(true)
      expect(violations).toEqual([])
    } finally {
      await page.context().close()
    }
  })
})
