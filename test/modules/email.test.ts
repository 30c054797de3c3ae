import { afterEach, describe, expect, test } from 'vitest'
import { type EmailWorker, startEmailWorker } from '../../src/modules/email/emails.worker.js'
import { claimDueEmails, recordSend } from '../../src/modules/email/outbox.repo.js'
import { eventually } from '../delivery/fixtures.js'
import { type TestApp, testApp } from '../harness.js'
import { startSmtpSink } from './email-sink.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** An app sending through a loopback SMTP sink (or, with `smtp: false`, to the development mailbox), with a sender. */
async function setup(opts: { smtp?: boolean; schedule?: string } = {}) {
  const sink = await startSmtpSink()
  cleanups.push(sink.close)
  const h = await testApp({
    env: {
      ...(opts.smtp === false ? { RAPPORT_SMTP_URL: '' } : { RAPPORT_SMTP_URL: sink.url }),
      RAPPORT_EMAIL_RETRY_SCHEDULE: opts.schedule ?? '0,0',
    },
  })
  cleanups.push(h.close)
  const sender = await h.api('POST', '/api/v1/senders', {
    email: 'hello@acme.example',
    name: 'Acme',
    reply_to: 'support@acme.example',
  })
  expect(sender.statusCode).toBe(201)
  const start = (orgIds = [h.org.id]) => startWorker(h, orgIds)
  return { h, sink, start }
}

async function startWorker(h: TestApp, orgIds: string[]): Promise<EmailWorker> {
  const w = await startEmailWorker({
    db: h.deps.db,
    mailer: h.deps.mailer,
    log: h.app.log,
    listen: h.deps.listen,
    retryScheduleSec: h.deps.config.email.retryScheduleSec,
    pollMs: 50,
    orgIds,
  })
  cleanups.push(() => w.stop(2000))
  return w
}

async function statusOf(h: TestApp, id: string) {
  return (await h.api('GET', `/api/v1/emails/${id}`)).json().status as string
}

