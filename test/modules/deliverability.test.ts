import { sql } from 'kysely'
import { afterEach, describe, expect, test } from 'vitest'
import { newId } from '../../src/lib/ids.js'
import { DEFAULT_DELIVERABILITY_POLICY } from '../../src/modules/deliverability/policy.js'
import { eventually } from '../delivery/fixtures.js'
import type { TestApp } from '../harness.js'
import { emailApp } from './email-audience-fixtures.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function send(h: TestApp, to: string, extra: object = {}) {
  const res = await h.api('POST', '/api/v1/emails', { to, subject: 'Hello', text: 'Hi', ...extra })
  expect(res.statusCode).toBe(202)
  return res.json() as { id: string }
}

async function emailOf(h: TestApp, id: string) {
  return (await h.api('GET', `/api/v1/emails/${id}`)).json()
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

describe('send-time classification by the enhanced status code (RFC 3463)', () => {
  test('550 5.1.1 is a hard bounce that suppresses; 552 5.2.2 and 421 are soft and retried; 554 5.7.1 is a policy soft bounce that never suppresses', async () => {
    const { h, sink, start } = await emailApp(cleanups)
    const contact = (await h.api('POST', '/api/v1/contacts', { name: 'Gone', email: 'gone@example.com' })).json()
    sink.refuseWith((rcpt) => {
      if (rcpt === 'gone@example.com') return { code: 550, message: '5.1.1 <gone@example.com>: no such user' }
      if (rcpt === 'full@example.com') return { code: 552, message: '5.2.2 mailbox full' }
      if (rcpt === 'busy@example.com') return { code: 421, message: '4.3.2 try again later' }
      if (rcpt === 'dmarc@example.com') return { code: 554, message: '5.7.1 rejected by DMARC policy' }
      return undefined
    })
    const gone = await send(h, contact.id)
    const full = await send(h, 'full@example.com')
    const busy = await send(h, 'busy@example.com')
    const dmarc = await send(h, 'dmarc@example.com')
    await start({ deliverability: DEFAULT_DELIVERABILITY_POLICY })
    for (const e of [gone, full, busy, dmarc]) {
      await eventually(async () => (await emailOf(h, e.id)).status === 'failed', 15_000, `${e.id} failed`)
    }
    // Retry schedule 0,0: three attempts for what may pass later, one for what never will.
    expect((await emailOf(h, gone.id)).attempt_count).toBe(1)
    expect((await emailOf(h, full.id)).attempt_count).toBe(3)
    expect((await emailOf(h, busy.id)).attempt_count).toBe(3)
    expect((await emailOf(h, dmarc.id)).attempt_count).toBe(1)

    const bounces = await bouncesOf(h)
    const byAddress = Object.fromEntries(bounces.map((b) => [b.address, b]))
    expect(bounces).toHaveLength(4)
    expect(byAddress['gone@example.com']).toMatchObject({
      kind: 'hard',
      category: 'bad_mailbox',
      return_code: 550,
      enhanced_code: '5.1.1',
      source: 'smtp',
      email_id: gone.id,
    })
    expect(byAddress['gone@example.com']!.smtp_description).toContain('no such user')
    expect(byAddress['full@example.com']).toMatchObject({ kind: 'soft', category: 'mailbox_full', return_code: 552 })
    expect(byAddress['busy@example.com']).toMatchObject({ kind: 'soft', category: 'transient', return_code: 421 })
    expect(byAddress['dmarc@example.com']).toMatchObject({ kind: 'soft', category: 'policy', enhanced_code: '5.7.1' })

    const hard = await eventsOf(h, 'email.hard_bounced')
    expect(hard).toEqual([
      expect.objectContaining({
        id: gone.id,
        email: 'gone@example.com',
        contact_id: contact.id,
        category: 'bad_mailbox',
        return_code: 550,
        enhanced_code: '5.1.1',
        source: 'smtp',
        subject: 'Hello',
        from: 'news@acme.example',
      }),
    ])
    expect((await eventsOf(h, 'email.soft_bounced')).map((d) => d.email).sort()).toEqual([
      'busy@example.com',
      'dmarc@example.com',
      'full@example.com',
    ])
    // Only the hard bounce suppresses, and its contact is marked bounced.
    const suppressed = (await h.api('GET', '/api/v1/suppressions')).json()
    expect(suppressed.data.map((s: { email: string }) => s.email)).toEqual(['gone@example.com'])
    expect(suppressed.data[0]).toMatchObject({ reason: 'hard_bounce', evidence: { email_id: gone.id } })
    expect((await eventsOf(h, 'email.suppressed')).map((d) => d.email)).toEqual(['gone@example.com'])
    const subscription = (await h.api('GET', `/api/v1/contacts/${contact.id}/email-subscription`)).json()
    expect(subscription.status).toBe('bounced')
  })

  test('three soft bounces in the last five sends suppress the address; two do not', async () => {
    const { h, sink, start } = await emailApp(cleanups, { RAPPORT_EMAIL_RETRY_SCHEDULE: '0' })
    sink.refuseWith((rcpt) => (rcpt === 'full@example.com' ? { code: 552, message: '5.2.2 mailbox full' } : undefined))
    await start({ deliverability: DEFAULT_DELIVERABILITY_POLICY })
    for (let i = 1; i <= 3; i++) {
      const e = await send(h, 'full@example.com')
      await eventually(async () => (await emailOf(h, e.id)).status === 'failed', 15_000, `send ${i} failed`)
      const list = (await h.api('GET', '/api/v1/suppressions')).json()
      expect(list.data.length).toBe(i < 3 ? 0 : 1)
    }
    const [row] = (await h.api('GET', '/api/v1/suppressions')).json().data
    expect(row).toMatchObject({ email: 'full@example.com', reason: 'soft_bounces', evidence: { soft_bounces: 3 } })
  })
})

describe('/api/v1/suppressions', () => {
  test('suppress by hand, refuse transactional mail to it unless forced, lift it; scoped to the organization and mode', async () => {
    const { h } = await emailApp(cleanups)
    const created = await h.api('POST', '/api/v1/suppressions', { email: 'Jane@Example.com', note: 'asked by phone' })
    expect(created.statusCode).toBe(201)
    const sup = created.json()
    expect(sup).toMatchObject({ object: 'suppression', email: 'Jane@Example.com', reason: 'manual' })
    expect(sup.evidence).toEqual({ note: 'asked by phone' })
    expect(sup.id).toMatch(/^sup_/)
    expect((await h.api('POST', '/api/v1/suppressions', { email: 'jane@example.com' })).statusCode).toBe(409)
    expect((await eventsOf(h, 'email.suppressed')).map((d) => d.reason)).toEqual(['manual'])

    const refused = await h.api('POST', '/api/v1/emails', { to: 'jane@example.com', subject: 'S', text: 'T' })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().error.details[0].field).toBe('to')
    expect(refused.json().error.message).toContain('force')
    const forced = await h.api('POST', '/api/v1/emails', {
      to: 'jane@example.com',
      subject: 'S',
      text: 'T',
      force: true,
    })
    expect(forced.statusCode).toBe(202)

    expect((await h.api('GET', '/api/v1/suppressions/jane@example.com')).json().id).toBe(sup.id)
    const other = await h.newOrg()
    const asOther = { authorization: `Bearer ${other.key}` }
    expect((await h.api('GET', `/api/v1/suppressions/${sup.id}`, undefined, asOther)).statusCode).toBe(404)
    expect((await h.api('DELETE', `/api/v1/suppressions/${sup.id}`, undefined, asOther)).statusCode).toBe(404)
    const testKey = { authorization: `Bearer ${await h.newKey(h.org.id, { mode: 'test' })}` }
    expect((await h.api('GET', `/api/v1/suppressions/${sup.id}`, undefined, testKey)).statusCode).toBe(404)
    expect((await h.api('GET', '/api/v1/suppressions', undefined, testKey)).json().data).toEqual([])

    const lifted = await h.api('DELETE', `/api/v1/suppressions/${sup.id}`)
    expect(lifted.statusCode).toBe(200)
    expect((await h.api('GET', '/api/v1/suppressions')).json().data).toEqual([])
    expect(
      (await h.api('POST', '/api/v1/emails', { to: 'jane@example.com', subject: 'S', text: 'T' })).statusCode,
    ).toBe(202)
  })
})

