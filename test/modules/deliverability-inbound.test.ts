import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { newId } from '../../src/lib/ids.js'
import { DEFAULT_BREAKER_POLICY } from '../../src/modules/deliverability/breaker.js'
import type { IntakePolicy } from '../../src/modules/deliverability/inbound/intake.js'
import { startInboundListener } from '../../src/modules/deliverability/inbound/listener.js'
import { verpSignerFor } from '../../src/modules/deliverability/inbound/verp.js'
import { DEFAULT_DELIVERABILITY_POLICY } from '../../src/modules/deliverability/policy.js'
import { startEmailWorker } from '../../src/modules/email/emails.worker.js'
import { campaignRunnerFor } from '../../src/modules/email/index.js'
import { eventually } from '../delivery/fixtures.js'
import { type TestApp, testApp } from '../harness.js'
import { deliver, type FixtureValues, fixture, smtpDialog } from './deliverability-inbound-helpers.js'
import { startSmtpSink } from './email-sink.js'

/**
 * Intake path 2 of deliverability: every message leaves with a signed per-send return path, and
 * DSNs and feedback reports (fixtures written from RFC 3464 and RFC 5965) come back over real SMTP
 * to the inbound listener on loopback, which records them with the shared recorder.
 */

const DOMAIN = 'bounces.rapport.test'
let sink: Awaited<ReturnType<typeof startSmtpSink>>
beforeAll(async () => {
  sink = await startSmtpSink()
})
afterAll(async () => {
  await sink.close()
})

const inboundEnv = () => ({
  RAPPORT_SMTP_URL: sink.url,
  RAPPORT_SMTP_INBOUND: '127.0.0.1:0',
  RAPPORT_SMTP_INBOUND_DOMAIN: DOMAIN,
})

/** A worker sending the organization's mail (and its campaigns) to the sink; stopped after the test. */
async function startWorker(h: TestApp) {
  const worker = await startEmailWorker({
    db: h.deps.db,
    mailer: h.deps.mailer,
    log: h.app.log,
    retryScheduleSec: [],
    pollMs: 50,
    orgIds: [h.org.id],
    campaigns: campaignRunnerFor(h.deps, h.app.log, [h.org.id]),
    campaignTickMs: 50,
  })
  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= worker.stop(2000)
    return stopping
  }
  onTestFinished(stop)
  return { stop }
}

/** Sends one message through Rapport and waits until the sink has it and the send is recorded. */
async function sendOne(h: TestApp, to: string, address: string, subject = 'Spring news') {
  const res = await h.api('POST', '/api/v1/emails', { to, subject, text: 'Hello' })
  expect(res.statusCode).toBe(202)
  const id: string = res.json().id
  // nodemailer writes the header as X-Rapport-Email-ID.
  const sunkOf = () => sink.messages.find((m) => m.raw.toLowerCase().includes(`x-rapport-email-id: ${id}`))
  await eventually(async () => sunkOf() !== undefined, 15_000, `${id} at the sink`)
  await eventually(
    async () => (await h.api('GET', `/api/v1/emails/${id}`)).json().status !== 'queued',
    15_000,
    `${id} recorded as sent`,
  )
  const sunk = sunkOf()!
  const parsed = await sunk.parse()
  const values: FixtureValues = {
    VERP: sunk.from,
    TO: address,
    FROM: 'Acme News <news@acme.example>',
    SUBJECT: subject,
    MESSAGE_ID: parsed.messageId!,
    EMAIL_ID: id,
  }
  return { id, sunk, parsed, values }
}

