import { describe, expect, test } from 'vitest'
import { testApp } from '../harness.js'
import {
  bouncesOf,
  clock,
  createHook,
  eventsOf,
  fakeFetch,
  mailgunSignature,
  NOW_MS,
  post,
  sendgridPair,
  sentEmail,
} from './deliverability-providers-fixtures.js'

async function app() {
  const h = await testApp({ clock })
  h.deps.providerFetch = fakeFetch
  return h
}

const NOW_SEC = Math.floor(NOW_MS / 1000)

describe('POST /hooks/email/sendgrid/{token} (signed event webhook)', () => {
  test('a signed batch records bounces, blocks, deferrals, drops and spam reports by the same classification; engagement events and a retry record nothing', async () => {
    const h = await app()
    const { verificationKey, signBody } = sendgridPair()
    const hook = await createHook(h, { provider: 'sendgrid', verification_key: verificationKey })
    const [bounced, blocked, deferred, reported, dropped, dmarc] = await Promise.all(
      ['b@example.com', 'blk@example.com', 'd@example.com', 's@example.com', 'drop@example.com', 'dm@example.com'].map(
        (to) => sentEmail(h, to),
      ),
    )
    const batch = [
      {
        email: bounced!.to_email,
        event: 'bounce',
        type: 'bounce',
        sg_event_id: 'e1',
        'smtp-id': bounced!.message_id,
        status: '5.1.1',
        reason: '550 5.1.1 The email account that you tried to reach does not exist',
      },
      {
        email: blocked!.to_email,
        event: 'bounce',
        type: 'blocked',
        sg_event_id: 'e2',
        rapport_email_id: blocked!.id,
        status: '5.7.1',
        reason: '554 5.7.1 Message rejected due to DMARC policy',
      },
      {
        email: deferred!.to_email,
        event: 'deferred',
        sg_event_id: 'e3',
        rapport_email_id: deferred!.id,
        response: '450 4.2.1 Mailbox busy, try again later',
        attempt: '1',
      },
      { email: reported!.to_email, event: 'spamreport', sg_event_id: 'e4', rapport_email_id: reported!.id },
      {
        email: dropped!.to_email,
        event: 'dropped',
        sg_event_id: 'e5',
        rapport_email_id: dropped!.id,
        reason: 'Bounced Address',
      },
      { email: bounced!.to_email, event: 'delivered', sg_event_id: 'e6', rapport_email_id: bounced!.id },
      {
        email: dmarc!.to_email,
        event: 'bounce',
        type: 'bounce',
        sg_event_id: 'e8',
        rapport_email_id: dmarc!.id,
        status: '5.7.1',
        reason: '550 5.7.1 Rejected by DMARC policy',
      },
      {
        email: 'stranger@example.com',
        event: 'bounce',
        type: 'bounce',
        sg_event_id: 'e7',
        'smtp-id': '<abc@elsewhere.example>',
      },
    ]
    const body = JSON.stringify(batch)
    const timestamp = String(NOW_SEC)
    const headers = {
      'x-twilio-email-event-webhook-signature': signBody(timestamp, body),
      'x-twilio-email-event-webhook-timestamp': timestamp,
    }
    const res = await post(h, hook.path, body, headers)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ received: 7, recorded: 6 })
    expect((await post(h, hook.path, body, headers)).json()).toEqual({ received: 7, recorded: 0 })

    const bounces = await bouncesOf(h)
    const byEmail = Object.fromEntries(bounces.map((b) => [b.email_id, [b.kind, b.category, b.return_code, b.source]]))
    expect(byEmail).toEqual({
      [bounced!.id]: ['hard', 'bad_mailbox', 550, 'sendgrid'],
      [blocked!.id]: ['soft', 'policy', 554, 'sendgrid'],
      [deferred!.id]: ['soft', 'transient', 450, 'sendgrid'],
      [reported!.id]: ['complaint', 'complaint', null, 'sendgrid'],
      [dropped!.id]: ['hard', 'bad_mailbox', null, 'sendgrid'],
      // A permanent bounce for policy (DMARC) says nothing about the address: soft, never suppressed.
      [dmarc!.id]: ['soft', 'policy', 550, 'sendgrid'],
    })
    const suppressed = (await h.api('GET', '/api/v1/suppressions')).json().data
    expect(suppressed.map((s: { email: string }) => s.email).sort()).toEqual([
      'b@example.com',
      'drop@example.com',
      's@example.com',
    ])
    expect(await eventsOf(h, 'email.soft_bounced')).toHaveLength(3)
  })

  test('a forged signature, a body changed after signing, or no signature is a 401 with nothing recorded', async () => {
    const h = await app()
    const { verificationKey, signBody } = sendgridPair()
    const forger = sendgridPair()
    const hook = await createHook(h, { provider: 'sendgrid', verification_key: verificationKey })
    const email = await sentEmail(h, 'x@example.com')
    const body = JSON.stringify([
      { email: 'x@example.com', event: 'spamreport', sg_event_id: 'f1', rapport_email_id: email.id },
    ])
    const ts = String(NOW_SEC)
    const attempts: Record<string, string>[] = [
      {
        'x-twilio-email-event-webhook-signature': forger.signBody(ts, body),
        'x-twilio-email-event-webhook-timestamp': ts,
      },
      {
        'x-twilio-email-event-webhook-signature': signBody(ts, body.replace('spamreport', 'bounce')),
        'x-twilio-email-event-webhook-timestamp': ts,
      },
      {
        'x-twilio-email-event-webhook-signature': signBody(ts, body),
        'x-twilio-email-event-webhook-timestamp': String(NOW_SEC + 1),
      },
      {},
    ]
    for (const headers of attempts) expect((await post(h, hook.path, body, headers)).statusCode).toBe(401)
    expect(await bouncesOf(h)).toEqual([])
  })
})