describe('the reputation breaker', () => {
  test('8% hard bounces in the first 1,000 sends of a campaign pause it with campaign.paused {reason} and a notification; a person resumes it', async () => {
    const { h, sink, start } = await emailApp(cleanups, {
      RAPPORT_CAMPAIGN_RATE: '100000',
      RAPPORT_CAMPAIGN_ORG_RATE: '100000',
    })
    // 1,000 contacts written at once (the API one by one would only slow the test).
    const list = (await h.api('POST', '/api/v1/email-lists', { name: 'Everyone' })).json()
    const ids = Array.from({ length: 1000 }, () => newId('contact'))
    await sql`insert into contacts (id, org_id, livemode, name, email, status, source)
      select id, ${h.org.id}, true, 'P ' || n, 'p' || n || '@example.com', 'lead', 'api'
      from unnest(${ids}::text[]) with ordinality as t(id, n)`.execute(h.deps.db)
    await sql`insert into email_list_members (list_id, contact_id, org_id, livemode, status)
      select ${list.id}, id, ${h.org.id}, true, 'subscribed' from unnest(${ids}::text[]) as t(id)`.execute(h.deps.db)
    // Two addresses in 25 (8%) do not exist.
    sink.refuseWith((rcpt) => {
      const n = Number(/^p(\d+)@/.exec(rcpt)?.[1] ?? 0)
      return n % 25 < 2 ? { code: 550, message: `5.1.1 <${rcpt}>: no such user` } : undefined
    })
    const campaign = (
      await h.api('POST', '/api/v1/campaigns', { name: 'Spring', subject: 'Spring', text: 'Hi', list_ids: [list.id] })
    ).json()
    expect((await h.api('POST', `/api/v1/campaigns/${campaign.id}/schedule`, {})).statusCode).toBe(200)
    await start({ concurrency: 20, deliverability: DEFAULT_DELIVERABILITY_POLICY })
    await eventually(
      async () => (await h.api('GET', `/api/v1/campaigns/${campaign.id}`)).json().status === 'paused',
      60_000,
      'paused by the breaker',
    )
    const paused = await eventsOf(h, 'campaign.paused')
    expect(paused).toHaveLength(1)
    expect(paused[0]).toMatchObject({ id: campaign.id, name: 'Spring', reason: 'hard_bounce_rate' })
    expect(paused[0]!.sent as number).toBeLessThan(1000)
    const notes = (await h.api('GET', '/api/v1/notifications?type=campaign.paused')).json()
    expect(notes.data).toHaveLength(1)
    expect(notes.data[0]).toMatchObject({ subject_id: campaign.id })
    expect(notes.data[0].body).toContain('hard bounces')
    const shown = (await h.api('GET', `/api/v1/campaigns/${campaign.id}`)).json()
    expect(shown.paused_reason).toBe('hard_bounce_rate')

    const resumed = await h.api('POST', `/api/v1/campaigns/${campaign.id}/resume`)
    expect(resumed.statusCode).toBe(200)
    expect(resumed.json()).toMatchObject({ status: 'sending', paused_reason: null })
  })
})