describe('POST /api/v1/emails through SMTP', () => {
  test('queues (202), sends one message with our Message-ID, a derived text part and bulk-sender headers, then shows it delivered', async () => {
    const { h, sink, start } = await setup()
    const contact = (await h.api('POST', '/api/v1/contacts', { name: 'Jane Doe', email: 'jane@example.com' })).json()
    const res = await h.api('POST', '/api/v1/emails', {
      to: contact.id,
      subject: 'Your quote',
      html: '<h1>Hello Jane</h1><p>Here is <a href="https://acme.example/q/42">your quote</a>.</p>',
    })
    expect(res.statusCode).toBe(202)
    const email = res.json()
    expect(email).toMatchObject({
      object: 'email',
      status: 'queued',
      to: 'jane@example.com',
      to_name: 'Jane Doe',
      contact_id: contact.id,
      from: 'hello@acme.example',
      reply_to: 'support@acme.example',
      category: 'api',
    })
    expect(email.id).toMatch(/^em_/)
    expect(email.message_id).toBe(`<${email.id}@acme.example>`)

    await start()
    await sink.waitFor(1)
    const [got] = sink.messages
    expect(got!.to).toEqual(['jane@example.com'])
    expect(got!.from).toBe('hello@acme.example')
    const mail = await got!.parse()
    expect(mail.messageId).toBe(email.message_id)
    expect(mail.subject).toBe('Your quote')
    expect(mail.from?.value).toEqual([{ address: 'hello@acme.example', name: 'Acme' }])
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([
      { address: 'jane@example.com', name: 'Jane Doe' },
    ])
    expect(mail.replyTo?.value[0]?.address).toBe('support@acme.example')
    expect(mail.html).toContain('<h1>Hello Jane</h1>')
    expect(mail.text).toContain('HELLO JANE')
    expect(mail.text).toContain('your quote [https://acme.example/q/42]')
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' })
    expect(mail.headers.get('x-rapport-email-id')).toBe(email.id)
    expect(mail.headers.get('feedback-id')).toBe(`api:${h.org.id}:rapport`)
    expect(mail.headers.get('date')).toBeInstanceOf(Date)
    expect(mail.headers.has('auto-submitted')).toBe(false)

    await eventually(async () => (await statusOf(h, email.id)) === 'delivered', 10_000, 'delivered')
    const shown = (await h.api('GET', `/api/v1/emails/${email.id}`)).json()
    expect(shown).toMatchObject({ transport: 'smtp', attempt_count: 1, last_error: null, next_attempt_at: null })
    expect(shown.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'sent', 'delivered'])
    expect(await h.eventTypes()).toEqual(['contact.created', 'activity.created', 'email.sent', 'email.delivered'])
    const events = await h.deps.db
      .selectFrom('events')
      .select(['type', 'data'])
      .where('org_id', '=', h.org.id)
      .where('type', 'like', 'email.%')
      .execute()
    expect(events[0]!.data).toMatchObject({ id: email.id, email: 'jane@example.com', contact_id: contact.id })

    const timeline = (await h.api('GET', `/api/v1/activities?contact_id=${contact.id}`)).json()
    expect(timeline.data).toMatchObject([{ type: 'email', summary: 'Email: Your quote', contact_id: contact.id }])
    const listed = (await h.api('GET', `/api/v1/emails?contact_id=${contact.id}`)).json()
    expect(listed.data.map((e: { id: string }) => e.id)).toEqual([email.id])
    expect(listed.data[0].events).toBeUndefined()
  })

  test('an address that belongs to a contact is linked to it; a text-only message is single-part', async () => {
    const { h, sink, start } = await setup()
    const contact = (await h.api('POST', '/api/v1/contacts', { name: 'Ann', email: 'Ann@Example.com' })).json()
    const email = (
      await h.api('POST', '/api/v1/emails', { to: 'ann@example.com', subject: 'Plain', text: 'Just text' })
    ).json()
    expect(email).toMatchObject({ contact_id: contact.id, to_name: 'Ann', html: null, text: 'Just text' })
    await start()
    await sink.waitFor(1)
    const mail = await sink.messages[0]!.parse()
    expect(mail.text?.trim()).toBe('Just text')
    expect(mail.html).toBe(false)
  })

  test('the same Idempotency-Key queues one message and replays the first answer', async () => {
    const { h } = await setup()
    const body = { to: 'idem@example.com', subject: 'Once', text: 'Only once' }
    const first = await h.api('POST', '/api/v1/emails', body, { 'idempotency-key': 'send-once-1' })
    const second = await h.api('POST', '/api/v1/emails', body, { 'idempotency-key': 'send-once-1' })
    expect(first.statusCode).toBe(202)
    expect(second.statusCode).toBe(202)
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect(second.json().id).toBe(first.json().id)
    const rows = await h.deps.db.selectFrom('emails').select('id').where('org_id', '=', h.org.id).execute()
    expect(rows).toHaveLength(1)
  })

  test('a temporary refusal (451) is retried with the same Message-ID; a permanent one (550) fails at once', async () => {
    const { h, sink, start } = await setup({ schedule: '0,0' })
    sink.refuseWith((rcpt, attempt) =>
      rcpt === 'later@example.com' && attempt === 1
        ? { code: 451, message: 'try again later' }
        : rcpt === 'nobody@example.com'
          ? { code: 550, message: 'no such user' }
          : undefined,
    )
    const later = (await h.api('POST', '/api/v1/emails', { to: 'later@example.com', subject: 'S', text: 'T' })).json()
    const never = (await h.api('POST', '/api/v1/emails', { to: 'nobody@example.com', subject: 'S', text: 'T' })).json()
    await start()
    await eventually(async () => (await statusOf(h, later.id)) === 'delivered', 10_000, 'retried delivery')
    await eventually(async () => (await statusOf(h, never.id)) === 'failed', 10_000, 'permanent failure')
    const retried = (await h.api('GET', `/api/v1/emails/${later.id}`)).json()
    expect(retried.attempt_count).toBe(2)
    expect(retried.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'deferred', 'sent', 'delivered'])
    expect(retried.events[1].detail).toContain('451')
    const failed = (await h.api('GET', `/api/v1/emails/${never.id}`)).json()
    expect(failed).toMatchObject({ attempt_count: 1, transport: null })
    expect(failed.last_error).toContain('550')
    expect(failed.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'failed'])
    expect(sink.messages.filter((m) => m.to.includes('later@example.com'))).toHaveLength(1)
    expect((await sink.messages[0]!.parse()).messageId).toBe(later.message_id)
    // The 550 "no such user" is a hard bounce (deliverability): the address is suppressed.
    expect((await h.eventTypes()).filter((t) => t.startsWith('email.')).sort()).toEqual([
      'email.delivered',
      'email.hard_bounced',
      'email.sent',
      'email.suppressed',
    ])
  })

  test('a message whose worker died mid-send is sent by the next worker once its lease expires, with the same Message-ID', async () => {
    const { h, sink, start } = await setup()
    const email = (await h.api('POST', '/api/v1/emails', { to: 'crash@example.com', subject: 'S', text: 'T' })).json()
    // A worker claims it with a short lease and dies without recording anything.
    const [claimed] = await claimDueEmails(h.deps.db, 'ew_dead', 10, 300, [h.org.id])
    expect(claimed!.id).toBe(email.id)
    expect(await claimDueEmails(h.deps.db, 'ew_other', 10, 300, [h.org.id])).toEqual([])
    await start()
    await sink.waitFor(1)
    expect((await sink.messages[0]!.parse()).messageId).toBe(email.message_id)
    await eventually(async () => (await statusOf(h, email.id)) === 'delivered')
    // The dead worker's late record is refused: its lease is gone.
    expect(await recordSend(h.deps.db, 'ew_dead', claimed!, { kind: 'failed', error: 'late' })).toBe(false)
    expect(await statusOf(h, email.id)).toBe('delivered')
    expect(sink.messages).toHaveLength(1)
  })

  test('test-mode messages go to the development mailbox even when an SMTP server is configured', async () => {
    const { h, sink, start } = await setup()
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const asTest = (method: 'GET' | 'POST', url: string, body?: object) =>
      h.app.inject({ method, url, headers: { authorization: `Bearer ${testKey}` }, ...(body ? { payload: body } : {}) })
    expect((await asTest('POST', '/api/v1/senders', { email: 'test@acme.example' })).statusCode).toBe(201)
    const email = (
      await asTest('POST', '/api/v1/emails', { to: 'sandbox@example.com', subject: 'S', text: 'T' })
    ).json()
    await start()
    await eventually(async () => (await asTest('GET', `/api/v1/emails/${email.id}`)).json().status === 'sent')
    const mailbox = (await asTest('GET', '/api/v1/mailbox')).json()
    expect(mailbox.data).toMatchObject([{ email_id: email.id, to: 'sandbox@example.com' }])
    expect(sink.messages).toHaveLength(0)
    expect((await h.api('GET', '/api/v1/mailbox')).json().data).toEqual([])
  })
})

