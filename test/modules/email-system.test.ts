import { afterEach, describe, expect, test } from 'vitest'
import { startEmailWorker } from '../../src/modules/email/emails.worker.js'
import { type TestApp, testApp } from '../harness.js'
import { book, bookableHost, fixedClock, guest } from '../route-tables/scheduling.js'
import { startSmtpSink } from './email-sink.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

// Monday 2026-03-02, 08:00Z: 09:00 in Paris (the host), 03:00 in New York (the guest).
const AT_0800 = '2026-03-02T08:00:00.000Z'
const AT_0900 = '2026-03-02T09:00:00.000Z'

async function setup() {
  const sink = await startSmtpSink()
  cleanups.push(sink.close)
  const h = await testApp({
    clock: fixedClock,
    env: { RAPPORT_SMTP_URL: sink.url, RAPPORT_PUBLIC_URL: 'https://crm.acme.example' },
  })
  cleanups.push(h.close)
  const w = await startEmailWorker({
    db: h.deps.db,
    mailer: h.deps.mailer,
    log: h.app.log,
    listen: h.deps.listen,
    retryScheduleSec: [0],
    pollMs: 50,
    orgIds: [h.org.id],
  })
  cleanups.push(() => w.stop(2000))
  return { h, sink }
}

async function parsedTo(sink: Awaited<ReturnType<typeof setup>>['sink'], address: string, from = 0) {
  const m = sink.messages.slice(from).find((x) => x.to.includes(address))
  if (!m) throw new Error(`no message to ${address}`)
  return m.parse()
}

async function emailsOf(h: TestApp) {
  return (await h.api('GET', '/api/v1/emails?limit=100')).json().data as { category: string; to: string }[]
}

describe('booking emails', () => {
  test('a booking sends a confirmation to the guest (with a manage link) and the host, each with the .ics attached', async () => {
    const { h, sink } = await setup()
    const { host } = await bookableHost(h, { location: { type: 'video', value: 'https://meet.example/j' } })
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    await sink.waitFor(2)
    const toGuest = await parsedTo(sink, guest.email)
    expect(toGuest.subject).toBe('Confirmed: Intro call with Jane Host on Monday 2 March 2026, 03:00 EST')
    expect(toGuest.from?.value[0]?.address).toBe('no-reply@rapport.localhost')
    expect(toGuest.headers.get('auto-submitted')).toBe('auto-generated')
    expect(toGuest.html).toContain(
      `href="https://crm.acme.example/book/manage/${booking.id}#token=${booking.cancel_token}"`,
    )
    expect(toGuest.text).toContain('https://meet.example/j')
    const [ics] = toGuest.attachments
    expect(ics).toMatchObject({ contentType: 'text/calendar', filename: `${booking.id}.ics` })
    const calendar = ics!.content.toString('utf8')
    expect(calendar).toContain('METHOD:PUBLISH')
    expect(calendar).toContain(`UID:${booking.id}@rapport`)
    expect(calendar).toContain('DTSTART:20260302T080000Z')

    const toHost = await parsedTo(sink, host.email)
    expect(toHost.subject).toBe('Confirmed: Intro call with Sam Guest on Monday 2 March 2026, 09:00 GMT+1')
    expect(toHost.html).not.toContain('manage')
    expect(toHost.attachments).toHaveLength(1)

    const emails = await emailsOf(h)
    expect(emails.map((e) => e.category)).toEqual(['booking.confirmed', 'booking.confirmed'])
    const stored = (await h.api('GET', `/api/v1/bookings/${booking.id}`)).json()
    const toContact = (await h.api('GET', `/api/v1/emails?contact_id=${stored.contact_id}`)).json().data
    expect(toContact).toHaveLength(1)
    // Rapport's own messages add no timeline activity: the meeting already stands there.
    expect((await h.eventTypes()).filter((t) => t === 'activity.created')).toHaveLength(1)
  })

  test('a cancellation and a reschedule tell both sides, with the updated calendar file', async () => {
    const { h, sink } = await setup()
    const { host } = await bookableHost(h)
    const booking = (await book(h, host.username, '30-min-call', AT_0800)).json()
    await sink.waitFor(2)
    const moved = await h.api('POST', `/api/v1/bookings/${booking.id}/reschedule`, { start: AT_0900 })
    expect(moved.statusCode).toBe(200)
    await sink.waitFor(4)
    const rescheduled = await parsedTo(sink, guest.email, 2)
    expect(rescheduled.subject).toBe('New time: Intro call with Jane Host on Monday 2 March 2026, 04:00 EST')
    expect(rescheduled.attachments[0]!.content.toString()).toContain('SEQUENCE:1')
    const cancelled = await h.api('POST', `/api/v1/bookings/${booking.id}/cancel`, { reason: 'Sick' })
    expect(cancelled.statusCode).toBe(200)
    await sink.waitFor(6)
    const toGuest = await parsedTo(sink, guest.email, 4)
    expect(toGuest.subject).toMatch(/^Cancelled: Intro call/)
    expect(toGuest.text).toContain('Reason: Sick')
    expect(toGuest.text).toContain('cancelled by the host')
    const calendar = toGuest.attachments[0]!.content.toString()
    expect(calendar).toContain('METHOD:CANCEL')
    expect(calendar).toContain('STATUS:CANCELLED')
    expect(sink.messages.slice(4).flatMap((m) => m.to)).toEqual(expect.arrayContaining([guest.email, host.email]))
  })

  test('an organization that turned booking emails off sends none; the settings read back', async () => {
    const { h, sink } = await setup()
    expect((await h.api('GET', '/api/v1/email-settings')).json()).toEqual({
      object: 'email_settings',
      transport: 'smtp',
      booking_emails: true,
      invite_emails: true,
      lead_notification_emails: true,
      password_reset_emails: true,
      updated_at: null,
    })
    const off = await h.api('PATCH', '/api/v1/email-settings', { booking_emails: false })
    expect(off.json()).toMatchObject({ booking_emails: false, invite_emails: true })
    const { host } = await bookableHost(h)
    expect((await book(h, host.username, '30-min-call', AT_0800)).statusCode).toBe(201)
    expect(await emailsOf(h)).toEqual([])
    expect(sink.messages).toHaveLength(0)
    const readOnly = await h.newKey(h.org.id, { scopes: ['read', 'write'] })
    const denied = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/email-settings',
      headers: { authorization: `Bearer ${readOnly}` },
      payload: { booking_emails: true },
    })
    expect(denied.statusCode).toBe(403)
  })

  test('with a default sender, booking emails go from it', async () => {
    const { h, sink } = await setup()
    await h.api('POST', '/api/v1/senders', { email: 'bookings@acme.example', name: 'Acme Bookings' })
    const { host } = await bookableHost(h)
    await book(h, host.username, '30-min-call', AT_0800)
    await sink.waitFor(2)
    const mail = await parsedTo(sink, guest.email)
    expect(mail.from?.value).toEqual([{ address: 'bookings@acme.example', name: 'Acme Bookings' }])
    expect(mail.messageId).toMatch(/^<em_[0-9a-z]{26}@acme\.example>$/)
  })
})