/** An organization sending through the sink with the inbound listener on; its log lines are kept. */
async function inboundSetup(policy: IntakePolicy = DEFAULT_DELIVERABILITY_POLICY) {
  const h = await testApp({ env: inboundEnv() })
  expect((await h.api('POST', '/api/v1/senders', { email: 'news@acme.example', name: 'Acme News' })).statusCode).toBe(
    201,
  )
  const verp = verpSignerFor(h.deps.config)!
  const lines: Record<string, unknown>[] = []
  const log = Fastify({
    logger: { level: 'info', stream: { write: (line: string) => lines.push(JSON.parse(line)) } },
  }).log
  const listener = await startInboundListener({
    db: h.deps.db,
    log,
    verp,
    host: '127.0.0.1',
    port: 0,
    maxBytes: 256 * 1024,
    policy,
  })
  onTestFinished(() => listener.close())
  const worker = await startWorker(h)
  const reports = () => lines.filter((l) => l.msg === 'inbound report')
  return { h, verp, port: listener.port, lines, reports, worker }
}

async function bouncesOf(h: TestApp) {
  return h.deps.db.selectFrom('email_bounces').selectAll().where('org_id', '=', h.org.id).orderBy('id').execute()
}

async function eventsOf(h: TestApp, type: string) {
  const rows = await h.deps.db
    .selectFrom('events')
    .select(['data'])
    .where('org_id', '=', h.org.id)
    .where('type', '=', type)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.data as Record<string, unknown>)
}

async function suppressedOf(h: TestApp) {
  return (await h.api('GET', '/api/v1/suppressions')).json().data as { email: string; reason: string }[]
}

async function contact(h: TestApp, email: string) {
  const res = await h.api('POST', '/api/v1/contacts', { name: email, email })
  expect(res.statusCode).toBe(201)
  return res.json() as { id: string }
}

async function subscriptionOf(h: TestApp, contactId: string) {
  return (await h.api('GET', `/api/v1/contacts/${contactId}/email-subscription`)).json().status
}

describe('per-send return paths (VERP)', () => {
  test('with RAPPORT_SMTP_INBOUND set, each message leaves with its own signed return path as MAIL FROM; the From header is unchanged', async () => {
    const { h, verp } = await inboundSetup()
    const first = await sendOne(h, 'ann@example.com', 'ann@example.com')
    const second = await sendOne(h, 'bob@example.com', 'bob@example.com')
    expect(first.sunk.from).toBe(verp.returnPath(first.id))
    expect(first.sunk.from).toMatch(/^bounces\+em_[0-9a-z]{26}\.[0-9a-f]{20}@bounces\.rapport\.test$/)
    expect(first.sunk.from.split('@')[0]!.length).toBeLessThanOrEqual(64)
    expect(second.sunk.from).toBe(verp.returnPath(second.id))
    expect(second.sunk.from).not.toBe(first.sunk.from)
    expect(verp.emailIdOf(first.sunk.from)).toBe(first.id)
    expect(first.sunk.to).toEqual(['ann@example.com'])
    expect(first.parsed.from?.value[0]?.address).toBe('news@acme.example')
  })

  test('without RAPPORT_SMTP_INBOUND the envelope sender is the From address', async () => {
    const h = await testApp({ env: { RAPPORT_SMTP_URL: sink.url } })
    expect(verpSignerFor(h.deps.config)).toBeUndefined()
    await h.api('POST', '/api/v1/senders', { email: 'plain@acme.example', name: 'Acme' })
    await startWorker(h)
    const { sunk } = await sendOne(h, 'cat@example.com', 'cat@example.com')
    expect(sunk.from).toBe('plain@acme.example')
  })
})