describe('the development mailbox (no RAPPORT_SMTP_URL)', () => {
  test('keeps the raw message, marks it sent and never delivered, and lists it over the API', async () => {
    const { h, sink, start } = await setup({ smtp: false })
    expect(h.deps.mailer.kind).toBe('mailbox')
    const email = (
      await h.api('POST', '/api/v1/emails', { to: 'dev@example.com', subject: 'Dev', html: '<p>Hi <b>there</b></p>' })
    ).json()
    await start()
    await eventually(async () => (await statusOf(h, email.id)) === 'sent')
    const shown = (await h.api('GET', `/api/v1/emails/${email.id}`)).json()
    expect(shown).toMatchObject({ transport: 'mailbox', delivered_at: null })
    expect(shown.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'sent'])
    expect(await h.eventTypes()).toEqual(['email.sent'])
    const list = (await h.api('GET', '/api/v1/mailbox?to=DEV@example.com')).json()
    expect(list.pagination.total).toBe(1)
    expect(list.data[0]).toMatchObject({ email_id: email.id, subject: 'Dev', from: 'hello@acme.example' })
    expect(list.data[0].raw).toBeUndefined()
    const one = (await h.api('GET', `/api/v1/mailbox/${list.data[0].id}`)).json()
    expect(one.raw).toContain(`Message-ID: ${email.message_id}`)
    expect(one.raw).toContain('multipart/alternative')
    expect(sink.messages).toHaveLength(0)
  })
})

