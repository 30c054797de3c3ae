import { sql } from 'kysely'
import { beforeEach, describe, expect, test } from 'vitest'
import { newId } from '../../src/lib/ids.js'
import { testApp } from '../harness.js'
import {
  bouncesOf,
  CERT_URL,
  clock,
  createHook,
  eventsOf,
  fakeFetch,
  fetched,
  otherRsaKey,
  post,
  SUBSCRIBE_URL,
  sentEmail,
  snsMessage,
  TOPIC,
} from './deliverability-providers-fixtures.js'

/** The file's app (shared by its tests), with the fake network: SNS certificates and confirmations. */
async function app() {
  const h = await testApp({ clock })
  h.deps.providerFetch = fakeFetch
  return h
}

beforeEach(() => {
  fetched.length = 0
})

const sesNotification = (messageId: string, message: object, opts: Parameters<typeof snsMessage>[1] = {}) =>
  snsMessage(
    {
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: TOPIC,
      Message: JSON.stringify(message),
      Timestamp: '2027-03-01T11:59:58.000Z',
    },
    opts,
  )

const mailOf = (email: { id: string; message_id: string; to_email: string }) => ({
  timestamp: '2027-03-01T11:59:50.000Z',
  source: 'news@acme.example',
  messageId: '0100018e-ses-own-id',
  destination: [email.to_email],
  headersTruncated: false,
  headers: [
    { name: 'Message-ID', value: email.message_id },
    { name: 'X-Rapport-Email-Id', value: email.id },
  ],
  commonHeaders: { messageId: email.message_id, subject: 'Spring news' },
})

describe('/api/v1/email/provider_hooks', () => {
  test('registers a hook per provider, answers its URL and secrets once, keeps the secrets sealed, lists, gets and deletes it', async () => {
    const h = await app()
    const ses = await createHook(h, { provider: 'ses', description: 'Production SES', topic_arn: TOPIC })
    expect(ses.url).toMatch(/^http:\/\/[^/]+\/hooks\/email\/ses\/[A-Za-z0-9_-]{43}$/)
    expect(ses).toMatchObject({ object: 'email_provider_hook', provider: 'ses', topic_arn: TOPIC, livemode: true })

    const mailgun = await createHook(h, { provider: 'mailgun', signing_key: 'key-mailgun-0123456789abcdef' })
    expect(mailgun).toMatchObject({ secret_hint: '…cdef' })
    const postmark = await createHook(h, { provider: 'postmark' })
    const url = new URL(postmark.url)
    expect(url.username).toMatch(/^rapport-[0-9a-f]{8}$/)
    expect(url.password).toBe(postmark.password)

    const stored = await h.deps.db
      .selectFrom('email_provider_hooks')
      .selectAll()
      .where('id', 'in', [ses.id, mailgun.id, postmark.id])
      .execute()
    for (const hook of [ses, mailgun, postmark]) {
      const row = JSON.stringify(stored.find((r) => r.id === hook.id))
      expect(row).not.toContain(hook.path.split('/').pop())
      expect(row).not.toContain('key-mailgun-0123456789abcdef')
      expect(row).not.toContain(postmark.password)
    }
    expect(stored.find((r) => r.id === postmark.id)!.secret_sealed).toMatch(/^v1\./)
    expect(h.deps.secretBox.open(stored.find((r) => r.id === mailgun.id)!.secret_sealed!)).toBe(
      'key-mailgun-0123456789abcdef',
    )

    const got = (await h.api('GET', `/api/v1/email/provider_hooks/${postmark.id}`)).json()
    expect(got.url).toBeUndefined()
    expect(got.password).toBeUndefined()
    expect(got.url_hint).toContain('/hooks/email/postmark/')
    expect(got.secret_hint).toBe(`…${postmark.password!.slice(-4)}`)

    const page = (await h.api('GET', '/api/v1/email/provider_hooks?limit=2')).json()
    expect(page.data.map((x: { id: string }) => x.id)).toEqual([postmark.id, mailgun.id])
    expect(page.pagination).toMatchObject({ total: 3, has_more: true })

    expect((await h.api('DELETE', `/api/v1/email/provider_hooks/${ses.id}`)).statusCode).toBe(200)
    expect((await h.api('GET', `/api/v1/email/provider_hooks/${ses.id}`)).statusCode).toBe(404)
    expect((await post(h, ses.path, {})).statusCode).toBe(404)
  })

  test('refuses settings a provider lacks or needs, and a verification key that is not a P-256 public key, naming the field', async () => {
    const h = await app()
    const cases: [object, string][] = [
      [{ provider: 'sendgrid' }, 'verification_key'],
      [{ provider: 'mailgun' }, 'signing_key'],
      [{ provider: 'mailgun', signing_key: 'key-0123456789', topic_arn: TOPIC }, 'topic_arn'],
      [{ provider: 'postmark', signing_key: 'key-0123456789' }, 'signing_key'],
      [{ provider: 'sendgrid', verification_key: Buffer.alloc(64, 7).toString('base64') }, 'verification_key'],
    ]
    for (const [body, field] of cases) {
      const res = await h.api('POST', '/api/v1/email/provider_hooks', body)
      expect(res.statusCode, JSON.stringify(body)).toBe(422)
      expect(res.json().error.details[0].field).toBe(field)
    }
  })

  test('writes need the admin scope; another organization or mode sees none of the hooks', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'postmark' })
    const writer = await h.newKey(h.org.id, { scopes: ['read', 'write'] })
    const refused = await h.api(
      'POST',
      '/api/v1/email/provider_hooks',
      { provider: 'postmark' },
      {
        authorization: `Bearer ${writer}`,
      },
    )
    expect(refused.statusCode).toBe(403)
    expect(
      (await h.api('GET', '/api/v1/email/provider_hooks', undefined, { authorization: `Bearer ${writer}` })).statusCode,
    ).toBe(200)

    const other = await h.newOrg()
    const auth = { authorization: `Bearer ${other.key}` }
    expect((await h.api('GET', `/api/v1/email/provider_hooks/${hook.id}`, undefined, auth)).statusCode).toBe(404)
    expect((await h.api('DELETE', `/api/v1/email/provider_hooks/${hook.id}`, undefined, auth)).statusCode).toBe(404)
    const testKey = await h.newKey(h.org.id, { mode: 'test' })
    const testList = await h.api('GET', '/api/v1/email/provider_hooks', undefined, {
      authorization: `Bearer ${testKey}`,
    })
    expect(testList.json().data).toEqual([])
  })
})