describe('the inbound SMTP listener', () => {
  test('takes mail only for signed return paths: another domain, another local part, a tampered or foreign token get 550 5.1.1; no AUTH', async () => {
    const { port, verp } = await inboundSetup()
    const good = verp.returnPath(newId('email'))
    const at = good.indexOf('@')
    const lastMac = good[at - 1] === '0' ? '1' : '0'
    const tampered = `${good.slice(0, at - 1)}${lastMac}${good.slice(at)}`
    const otherId = good.replace(/em_[0-9a-z]{26}/, newId('email'))
    const [greeting, ehlo, auth, mailFrom, ...rcpts] = await smtpDialog(port, [
      'EHLO reporter.example.net',
      'AUTH PLAIN AHVzZXIAcGFzcw==',
      'MAIL FROM:<>',
      'RCPT TO:<postmaster@bounces.rapport.test>',
      'RCPT TO:<someone@example.org>',
      `RCPT TO:<${good.replace(DOMAIN, 'example.org')}>`,
      `RCPT TO:<${tampered}>`,
      `RCPT TO:<${otherId}>`,
      `RCPT TO:<${good.toUpperCase()}>`,
      `RCPT TO:<${good}>`,
    ])
    expect(greeting).toMatch(/^220 /)
    expect(ehlo).toMatch(/^250/)
    expect(ehlo).not.toMatch(/AUTH/)
    expect(ehlo).toMatch(/SIZE 262144/)
    expect(auth).toMatch(/^5\d\d /)
    expect(mailFrom).toMatch(/^250 /)
    expect(rcpts.slice(0, 5)).toEqual(Array(5).fill('550 5.1.1 No such recipient here'))
    expect(rcpts[5]).toMatch(/^250 /)
    expect(rcpts[6]).toMatch(/^250 /)
  })

  test('a 5.1.1 DSN records a hard bounce (source dsn) with its Diagnostic-Code, suppresses the address and marks its contact bounced; delivered again, it is recorded once', async () => {
    const { h, port, reports } = await inboundSetup()
    const person = await contact(h, 'gone@example.com')
    const sent = await sendOne(h, person.id, 'gone@example.com', 'March news')
    const dsn = fixture('dsn-hard-5.1.1.eml', sent.values)
    expect(await deliver(port, sent.values.VERP, dsn)).toMatch(/^250 /)

    const [bounce, ...more] = await bouncesOf(h)
    expect(more).toEqual([])
    expect(bounce).toMatchObject({
      email_id: sent.id,
      address: 'gone@example.com',
      kind: 'hard',
      category: 'bad_mailbox',
      return_code: 550,
      enhanced_code: '5.1.1',
      source: 'dsn',
    })
    expect(bounce!.smtp_description).toBe(
      '550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    )
    expect(await eventsOf(h, 'email.hard_bounced')).toEqual([
      expect.objectContaining({
        id: sent.id,
        email: 'gone@example.com',
        contact_id: person.id,
        category: 'bad_mailbox',
        return_code: 550,
        enhanced_code: '5.1.1',
        source: 'dsn',
        subject: 'March news',
      }),
    ])
    expect(await suppressedOf(h)).toEqual([
      expect.objectContaining({ email: 'gone@example.com', reason: 'hard_bounce' }),
    ])
    expect((await eventsOf(h, 'email.suppressed')).map((e) => e.email)).toEqual(['gone@example.com'])
    expect(await subscriptionOf(h, person.id)).toBe('bounced')

    // The reporting MTA did not see our 250 and sends the same DSN again.
    expect(await deliver(port, sent.values.VERP, dsn)).toMatch(/^250 /)
    expect(await bouncesOf(h)).toHaveLength(1)
    expect(await eventsOf(h, 'email.hard_bounced')).toHaveLength(1)
    expect(reports().map((r) => r.outcome)).toEqual(['recorded', 'duplicate'])
    expect(reports()[0]).toMatchObject({ email_id: sent.id, org_id: h.org.id, report: 'dsn', kind: 'hard' })

    // Nothing of it is visible to another organization or in test mode.
    const other = await h.newOrg()
    const asOther = { authorization: `Bearer ${other.key}` }
    expect((await h.api('GET', '/api/v1/suppressions', undefined, asOther)).json().data).toEqual([])
    const testKey = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    expect((await h.api('GET', '/api/v1/suppressions', undefined, testKey)).json().data).toEqual([])
  })

  test('a 5.2.2 mailbox-full DSN is a soft bounce that does not suppress; a 5.7.1 DMARC rejection is a policy soft bounce that never suppresses', async () => {
    const { h, port } = await inboundSetup()
    const full = await sendOne(h, 'full@example.com', 'full@example.com')
    const strict = await sendOne(h, 'strict@example.com', 'strict@example.com')
    expect(await deliver(port, full.values.VERP, fixture('dsn-mailbox-full-5.2.2.eml', full.values))).toMatch(/^250 /)
    expect(await deliver(port, strict.values.VERP, fixture('dsn-policy-5.7.1.eml', strict.values))).toMatch(/^250 /)

    const byAddress = Object.fromEntries((await bouncesOf(h)).map((b) => [b.address, b]))
    expect(byAddress['full@example.com']).toMatchObject({
      email_id: full.id,
      kind: 'soft',
      category: 'mailbox_full',
      return_code: 552,
      enhanced_code: '5.2.2',
      source: 'dsn',
      smtp_description: '552 5.2.2 The email account that you tried to reach is over quota.',
    })
    expect(byAddress['strict@example.com']).toMatchObject({
      email_id: strict.id,
      kind: 'soft',
      category: 'policy',
      return_code: 554,
      enhanced_code: '5.7.1',
      source: 'dsn',
    })
    expect((await eventsOf(h, 'email.soft_bounced')).map((e) => [e.email, e.category, e.source]).sort()).toEqual([
      ['full@example.com', 'mailbox_full', 'dsn'],
      ['strict@example.com', 'policy', 'dsn'],
    ])
    expect(await suppressedOf(h)).toEqual([])
  })

  test('a multi-recipient DSN records only the block for the address of our send', async () => {
    const { h, port } = await inboundSetup()
    const sent = await sendOne(h, 'nowhere@example.invalid', 'nowhere@example.invalid')
    expect(await deliver(port, sent.values.VERP, fixture('dsn-multi-recipient.eml', sent.values))).toMatch(/^250 /)
    const bounces = await bouncesOf(h)
    expect(bounces).toHaveLength(1)
    expect(bounces[0]).toMatchObject({
      address: 'nowhere@example.invalid',
      kind: 'hard',
      category: 'bad_domain',
      enhanced_code: '5.1.2',
      return_code: null,
      source: 'dsn',
    })
    expect(bounces[0]!.smtp_description).toContain('Host or domain name not found')
    expect((await suppressedOf(h)).map((s) => s.email)).toEqual(['nowhere@example.invalid'])
  })

  test('a delayed DSN, a DSN about a message we did not send, and a report for a signed but unknown send record nothing', async () => {
    const { h, port, verp, reports } = await inboundSetup()
    const sent = await sendOne(h, 'later@example.com', 'later@example.com')
    expect(await deliver(port, sent.values.VERP, fixture('dsn-delayed.eml', sent.values))).toMatch(/^250 /)
    expect(await deliver(port, sent.values.VERP, fixture('dsn-not-our-message.eml', sent.values))).toMatch(/^250 /)
    const unknown = verp.returnPath(newId('email'))
    expect(await deliver(port, unknown, fixture('dsn-hard-5.1.1.eml', { ...sent.values, VERP: unknown }))).toMatch(
      /^250 /,
    )

    expect(await bouncesOf(h)).toEqual([])
    expect(await suppressedOf(h)).toEqual([])
    expect(await eventsOf(h, 'email.hard_bounced')).toEqual([])
    expect(await eventsOf(h, 'email.soft_bounced')).toEqual([])
    expect(reports().map((r) => [r.outcome, r.reason])).toEqual([
      ['ignored', 'action delayed'],
      ['not_our_message', undefined],
      ['unknown_email', undefined],
    ])
  })

  test('a DSN returning no headers is taken on its signed return path; one whose returned Message-ID (without our header) is another message records nothing', async () => {
    const { h, port, reports } = await inboundSetup()
    const bare = await sendOne(h, 'bare@example.com', 'bare@example.com')
    const other = await sendOne(h, 'other@example.com', 'other@example.com')
    const withoutHeaders = (values: FixtureValues) => {
      const text = fixture('dsn-hard-5.1.1.eml', values).toString('utf8')
      const boundary = '--4XyZ1a2b3c.1748941964/mx-out.mail.example.net'
      const parts = text.split(boundary)
      // Preamble, notification, delivery status; the returned headers left out.
      return Buffer.from(`${parts.slice(0, 3).join(boundary)}${boundary}--\r\n`)
    }
    expect(await deliver(port, bare.values.VERP, withoutHeaders(bare.values))).toMatch(/^250 /)
    const messageIdOnly = fixture('dsn-hard-5.1.1.eml', {
      ...other.values,
      MESSAGE_ID: '<someone-else@elsewhere.example>',
    })
      .toString('utf8')
      .replace(/X-Rapport-Email-Id: [^\r]*\r\n/, '')
    expect(await deliver(port, other.values.VERP, Buffer.from(messageIdOnly))).toMatch(/^250 /)

    expect((await bouncesOf(h)).map((b) => [b.address, b.kind])).toEqual([['bare@example.com', 'hard']])
    expect(reports().map((r) => r.outcome)).toEqual(['recorded', 'not_our_message'])
  })

  test('an ARF abuse report is a complaint (source arf): the address is suppressed and its contact marked complained', async () => {
    const { h, port } = await inboundSetup()
    const person = await contact(h, 'angry@example.com')
    const sent = await sendOne(h, person.id, 'angry@example.com', 'Our spring offers')
    expect(await deliver(port, sent.values.VERP, fixture('arf-abuse.eml', sent.values))).toMatch(/^250 /)

    expect(await bouncesOf(h)).toEqual([
      expect.objectContaining({
        email_id: sent.id,
        address: 'angry@example.com',
        kind: 'complaint',
        category: 'complaint',
        source: 'arf',
        smtp_description: 'abuse (ExampleISP-FBL/2.1)',
        return_code: null,
      }),
    ])
    expect(await eventsOf(h, 'email.complained')).toEqual([
      expect.objectContaining({
        id: sent.id,
        email: 'angry@example.com',
        contact_id: person.id,
        category: 'complaint',
        source: 'arf',
        subject: 'Our spring offers',
      }),
    ])
    expect(await suppressedOf(h)).toEqual([
      expect.objectContaining({ email: 'angry@example.com', reason: 'complaint' }),
    ])
    expect((await eventsOf(h, 'email.suppressed')).map((e) => e.reason)).toEqual(['complaint'])
    expect(await subscriptionOf(h, person.id)).toBe('complained')
  })

  test('an out-of-office auto-reply is accepted and ignored', async () => {
    const { h, port, reports } = await inboundSetup()
    const sent = await sendOne(h, 'away@example.com', 'away@example.com')
    const reply = fixture('auto-reply-out-of-office.eml', sent.values)
    expect(await deliver(port, sent.values.VERP, reply, 'jane@example.com')).toMatch(/^250 /)
    expect(await bouncesOf(h)).toEqual([])
    expect(reports()).toEqual([
      expect.objectContaining({
        email_id: sent.id,
        outcome: 'ignored',
        reason: 'auto_reply',
        mail_from: 'jane@example.com',
      }),
    ])
  })

  test('malformed MIME is accepted and logged, an oversized message is refused with 552, and the listener keeps recording', async () => {
    const { h, port, lines } = await inboundSetup()
    const sent = await sendOne(h, 'robust@example.com', 'robust@example.com')
    const rcpt = sent.values.VERP
    expect(await deliver(port, rcpt, fixture('malformed.eml', sent.values))).toMatch(/^250 /)
    // More MIME parts than the parser takes (1,000): it fails, the listener does not.
    const parts = Array.from({ length: 1100 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\n${i}\r\n`).join('')
    const tooManyParts = Buffer.from(
      `From: x@example.net\r\nTo: ${rcpt}\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}--b--\r\n`,
    )
    expect(await deliver(port, rcpt, tooManyParts)).toMatch(/^250 /)
    expect(lines.some((l) => l.msg === 'inbound report: malformed MIME, ignored')).toBe(true)
    // Larger than the limit (256 KiB here), sent without declaring its size.
    const huge = `From: x@example.net\r\nSubject: big\r\n\r\n${`${'x'.repeat(76)}\r\n`.repeat(4000)}.`
    const replies = await smtpDialog(port, [
      'EHLO reporter.example.net',
      'MAIL FROM:<>',
      `RCPT TO:<${rcpt}>`,
      'DATA',
      huge,
    ])
    expect(replies.slice(3)).toEqual([
      expect.stringMatching(/^250 /),
      expect.stringMatching(/^354 /),
      expect.stringMatching(/^552 5\.3\.4 /),
    ])
    expect(await bouncesOf(h)).toEqual([])

    expect(await deliver(port, rcpt, fixture('dsn-hard-5.1.1.eml', sent.values))).toMatch(/^250 /)
    expect((await bouncesOf(h)).map((b) => b.kind)).toEqual(['hard'])
  })
  test('a complaint about a message of a running campaign trips the reputation breaker: the campaign pauses itself (complaint_rate)', async () => {
    const { h, port, reports, worker } = await inboundSetup({
      ...DEFAULT_DELIVERABILITY_POLICY,
      breaker: { ...DEFAULT_BREAKER_POLICY, minSample: 1 },
    })
    const ids = [(await contact(h, 'reader0@example.com')).id, (await contact(h, 'reader1@example.com')).id]
    const list = (await h.api('POST', '/api/v1/email-lists', { name: 'Readers' })).json()
    await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: ids })
    const campaign = (
      await h.api('POST', '/api/v1/campaigns', { name: 'June', subject: 'June news', text: 'Hi', list_ids: [list.id] })
    ).json()
    expect((await h.api('POST', `/api/v1/campaigns/${campaign.id}/schedule`, {})).statusCode).toBe(200)
    const statusOf = async () => (await h.api('GET', `/api/v1/campaigns/${campaign.id}`)).json().status
    await eventually(async () => (await statusOf()) === 'completed', 15_000, 'campaign completed')
    // The report arrives while the campaign is still sending (here: set back to sending, with the
    // worker stopped so that it does not complete it again first).
    await worker.stop()
    await h.deps.db.updateTable('email_campaigns').set({ status: 'sending' }).where('id', '=', campaign.id).execute()
    const sunk = sink.messages.find((m) => m.to.includes('reader0@example.com') && m.raw.includes('June news'))!
    const parsed = await sunk.parse()
    const emailId = String(parsed.headers.get('x-rapport-email-id'))
    const values = {
      VERP: sunk.from,
      TO: 'reader0@example.com',
      FROM: 'Acme News <news@acme.example>',
      SUBJECT: 'June news',
      MESSAGE_ID: parsed.messageId!,
      EMAIL_ID: emailId,
    }
    expect(await deliver(port, sunk.from, fixture('arf-abuse.eml', values))).toMatch(/^250 /)

    expect(await statusOf()).toBe('paused')
    expect(await eventsOf(h, 'campaign.paused')).toEqual([
      expect.objectContaining({ id: campaign.id, reason: 'complaint_rate' }),
    ])
    expect(reports()).toEqual([
      expect.objectContaining({ email_id: emailId, outcome: 'recorded', kind: 'complaint', paused: 'complaint_rate' }),
    ])
    expect((await bouncesOf(h))[0]).toMatchObject({ campaign_id: campaign.id, kind: 'complaint', source: 'arf' })
  })
})
