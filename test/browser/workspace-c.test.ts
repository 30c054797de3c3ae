import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, originOf, requireChromiumInCi, shouldWriteScreenshot } from './chromium.js'
import { clockFrom, OWNER, type Workspace, workspace } from './workspace-a-host.js'
import { pageOverflowPx, seriousAxeViolations } from './workspace-b-axe.js'

/*
 * The Bookings and Forms screens in headless Chromium, as the owner (event types and forms are an
 * admin's to change): an event type and a date override made in the browser, a booking cancelled
 * as host, a two-field form built in the builder and sent through the widget from a site on another
 * loopback origin, its response listed; axe-core on both screens at 1280 px (light) and 390 px (dark).
 * Then Bookings as a member: their event types read-only, their booking moved and cancelled as host.
 * The installation and the browsers run on an injected clock (a Monday morning in 2040), never the
 * wall clock's date: the slots, the closed date and "upcoming" are the same on every day the test runs.
 */

requireChromiumInCi()

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/** docs/screenshots/workspace-c-<name>-<width>.png, when missing or RAPPORT_SCREENSHOTS=1. */
async function shot(page: Page, name: string): Promise<void> {
  const path = `${SCREENSHOTS}workspace-c-${name}-${page.viewportSize()?.width ?? 0}.png`
  if (shouldWriteScreenshot(path)) await page.screenshot({ path, fullPage: true })
}

/** Monday 2 January 2040, 09:00 UTC: "now" for the installation and the browsers (see clockFrom). */
const START_MS = Date.UTC(2040, 0, 2, 9, 0, 0)
const clock = clockFrom(START_MS)

/** A UTC calendar date `days` from the injected today, as YYYY-MM-DD (the server's clock decides which slots exist). */
const dateIn = (days: number) => new Date(clock.nowMs() + days * 86_400_000).toISOString().slice(0, 10)

type Slots = { slots: Record<string, { start: string }[]> }