describe('POST /hooks/email/ses/{token} (Amazon SES through SNS)', () => {
  test('confirms the SNS subscription by fetching its SubscribeURL and pins the topic', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'ses' })
    const confirmation = snsMessage({
      Type: 'SubscriptionConfirmation',
      MessageId: 'b6b3a0a4-confirm',
      Token: '2336412f37fb',
      TopicArn: TOPIC,
      Message: `You have chosen to subscribe to the topic ${TOPIC}.`,
      SubscribeURL: SUBSCRIBE_URL,
      Timestamp: '2027-03-01T11:59:00.000Z',
    })
    const res = await post(h, hook.path, confirmation, { 'content-type': 'text/plain; charset=UTF-8' })
    expect(res.statusCode, res.body).toBe(200)
    // The certificate may come from the cache of an earlier test; the confirmation is fetched once.
    expect(fetched.filter((url) => url !== CERT_URL)).toEqual([SUBSCRIBE_URL])
    const shown = (await h.api('GET', `/api/v1/email/provider_hooks/${hook.id}`)).json()
    expect(shown.topic_arn).toBe(TOPIC)
    expect(shown.confirmed_at).not.toBeNull()
    expect(shown.last_received_at).not.toBeNull()
  })

  test('a permanent bounce is a hard bounce that suppresses, a mailbox-full transient one a soft bounce, a complaint unsubscribes; both signature versions; a retry records nothing twice', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'ses', topic_arn: TOPIC })
    const contact = (await h.api('POST', '/api/v1/contacts', { email: 'angry@example.com' })).json()
    const gone = await sentEmail(h, 'gone@example.com')
    const full = await sentEmail(h, 'full@example.com')
    const angry = await sentEmail(h, 'angry@example.com', { contactId: contact.id })

    const bounce = sesNotification('sns-1', {
      notificationType: 'Bounce',
      mail: mailOf(gone),
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          {
            emailAddress: 'gone@example.com',
            status: '5.1.1',
            action: 'failed',
            diagnosticCode: 'smtp; 550 5.1.1 <gone@example.com>: user unknown',
          },
        ],
        feedbackId: 'fb-1',
      },
    })
    const first = await post(h, hook.path, bounce, { 'content-type': 'text/plain; charset=UTF-8' })
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json()).toEqual({ received: 1, recorded: 1 })
    expect((await post(h, hook.path, bounce)).json()).toEqual({ received: 1, recorded: 0 })

    const soft = sesNotification(
      'sns-2',
      {
        notificationType: 'Bounce',
        mail: mailOf(full),
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          bouncedRecipients: [{ emailAddress: 'full@example.com' }],
        },
      },
      { version: '1' },
    )
    expect((await post(h, hook.path, soft)).json()).toEqual({ received: 1, recorded: 1 })
    const complaint = sesNotification('sns-3', {
      notificationType: 'Complaint',
      mail: { ...mailOf(angry), headers: [{ name: 'Message-ID', value: angry.message_id }] },
      complaint: { complainedRecipients: [{ emailAddress: 'angry@example.com' }], complaintFeedbackType: 'abuse' },
    })
    expect((await post(h, hook.path, complaint)).json()).toEqual({ received: 1, recorded: 1 })

    // Four verified messages, one certificate fetch at most (none when an earlier test cached it).
    expect(fetched.filter((url) => url === CERT_URL).length).toBeLessThanOrEqual(1)
    const bounces = await bouncesOf(h)
    expect(bounces.map((b) => [b.email_id, b.kind, b.category, b.return_code, b.enhanced_code, b.source])).toEqual([
      [gone.id, 'hard', 'bad_mailbox', 550, '5.1.1', 'ses'],
      [full.id, 'soft', 'mailbox_full', null, null, 'ses'],
      [angry.id, 'complaint', 'complaint', null, null, 'ses'],
    ])
    expect(bounces[0]!.smtp_description).toBe('550 5.1.1 <gone@example.com>: user unknown')
    expect(await eventsOf(h, 'email.hard_bounced')).toEqual([
      expect.objectContaining({
        id: gone.id,
        email: 'gone@example.com',
        source: 'ses',
        subject: 'Spring news',
        from: 'news@acme.example',
      }),
    ])
    expect(await eventsOf(h, 'email.complained')).toEqual([expect.objectContaining({ id: angry.id, source: 'ses' })])
    const suppressed = (await h.api('GET', '/api/v1/suppressions')).json().data
    expect(suppressed.map((s: { email: string; reason: string }) => [s.email, s.reason]).sort()).toEqual([
      ['angry@example.com', 'complaint'],
      ['gone@example.com', 'hard_bounce'],
    ])
    expect((await h.api('GET', `/api/v1/contacts/${contact.id}/email-subscription`)).json().status).toBe('complained')
  })

  test('refuses, with no side effect, a forged signature, a certificate off the SNS hosts, another topic, and a notification before any topic is known', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'ses', topic_arn: TOPIC })
    const email = await sentEmail(h, 'victim@example.com')
    const message = {
      notificationType: 'Bounce',
      mail: mailOf(email),
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'victim@example.com' }] },
    }
    const forged = sesNotification('sns-f1', message, { key: otherRsaKey() })
    const offHost = sesNotification('sns-f2', message, {
      certUrl: 'https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem',
    })
    const plainHttp = sesNotification('sns-f3', message, { certUrl: CERT_URL.replace('https:', 'http:') })
    const tampered = { ...sesNotification('sns-f4', message), Message: JSON.stringify({ ...message, extra: 1 }) }
    for (const body of [forged, offHost, plainHttp, tampered]) {
      const res = await post(h, hook.path, body)
      expect(res.statusCode, res.body).toBe(401)
    }
    expect(fetched.every((url) => url === CERT_URL)).toBe(true)

    const otherTopic = snsMessage({
      Type: 'Notification',
      MessageId: 'sns-f5',
      TopicArn: 'arn:aws:sns:eu-west-1:999999999999:someone-else',
      Message: JSON.stringify(message),
      Timestamp: '2027-03-01T11:59:58.000Z',
    })
    expect((await post(h, hook.path, otherTopic)).statusCode).toBe(401)
    const unpinned = await createHook(h, { provider: 'ses' })
    expect((await post(h, unpinned.path, sesNotification('sns-f6', message))).statusCode).toBe(401)

    expect(await bouncesOf(h)).toEqual([])
    expect((await h.api('GET', '/api/v1/suppressions')).json().data).toEqual([])
  })

  test('answers 503, so that SNS retries, when the certificate or the confirmation cannot be fetched; nothing is recorded or confirmed', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'ses' })
    const email = await sentEmail(h, 'later@example.com')
    const unreachable = sesNotification(
      'sns-503',
      {
        notificationType: 'Complaint',
        mail: mailOf(email),
        complaint: { complainedRecipients: [{ emailAddress: 'later@example.com' }] },
      },
      { certUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-gone.pem' },
    )
    expect((await post(h, hook.path, unreachable)).statusCode).toBe(503)
    const confirmation = snsMessage({
      Type: 'SubscriptionConfirmation',
      MessageId: 'confirm-503',
      Token: 'ffff',
      TopicArn: TOPIC,
      Message: 'You have chosen to subscribe.',
      SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=ffff',
      Timestamp: '2027-03-01T11:59:00.000Z',
    })
    expect((await post(h, hook.path, confirmation)).statusCode).toBe(503)
    const shown = (await h.api('GET', `/api/v1/email/provider_hooks/${hook.id}`)).json()
    expect(shown).toMatchObject({ confirmed_at: null, topic_arn: null })
    expect(await bouncesOf(h)).toEqual([])
  })

  test('an unknown token or a token of another provider is a 404; an oversized body a 413', async () => {
    const h = await app()
    const hook = await createHook(h, { provider: 'ses', topic_arn: TOPIC })
    expect((await post(h, '/hooks/email/ses/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {})).statusCode).toBe(404)
    expect((await post(h, hook.path.replace('/ses/', '/mailgun/'), {})).statusCode).toBe(404)
    const big = await post(h, hook.path, 'x'.repeat(1024 * 1024 + 10), { 'content-type': 'text/plain' })
    expect(big.statusCode).toBe(413)
  })
})

describe('provider hooks and tenancy', () => {
  test('a hook of one organization or mode cannot touch the messages of another: 200, nothing recorded', async () => {
    const h = await app()
    const victimOrg = await h.newOrg()
    const victims = [
      await sentEmail(h, 'v1@example.com', { orgId: victimOrg.id }),
      await sentEmail(h, 'v2@example.com', { livemode: false }),
    ]
    const hook = await createHook(h, { provider: 'ses', topic_arn: TOPIC })
    for (const [i, victim] of victims.entries()) {
      const res = await post(
        h,
        hook.path,
        sesNotification(`sns-iso-${i}`, {
          notificationType: 'Complaint',
          mail: mailOf(victim),
          complaint: { complainedRecipients: [{ emailAddress: victim.to_email }] },
        }),
      )
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ received: 1, recorded: 0 })
    }
    expect(await bouncesOf(h, victimOrg.id)).toEqual([])
    expect(await bouncesOf(h)).toEqual([])
    const suppressions = await h.deps.db
      .selectFrom('email_suppressions')
      .select('id')
      .where('org_id', 'in', [h.org.id, victimOrg.id])
      .execute()
    expect(suppressions).toEqual([])
  })
})