describe('email validation and scoping', () => {
  test('rejects what cannot be sent with 422 naming the field', async () => {
    const { h } = await setup()
    const cases: [object, string][] = [
      [{ to: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z', subject: 'S', text: 'T' }, 'to'],
      [{ to: 'not-an-address', subject: 'S', text: 'T' }, 'to'],
      [{ to: 'a@example.com', text: 'T' }, 'subject'],
      [{ to: 'a@example.com', subject: 'S' }, 'html'],
      [{ to: 'a@example.com', subject: 'S', text: 'T', template_id: 'etpl_x' }, 'template_id'],
      [{ to: 'a@example.com', subject: 'S', text: 'T', from: 'stranger@evil.example' }, 'from'],
    ]
    for (const [body, field] of cases) {
      const res = await h.api('POST', '/api/v1/emails', body)
      expect(res.statusCode, JSON.stringify(body)).toBe(422)
      expect(res.json().error.details[0].field).toBe(field)
    }
    const noEmail = (await h.api('POST', '/api/v1/contacts', { name: 'No Mail' })).json()
    const res = await h.api('POST', '/api/v1/emails', { to: noEmail.id, subject: 'S', text: 'T' })
    expect(res.json().error.details[0]).toMatchObject({ field: 'to', message: expect.stringContaining('no email') })
  })

  test('an organization without a default sender gets 422 on from', async () => {
    const h = await testApp()
    cleanups.push(h.close)
    const res = await h.api('POST', '/api/v1/emails', { to: 'a@example.com', subject: 'S', text: 'T' })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0].field).toBe('from')
  })

  test('another organization’s emails, senders and mailbox are invisible (404)', async () => {
    const { h } = await setup({ smtp: false })
    const email = (await h.api('POST', '/api/v1/emails', { to: 'a@example.com', subject: 'S', text: 'T' })).json()
    const other = await h.newOrg()
    const asOther = (url: string) =>
      h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${other.key}` } })
    expect((await asOther(`/api/v1/emails/${email.id}`)).statusCode).toBe(404)
    expect((await asOther('/api/v1/emails')).json().data).toEqual([])
    expect((await asOther('/api/v1/senders')).json().data).toEqual([])
  })
})

describe('/api/v1/senders', () => {
  test('the first sender is the default; making another default moves the flag; duplicates are 409', async () => {
    const { h } = await setup()
    const [first] = (await h.api('GET', '/api/v1/senders')).json().data
    expect(first).toMatchObject({ email: 'hello@acme.example', is_default: true, object: 'sender' })
    const second = await h.api('POST', '/api/v1/senders', { email: 'news@acme.example', is_default: true })
    expect(second.json()).toMatchObject({ is_default: true, name: null, reply_to: null })
    expect((await h.api('GET', `/api/v1/senders/${first.id}`)).json().is_default).toBe(false)
    const dup = await h.api('POST', '/api/v1/senders', { email: 'NEWS@acme.example' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error.code).toBe('already_exists')
    const patched = await h.api('PATCH', `/api/v1/senders/${first.id}`, { is_default: true, name: 'Acme Team' })
    expect(patched.json()).toMatchObject({ is_default: true, name: 'Acme Team' })
    expect((await h.api('GET', `/api/v1/senders/${second.json().id}`)).json().is_default).toBe(false)
    const email = (await h.api('POST', '/api/v1/emails', { to: 'x@example.com', subject: 'S', text: 'T' })).json()
    expect(email).toMatchObject({ from: 'hello@acme.example', from_name: 'Acme Team' })
    const byAddress = (
      await h.api('POST', '/api/v1/emails', { to: 'x@example.com', subject: 'S', text: 'T', from: 'News@acme.example' })
    ).json()
    expect(byAddress.from).toBe('news@acme.example')
    const deleted = await h.api('DELETE', `/api/v1/senders/${second.json().id}`)
    expect(deleted.json()).toEqual({ id: second.json().id, object: 'sender', deleted: true })
    expect((await h.api('GET', `/api/v1/senders/${second.json().id}`)).statusCode).toBe(404)
  })

  test('adding a sender needs the admin scope; reading needs read', async () => {
    const { h } = await setup()
    const key = await h.newKey(h.org.id, { scopes: ['read', 'write'] })
    const as = (method: 'GET' | 'POST', url: string, body?: object) =>
      h.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body ? { payload: body } : {}) })
    expect((await as('POST', '/api/v1/senders', { email: 'x@acme.example' })).statusCode).toBe(403)
    expect((await as('GET', '/api/v1/senders')).statusCode).toBe(200)
  })
})