describe('POST /hooks/email/postmark/{token} (basic auth)', () => {
  test('with the hook’s credentials a HardBounce is hard, a SoftBounce soft and a SpamComplaint a complaint; without them a 401 asking for basic auth', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'postmark' })
    const auth = { authorization: `Basic ${Buffer.from(`${hook.username}:${hook.password}`).toString('base64')}` }
    const [hard, soft, spam] = await Promise.all(
      ['h@example.com', 's@example.com', 'c@example.com'].map((to) => sentEmail(h, to)),
    )
    const bounce = (id: number, type: string, email: typeof hard, details: string) => ({
      RecordType: 'Bounce',
      ID: id,
      Type: type,
      TypeCode: 1,
      MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
      Details: details,
      Email: email!.to_email,
      Metadata: { rapport_email_id: email!.id },
      BouncedAt: '2027-03-01T11:59:00Z',
    })
    const noAuth = await post(h, hook.path, bounce(1, 'HardBounce', hard, 'smtp;550 5.1.1 unknown user'))
    expect(noAuth.statusCode).toBe(401)
    expect(noAuth.headers['www-authenticate']).toMatch(/^Basic /)
    const wrong = { authorization: `Basic ${Buffer.from(`${hook.username}:not-it`).toString('base64')}` }
    expect((await post(h, hook.path, bounce(1, 'HardBounce', hard, 'x'), wrong)).statusCode).toBe(401)
    expect(await bouncesOf(h)).toEqual([])

    expect(
      (
        await post(h, hook.path, bounce(1, 'HardBounce', hard, 'smtp;550 5.1.1 The email account does not exist'), auth)
      ).json(),
    ).toEqual({ received: 1, recorded: 1 })
    expect(
      (await post(h, hook.path, bounce(2, 'SoftBounce', soft, 'smtp;452 4.2.2 Mailbox full'), auth)).json(),
    ).toEqual({ received: 1, recorded: 1 })
    const complaint = {
      RecordType: 'SpamComplaint',
      ID: 3,
      Type: 'SpamComplaint',
      Email: spam!.to_email,
      Content: `Return-Path: <x>\nMessage-ID: ${spam!.message_id}\nSubject: Spring news\n`,
    }
    expect((await post(h, hook.path, complaint, auth)).json()).toEqual({ received: 1, recorded: 1 })
    expect(
      (
        await post(h, hook.path, { RecordType: 'Bounce', ID: 4, Type: 'AutoResponder', Email: 'h@example.com' }, auth)
      ).json(),
    ).toEqual({ received: 0, recorded: 0 })

    const kinds = (await bouncesOf(h)).map((b) => [b.email_id, b.kind, b.category, b.source])
    expect(kinds).toEqual([
      [hard!.id, 'hard', 'bad_mailbox', 'postmark'],
      [soft!.id, 'soft', 'mailbox_full', 'postmark'],
      [spam!.id, 'complaint', 'complaint', 'postmark'],
    ])
  })
})