describe.runIf(hasChromium)('bookings and forms screens as the owner', () => {
  let browser: Browser
  let ws: Workspace
  let page: Page
  let ownerId: string
  let username: string
  let site: Server | undefined
  let siteOrigin = ''
  let siteBody = ''

  beforeAll(async () => {
    browser = await launchChromium()
    ws = await workspace(browser, undefined, { clock })
    page = ws.owner
    const users = await ws.callApi<{ data: { id: string; email: string; username: string }[] }>(
      'GET',
      '/api/v1/users?limit=100',
    )
    const owner = users.body.data.find((u) => u.email === OWNER.email)!
    ownerId = owner.id
    username = owner.username
    // A customer's website on its own loopback origin, embedding the form widget.
    site = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme</title></head><body>
<main><h1>Acme</h1>${siteBody}</main></body></html>`)
    })
    await new Promise<void>((resolve) => site!.listen(0, '127.0.0.1', resolve))
    siteOrigin = originOf(site)
  }, 120_000)
  afterAll(async () => {
    await ws?.close()
    await browser?.close()
    if (site) await new Promise((resolve) => site!.close(resolve))
  })

  const heading = (name: string) => page.getByRole('heading', { level: 1, name })
  const announcer = (id: string) => page.getByTestId(id)

  test('an event type and a date override made in the browser shape the public slots; a booking is rescheduled and cancelled as host', async () => {
    await page.goto(`${ws.site.origin}/app/bookings`)
    await heading('Bookings').waitFor()

    // Create an event type.
    const create = page.locator('details.sub-panel')
    await create.locator('summary').click()
    await create.getByLabel('Title').fill('Intro call')
    await create.getByLabel('Slug').fill('intro-call')
    await create.getByLabel('Duration (minutes)').fill('30')
    await create.getByRole('button', { name: 'Create event type' }).click()
    await expect.poll(() => announcer('bookings-announcer').textContent()).toBe('Created: Intro call.')
    const types = await ws.callApi<{ data: { id: string; slug: string; duration_minutes: number; active: boolean }[] }>(
      'GET',
      `/api/v1/booking_event_types?user_id=${ownerId}`,
    )
    expect(types.body.data.map((t) => [t.slug, t.duration_minutes, t.active])).toEqual([['intro-call', 30, true]])
    await page.locator('li.event-type-row', { hasText: 'Intro call' }).waitFor()

    // Edit it: a longer meeting.
    const row = page.locator('li.event-type-row', { hasText: 'Intro call' })
    await row.locator('summary').click()
    await row.getByLabel('Duration (minutes)').fill('45')
    await row.getByRole('button', { name: 'Save event type' }).click()
    await expect.poll(() => announcer('bookings-announcer').textContent()).toBe('Saved: Intro call.')
    const edited = await ws.callApi<{ duration_minutes: number }>(
      'GET',
      `/api/v1/event_types/${types.body.data[0]!.id}`,
    )
    expect(edited.body.duration_minutes).toBe(45)

    // Weekly hours all day every day, and one closed date.
    const weekly = page.getByRole('group', { name: 'Weekly hours' })
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
    for (const [i, day] of days.entries()) {
      await weekly.getByRole('button', { name: 'Add weekly hours' }).click()
      await weekly.getByLabel('Day').nth(i).selectOption(day)
      await weekly.getByLabel('From').nth(i).fill('00:00')
      await weekly.getByLabel('To', { exact: true }).nth(i).fill('24:00')
    }
    const closed = dateIn(2)
    const overrides = page.getByRole('group', { name: 'Date overrides' })
    await overrides.getByRole('button', { name: 'Add a date override' }).click()
    await overrides.getByLabel('Date').fill(closed)
    await page.getByRole('button', { name: 'Save availability' }).click()
    await expect.poll(() => announcer('bookings-announcer').textContent()).toBe('Availability saved.')
    const availability = await ws.callApi<{
      timezone: string
      weekly: { day: string; start: string; end: string }[]
      overrides: { date: string; ranges: unknown[] }[]
    }>('GET', `/api/v1/users/${ownerId}/availability`)
    expect(availability.body.weekly.map((r) => `${r.day} ${r.start}-${r.end}`)).toEqual(
      days.map((d) => `${d} 00:00-24:00`),
    )
    expect(availability.body.overrides).toEqual([{ date: closed, ranges: [] }])

    // The public page offers the day before and the day after, not the closed date.
    const slots = await ws.callApi<Slots>(
      'GET',
      `/api/public/booking/${username}/intro-call/slots?start=${dateIn(1)}&end=${dateIn(3)}&timezone=${encodeURIComponent(availability.body.timezone)}`,
    )
    expect(slots.status).toBe(200)
    expect(slots.body.slots[closed] ?? []).toEqual([])
    const open = slots.body.slots[dateIn(3)] ?? []
    expect(open.length).toBeGreaterThan(0)

    // The preview shows the public page.
    const preview = page.frameLocator('iframe.page-preview')
    await preview.getByText('Intro call').first().waitFor()

    // A guest books; the host sees it and cancels it.
    const booked = await ws.callApi<{ id: string }>('POST', `/api/public/booking/${username}/intro-call/bookings`, {
      start: open[0]!.start,
      guest: { name: 'Pat Guest', email: 'pat@guest.example', timezone: 'UTC' },
    })
    expect(booked.status).toBe(201)
    await page.reload()
    const booking = page.locator(`li.booking-row[data-booking="${booked.body.id}"]`)
    await booking.getByRole('link', { name: 'Pat Guest' }).waitFor()
    // Moved as host to another offered time.
    await booking.getByRole('button', { name: 'Reschedule the booking with Pat Guest' }).click()
    const newTime = booking.getByLabel('New time')
    await newTime.selectOption({ index: 2 })
    const chosen = await newTime.inputValue()
    await booking.getByRole('button', { name: 'Move booking' }).click()
    await expect
      .poll(() => announcer('bookings-announcer').textContent())
      .toBe('Rescheduled the booking with Pat Guest.')
    const moved = await ws.callApi<{ start_time: string; rescheduled_at: string | null }>(
      'GET',
      `/api/v1/bookings/${booked.body.id}`,
    )
    expect(moved.body.start_time).toBe(chosen)
    expect(moved.body.rescheduled_at).not.toBeNull()
    await booking.getByRole('button', { name: 'Cancel the booking with Pat Guest' }).click()
    const dialog = page.getByRole('dialog', { name: 'Cancel the booking with Pat Guest?' })
    await dialog.getByLabel('Reason (sent to the guest)').fill('Out of office')
    await dialog.getByRole('button', { name: 'Cancel booking' }).click()
    await booking.waitFor({ state: 'detached' })
    const cancelled = await ws.callApi<{ status: string; cancelled_by: string; cancel_reason: string }>(
      'GET',
      `/api/v1/bookings/${booked.body.id}`,
    )
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelled_by: 'host', cancel_reason: 'Out of office' })
    await page.getByText('No upcoming bookings.').waitFor()
  }, 120_000)

  test('a form built in the builder is sent through the widget on another site and its response is listed', async () => {
    await page.goto(`${ws.site.origin}/app/forms`)
    await heading('Forms').waitFor()
    await page.getByLabel('Form', { exact: true }).selectOption('new')
    const builder = page.locator('form.builder-form')
    await builder.getByLabel('Form name').fill('Website contact')
    await builder.getByRole('button', { name: 'Add a field' }).click()
    const second = builder.locator('li.field-row').nth(1)
    await second.getByLabel('Label').fill('Your name')
    await second.getByLabel('Key').fill('name')
    await second.getByLabel('Required').check()
    // Order: the name first.
    await builder.getByRole('button', { name: 'Up Your name' }).click()
    await builder.getByLabel('Success message').fill('Thanks, we will call you.')
    await builder.getByLabel('Theme').selectOption('dark')
    // The preview follows the edits.
    const preview = page.locator('.form-preview')
    expect(await preview.getAttribute('class')).toContain('theme-dark')
    expect(await preview.locator('label').allInnerTexts()).toEqual(['Your name *', 'Email *'])
    await builder.getByRole('button', { name: 'Create form' }).click()
    await expect.poll(() => announcer('forms-announcer').textContent()).toBe('Created: Website contact.')
    const forms = await ws.callApi<{
      data: {
        id: string
        name: string
        success_message: string
        fields: { key: string; type: string; required: boolean }[]
      }[]
    }>('GET', '/api/v1/forms?limit=100')
    const form = forms.body.data.find((f) => f.name === 'Website contact')!
    expect(form.fields.map((f) => [f.key, f.type, f.required])).toEqual([
      ['name', 'text', true],
      ['email', 'email', true],
    ])
    expect(form.success_message).toBe('Thanks, we will call you.')
    await page.getByRole('heading', { name: 'Responses to “Website contact”' }).waitFor()

    // A publishable key for the customer's site, made with the owner's session.
    const pk = await page.evaluate(async (origin) => {
      const session = await (await fetch('/api/v1/session')).json()
      const res = await fetch('/api/v1/api_keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token },
        body: JSON.stringify({ name: 'Website', type: 'publishable', mode: 'live', allowed_origins: [origin] }),
      })
      return (await res.json()).key as string
    }, siteOrigin)
    expect(pk).toMatch(/^pk_live_/)
    // The builder's embed code carries the whole key and the chosen theme once the page knows the key.
    await page.reload()
    await heading('Forms').waitFor()
    await expect.poll(() => page.locator('.embed code').textContent()).toContain(pk)

    siteBody = `<script src="${ws.site.origin}/widget/form.js" data-key="${pk}" data-form="${form.id}" data-theme="dark"></script>`
    const visitorContext = await browser.newContext({ locale: 'en-US' })
    try {
      const visitor = await visitorContext.newPage()
      await visitor.goto(siteOrigin)
      await visitor.getByLabel('Your name').fill('Val Visitor')
      await visitor.getByLabel('Email').fill('val@visitor.example')
      await visitor.getByRole('button', { name: 'Send' }).click()
      await visitor.getByText('Thanks, we will call you.').waitFor({ timeout: 20_000 })
    } finally {
      await visitorContext.close()
    }

    await page.reload()
    const response = page.locator('li.response-row', { hasText: 'val@visitor.example' })
    await response.waitFor()
    const contactLink = response.getByRole('link')
    expect(await contactLink.getAttribute('href')).toMatch(/^\/app\/contacts\/\S+/)
    expect(await contactLink.textContent()).toMatch(/Val Visitor|val@visitor\.example/)

    // The inbox lists the new lead unread; marking one read takes it off the unread list.
    const unread = async () =>
      (await ws.callApi<{ data: unknown[] }>('GET', '/api/v1/notifications?unread=true&limit=100')).body.data.length
    const before = await unread()
    expect(before).toBeGreaterThan(0)
    const rows = page.locator('li.inbox-row.unread')
    await expect.poll(() => rows.count()).toBe(before)
    await rows
      .first()
      .getByRole('button', { name: /^Mark read/ })
      .click()
    await expect.poll(() => rows.count()).toBe(before - 1)
    expect(await unread()).toBe(before - 1)
  }, 120_000)

  for (const view of [
    { width: 1280, scheme: 'light' as const },
    { width: 390, scheme: 'dark' as const },
  ]) {
    test(`both screens pass axe-core and fit ${view.width} px in ${view.scheme} mode`, async () => {
      await page.setViewportSize({ width: view.width, height: 800 })
      await page.emulateMedia({ colorScheme: view.scheme })
      try {
        for (const [path, title, name, ready] of [
          [
            '/app/bookings',
            'Bookings',
            'bookings',
            () => page.frameLocator('iframe.page-preview').getByText('Intro call'),
          ],
          ['/app/forms', 'Forms', 'forms', () => page.locator('li.response-row')],
        ] as const) {
          await page.goto(`${ws.site.origin}${path}`)
          await heading(title).waitFor()
          await ready().first().waitFor()
          await expect.poll(() => page.getByText(/^Loading /).count()).toBe(0)
          expect(await pageOverflowPx(page), `${path} at ${view.width} px`).toBe(0)
          expect(await seriousAxeViolations(page), `${path} ${view.scheme}`).toEqual([])
          await shot(page, name)
        }
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 })
        await page.emulateMedia({ colorScheme: 'light' })
      }
    }, 120_000)
  }

  test('a member sees their event types read-only, the preview of their page, and moves and cancels their booking as host', async () => {
    const member = ws.member
    const memberHeading = member.getByRole('heading', { level: 1, name: 'Bookings' })
    // Event types and availability take the admin scope: the owner sets them up for the member.
    const demo = await ws.ownerApi<{ id: string }>('POST', '/api/v1/event_types', {
      user_id: ws.memberId,
      title: 'Product demo',
      slug: 'product-demo',
      duration_minutes: 30,
    })
    await ws.ownerApi('PUT', `/api/v1/users/${ws.memberId}/availability`, {
      weekly: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, start: '00:00', end: '24:00' })),
      overrides: [],
    })
    const seller = (await ws.callApi<{ username: string }>('GET', `/api/v1/users/${ws.memberId}`)).body
    const slots = await ws.callApi<Slots>(
      'GET',
      `/api/public/booking/${seller.username}/product-demo/slots?start=${dateIn(1)}&end=${dateIn(2)}&timezone=UTC`,
    )
    const first = slots.body.slots[dateIn(1)]?.[0]
    expect(first, JSON.stringify(slots.body)).toBeDefined()
    const booked = await ws.callApi<{ id: string }>(
      'POST',
      `/api/public/booking/${seller.username}/product-demo/bookings`,
      { start: first!.start, guest: { name: 'Gil Guest', email: 'gil@guest.example', timezone: 'UTC' } },
    )
    expect(booked.status).toBe(201)

    await member.goto(`${ws.site.origin}/app/bookings`)
    await memberHeading.waitFor()
    const booking = member.locator(`li.booking-row[data-booking="${booked.body.id}"]`)
    await booking.getByRole('link', { name: 'Gil Guest' }).waitFor()
    // Read-only: the event type is listed without a form, and nothing offers to create or save one.
    const type = member.locator('li.event-type-row', { hasText: 'Product demo' })
    await type.waitFor()
    expect(await type.innerText()).toContain('30 min')
    await expect.poll(() => type.locator('details, form, input, button').count()).toBe(0)
    expect(
      await member.getByRole('button', { name: /Create event type|Save event type|Save availability/ }).count(),
    ).toBe(0)
    expect(await member.getByText('New event type').isVisible()).toBe(false)
    await member.getByText('Owners and admins create and change event types and availability, as in the API.').waitFor()
    await member.getByText('Ask an owner or admin to change your weekly hours and date overrides.').waitFor()
    // Only the member's own event types: the owner's "Intro call" is not theirs.
    await expect.poll(() => member.locator('li.event-type-row', { hasText: 'Intro call' }).count()).toBe(0)
    await member.frameLocator('iframe.page-preview').getByText('Product demo').first().waitFor()

    for (const view of [
      { width: 1280, scheme: 'light' as const },
      { width: 390, scheme: 'dark' as const },
    ]) {
      await member.setViewportSize({ width: view.width, height: 800 })
      await member.emulateMedia({ colorScheme: view.scheme })
      try {
        await expect.poll(() => member.getByText(/^Loading /).count()).toBe(0)
        expect(await pageOverflowPx(member), `member bookings at ${view.width} px`).toBe(0)
        expect(await seriousAxeViolations(member), `member bookings ${view.scheme}`).toEqual([])
        await shot(member, 'bookings-member')
      } finally {
        await member.setViewportSize({ width: 1280, height: 800 })
        await member.emulateMedia({ colorScheme: 'light' })
      }
    }

    // As host, from the keyboard: Reschedule opens the offered times, Move booking moves it.
    await booking.getByRole('button', { name: 'Reschedule the booking with Gil Guest' }).focus()
    await member.keyboard.press('Enter')
    const newTime = booking.getByLabel('New time')
    await newTime.selectOption({ index: 3 })
    const chosen = await newTime.inputValue()
    await booking.getByRole('button', { name: 'Move booking' }).click()
    await expect
      .poll(() => member.getByTestId('bookings-announcer').textContent())
      .toBe('Rescheduled the booking with Gil Guest.')
    const moved = await ws.callApi<{ start_time: string; rescheduled_at: string | null }>(
      'GET',
      `/api/v1/bookings/${booked.body.id}`,
    )
    expect(moved.body).toMatchObject({ start_time: chosen })
    expect(moved.body.rescheduled_at).not.toBeNull()
    await booking.getByRole('button', { name: 'Cancel the booking with Gil Guest' }).click()
    const dialog = member.getByRole('dialog', { name: 'Cancel the booking with Gil Guest?' })
    await dialog.getByLabel('Reason (sent to the guest)').fill('Travelling that day')
    await dialog.getByRole('button', { name: 'Cancel booking' }).click()
    await booking.waitFor({ state: 'detached' })
    const cancelled = await ws.callApi<{ status: string; cancelled_by: string; cancel_reason: string }>(
      'GET',
      `/api/v1/bookings/${booked.body.id}`,
    )
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'host',
      cancel_reason: 'Travelling that day',
    })
    // The event type the member could not change is as the owner made it.
    expect((await ws.callApi<{ title: string }>('GET', `/api/v1/event_types/${demo.id}`)).body.title).toBe(
      'Product demo',
    )
    expect(ws.memberCsp).toEqual([])
  }, 120_000)
})