describe('the reputation breaker and complaints from a provider hook', () => {
  test('a complaint over the threshold arriving through a hook pauses the running campaign with campaign.paused {reason: "complaint_rate"} and a notification', async () => {
    const h = await app()
    const list = (await h.api('POST', '/api/v1/email-lists', { name: 'Everyone' })).json()
    const created = await h.api('POST', '/api/v1/campaigns', {
      name: 'Spring',
      subject: 'Spring',
      text: 'Hi',
      list_ids: [list.id],
    })
    expect(created.statusCode, created.body).toBe(201)
    const campaign = created.json()
    await h.deps.db.updateTable('email_campaigns').set({ status: 'sending' }).where('id', '=', campaign.id).execute()
    // 200 finished sends of the campaign (0.5% once one complains: over the 0.1% default).
    const emails = await Promise.all(
      Array.from({ length: 200 }, (_, i) => sentEmail(h, `r${i}@example.com`, { campaignId: campaign.id })),
    )
    const sendIds = emails.map(() => newId('campaignSend'))
    await sql`insert into email_campaign_sends (id, campaign_id, org_id, livemode, to_email, status, email_id)
      select s, ${campaign.id}, ${h.org.id}, true, e.to_email, 'sent', e.id
      from unnest(${sendIds}::text[], ${emails.map((e) => e.id)}::text[]) with ordinality as t(s, eid, n)
      join emails e on e.id = t.eid`.execute(h.deps.db)

    const hook = await createHook(h, { provider: 'ses', topic_arn: TOPIC })
    const res = await post(
      h,
      hook.path,
      sesNotification('sns-breaker', {
        notificationType: 'Complaint',
        mail: mailOf(emails[17]!),
        complaint: { complainedRecipients: [{ emailAddress: emails[17]!.to_email }] },
      }),
    )
    expect(res.json()).toEqual({ received: 1, recorded: 1 })

    const shown = (await h.api('GET', `/api/v1/campaigns/${campaign.id}`)).json()
    expect(shown).toMatchObject({ status: 'paused', paused_reason: 'complaint_rate' })
    expect(await eventsOf(h, 'campaign.paused')).toEqual([
      expect.objectContaining({ id: campaign.id, reason: 'complaint_rate' }),
    ])
    const notes = (await h.api('GET', '/api/v1/notifications?type=campaign.paused')).json().data
    expect(notes).toEqual([expect.objectContaining({ subject_id: campaign.id })])
    expect(notes[0].body).toContain('1 complaints in its last 200 sends')
  })
})