describe('POST /hooks/email/mailgun/{token} (signed webhooks)', () => {
  const SIGNING_KEY = 'key-0a1b2c3d4e5f60718293a4b5c6d7e8f9'
  const failed = (
    email: { id: string; to_email: string; message_id: string },
    severity: string,
    code: number,
    message: string,
    id: string,
  ) => ({
    'event-data': {
      id,
      event: 'failed',
      severity,
      recipient: email.to_email,
      timestamp: NOW_SEC - 10,
      'delivery-status': { code, message, description: '' },
      message: { headers: { 'message-id': email.message_id.slice(1, -1), subject: 'Spring news' } },
    },
  })

  test('a signed permanent failure is hard, a temporary one soft, a complaint a complaint', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'mailgun', signing_key: SIGNING_KEY })
    const [perm, temp, comp] = await Promise.all(
      ['p@example.com', 't@example.com', 'c@example.com'].map((to) => sentEmail(h, to)),
    )
    const send = (body: object, token: string) =>
      post(h, hook.path, { ...body, signature: mailgunSignature(SIGNING_KEY, NOW_SEC - 5, token) })
    expect(
      (
        await send(
          failed(perm!, 'permanent', 550, '5.1.1 The email account that you tried to reach does not exist', 'mg-1'),
          'tok-1',
        )
      ).json(),
    ).toEqual({ received: 1, recorded: 1 })
    expect((await send(failed(temp!, 'temporary', 421, '4.4.2 Connection timed out', 'mg-2'), 'tok-2')).json()).toEqual(
      { received: 1, recorded: 1 },
    )
    const complained = {
      'event-data': {
        id: 'mg-3',
        event: 'complained',
        recipient: comp!.to_email,
        'user-variables': { rapport_email_id: comp!.id },
      },
    }
    expect((await send(complained, 'tok-3')).json()).toEqual({ received: 1, recorded: 1 })
    expect((await bouncesOf(h)).map((b) => [b.email_id, b.kind, b.category, b.return_code, b.source])).toEqual([
      [perm!.id, 'hard', 'bad_mailbox', 550, 'mailgun'],
      [temp!.id, 'soft', 'transient', 421, 'mailgun'],
      [comp!.id, 'complaint', 'complaint', null, 'mailgun'],
    ])
  })

  test('a subaccount’s event verifies by its parent-signature when the hook holds the primary account’s key', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'mailgun', signing_key: SIGNING_KEY })
    const email = await sentEmail(h, 'sub@example.com')
    const own = mailgunSignature('key-subaccount-0000000000', NOW_SEC, 'tok-sub')
    const parent = mailgunSignature(SIGNING_KEY, NOW_SEC, 'tok-sub').signature
    const body = failed(email, 'permanent', 550, '5.1.1 no such user', 'mg-sub')
    expect((await post(h, hook.path, { ...body, signature: own })).statusCode).toBe(401)
    const res = await post(h, hook.path, { ...body, signature: { ...own, 'parent-signature': parent } })
    expect(res.json()).toEqual({ received: 1, recorded: 1 })
  })

  test('refuses a wrong key, a timestamp outside five minutes of the clock, and a reused token, with nothing recorded', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'mailgun', signing_key: SIGNING_KEY })
    const email = await sentEmail(h, 'r@example.com')
    const body = failed(email, 'permanent', 550, '5.1.1 no such user', 'mg-r1')
    const wrongKey = await post(h, hook.path, {
      ...body,
      signature: mailgunSignature('key-someone-else-000000', NOW_SEC, 'tok-a'),
    })
    expect(wrongKey.statusCode).toBe(401)
    const stale = await post(h, hook.path, {
      ...body,
      signature: mailgunSignature(SIGNING_KEY, NOW_SEC - 301, 'tok-b'),
    })
    expect(stale.statusCode).toBe(401)
    const early = await post(h, hook.path, {
      ...body,
      signature: mailgunSignature(SIGNING_KEY, NOW_SEC + 301, 'tok-c'),
    })
    expect(early.statusCode).toBe(401)
    expect(await bouncesOf(h)).toEqual([])

    const signature = mailgunSignature(SIGNING_KEY, NOW_SEC - 1, 'tok-once')
    expect((await post(h, hook.path, { ...body, signature })).json()).toEqual({ received: 1, recorded: 1 })
    const other = await sentEmail(h, 'r2@example.com')
    const replay = await post(h, hook.path, {
      ...failed(other, 'permanent', 550, '5.1.1 no such user', 'mg-r2'),
      signature,
    })
    expect(replay.statusCode).toBe(401)
    expect(replay.json().error.message).toMatch(/already used/)
    expect((await bouncesOf(h)).map((b) => b.email_id)).toEqual([email.id])
  })
})
