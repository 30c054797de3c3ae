import { afterEach, describe, expect, test } from 'vitest'
import { campaignRunnerFor } from '../../src/modules/email/index.js'
import { claimDueEmails } from '../../src/modules/email/outbox.repo.js'
import { eventually } from '../delivery/fixtures.js'
import type { TestApp } from '../harness.js'
import { emailApp, makeContacts } from './email-audience-fixtures.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function eventsOf(h: TestApp, prefix: string) {
  return h.deps.db
    .selectFrom('events')
    .select(['type', 'data'])
    .where('org_id', '=', h.org.id)
    .where('type', 'like', `${prefix}%`)
    .orderBy('id')
    .execute()
}

async function campaignOf(h: TestApp, id: string) {
  return (await h.api('GET', `/api/v1/campaigns/${id}`)).json()
}

/** A list holding `count` new contacts, and a campaign to it (a draft). */
async function listCampaign(h: TestApp, count: number, prefix: string, extra: object = {}) {
  const ids = await makeContacts(h, count, prefix)
  const list = (await h.api('POST', '/api/v1/email-lists', { name: `${prefix} list` })).json()
  await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: ids })
  const res = await h.api('POST', '/api/v1/campaigns', {
    name: `${prefix} campaign`,
    subject: 'Hello {{ contact.first_name }}',
    html: '<p>Hi {{ contact.first_name }}, read <a href="https://acme.example/news">the news</a>.</p>',
    list_ids: [list.id],
    ...extra,
  })
  expect(res.statusCode).toBe(201)
  return { ids, list, campaign: res.json() }
}

describe('campaigns', () => {
  test('sends once to each subscribed member of its lists and segments, skips and counts the unsubscribed, and completes once', async () => {
    const { h, sink, start } = await emailApp(cleanups)
    const [a, b, c] = await makeContacts(h, 3, 'member')
    const list = (await h.api('POST', '/api/v1/email-lists', { name: 'News' })).json()
    await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [a, b, c] })
    await h.api('PUT', `/api/v1/contacts/${c}/email-subscription`, { status: 'unsubscribed' })
    const vip = (
      await h.api('POST', '/api/v1/contacts', { name: 'Vic Tor', email: 'vic@example.com', tags: ['vip'] })
    ).json()
    await h.api('PATCH', `/api/v1/contacts/${a}`, { tags: ['vip'] })
    const seg = (
      await h.api('POST', '/api/v1/email-segments', {
        name: 'VIP',
        filter: { field: 'tags', op: 'contains', value: 'vip' },
      })
    ).json()
    const created = await h.api('POST', '/api/v1/campaigns', {
      name: 'March news',
      subject: 'Hello {{ contact.first_name }}',
      html: '<p>Hi {{ contact.first_name }}</p>',
      list_ids: [list.id],
      segment_ids: [seg.id],
    })
    expect(created.statusCode).toBe(201)
    const campaign = created.json()
    expect(campaign).toMatchObject({ object: 'campaign', status: 'draft', stats: { recipients: 0 } })
    expect(campaign.id).toMatch(/^cmp_/)

    const scheduled = await h.api('POST', `/api/v1/campaigns/${campaign.id}/schedule`, {})
    expect(scheduled.statusCode).toBe(200)
    expect(scheduled.json().status).toBe('scheduled')
    await start()
    await eventually(async () => (await campaignOf(h, campaign.id)).status === 'completed', 15_000, 'completed')
    await sink.waitFor(3)
    expect(sink.messages.flatMap((m) => m.to).sort()).toEqual([
      'member0@example.com',
      'member1@example.com',
      'vic@example.com',
    ])
    const vicMessage = sink.messages.find((m) => m.to[0] === 'vic@example.com')!
    const mail = await vicMessage.parse()
    expect(mail.subject).toBe('Hello Vic')
    expect(vicMessage.raw).toMatch(/^List-Unsubscribe:\s+<http:\/\/[^>]+\/email\/unsubscribe\/cms_[^>]+>\r?$/m)
    expect(vicMessage.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m)
    expect(mail.headers.get('precedence')).toBe('bulk')
    expect(mail.headers.get('feedback-id')).toBe(`campaign:${h.org.id}:rapport`)

    const done = await campaignOf(h, campaign.id)
    expect(done.stats).toMatchObject({
      recipients: 4,
      pending: 0,
      queued: 0,
      sent: 3,
      delivered: 3,
      failed: 0,
      skipped: 1,
      skipped_by_reason: { unsubscribed: 1 },
    })
    expect(done.started_at).not.toBeNull()
    expect(done.completed_at).not.toBeNull()
    const campaignEvents = await eventsOf(h, 'campaign.')
    expect(campaignEvents).toEqual([
      { type: 'campaign.started', data: { id: campaign.id, name: 'March news', recipients: 4, skipped: 1 } },
      { type: 'campaign.completed', data: { id: campaign.id, name: 'March news', sent: 3, failed: 0 } },
    ])
    const sent = await eventsOf(h, 'email.sent')
    expect(sent).toHaveLength(3)
    expect(sent.every((e) => (e.data as { campaign_id: string }).campaign_id === campaign.id)).toBe(true)
    expect(vip.id).toBeTruthy()
  })

  test('the state machine refuses what a state does not allow, with 409; scheduling checks content and audience (422)', async () => {
    const { h } = await emailApp(cleanups)
    const empty = (await h.api('POST', '/api/v1/campaigns', { name: 'Empty', subject: 'S', html: '<p>x</p>' })).json()
    const noAudience = await h.api('POST', `/api/v1/campaigns/${empty.id}/schedule`, {})
    expect(noAudience.statusCode).toBe(422)
    expect(noAudience.json().error.details[0].field).toBe('list_ids')
    expect((await h.api('POST', `/api/v1/campaigns/${empty.id}/pause`)).statusCode).toBe(409)
    expect((await h.api('POST', `/api/v1/campaigns/${empty.id}/resume`)).statusCode).toBe(409)
    const badList = await h.api('POST', '/api/v1/campaigns', { name: 'X', list_ids: ['lst_nope'] })
    expect(badList.json().error.details[0].field).toBe('list_ids[0]')
    const badLiquid = await h.api('POST', '/api/v1/campaigns', { name: 'X', subject: '{{ oops' })
    expect(badLiquid.statusCode).toBe(422)

    const { campaign } = await listCampaign(h, 1, 'states', { html: '<p>x</p>' })
    const later = await h.api('POST', `/api/v1/campaigns/${campaign.id}/schedule`, { send_at: '2999-01-01T00:00:00Z' })
    expect(later.json()).toMatchObject({ status: 'scheduled', scheduled_at: '2999-01-01T00:00:00.000Z' })
    expect((await h.api('PATCH', `/api/v1/campaigns/${campaign.id}`, { name: 'Renamed' })).json().name).toBe('Renamed')
    expect((await h.api('DELETE', `/api/v1/campaigns/${campaign.id}`)).statusCode).toBe(409)
    expect((await h.api('POST', `/api/v1/campaigns/${campaign.id}/schedule`, {})).statusCode).toBe(409)
    const cancelled = (await h.api('POST', `/api/v1/campaigns/${campaign.id}/cancel`)).json()
    expect(cancelled).toMatchObject({ status: 'cancelled' })
    expect((await h.api('PATCH', `/api/v1/campaigns/${campaign.id}`, { name: 'Again' })).statusCode).toBe(409)
    expect((await h.api('DELETE', `/api/v1/campaigns/${empty.id}`)).json()).toMatchObject({ deleted: true })

    const other = await h.newOrg()
    const res = await h.api('GET', `/api/v1/campaigns/${campaign.id}`, undefined, {
      authorization: `Bearer ${other.key}`,
    })
    expect(res.statusCode).toBe(404)
    const listed = (await h.api('GET', '/api/v1/campaigns?status=cancelled')).json()
    expect(listed.data.map((c: { id: string }) => c.id)).toEqual([campaign.id])
  })

  test('pause stops queuing and resume sends the rest: every recipient gets exactly one message, within the organization rate', async () => {
    const { h, sink, start } = await emailApp(cleanups, { RAPPORT_CAMPAIGN_ORG_RATE: '5' })
    const { campaign } = await listCampaign(h, 20, 'paced')
    await h.api('POST', `/api/v1/campaigns/${campaign.id}/schedule`, {})
    await start()
    await sink.waitFor(3)
    const paused = await h.api('POST', `/api/v1/campaigns/${campaign.id}/pause`)
    expect(paused.json().status).toBe('paused')
    const pausedAt = sink.messages.length
    await new Promise((r) => setTimeout(r, 1500))
    // At most the messages a worker held at the pause still go out.
    const afterPause = sink.messages.length
    expect(afterPause).toBeLessThan(20)
    const stats = (await campaignOf(h, campaign.id)).stats
    expect(stats.sent + stats.pending + stats.queued).toBe(20)
    expect((await eventsOf(h, 'campaign.paused')).map((e) => e.type)).toEqual(['campaign.paused'])
    expect(pausedAt).toBeGreaterThanOrEqual(3)

    expect((await h.api('POST', `/api/v1/campaigns/${campaign.id}/resume`)).json().status).toBe('sending')
    await eventually(async () => (await campaignOf(h, campaign.id)).status === 'completed', 20_000, 'completed')
    const recipients = sink.messages.flatMap((m) => m.to)
    expect(recipients).toHaveLength(20)
    expect(new Set(recipients).size).toBe(20)
    expect((await eventsOf(h, 'campaign.completed')).map((e) => e.data)).toEqual([
      { id: campaign.id, name: 'paced campaign', sent: 20, failed: 0 },
    ])
    // The organization rate (5 per second) holds over every one-second window of queuing.
    const times = (
      await h.deps.db.selectFrom('emails').select('created_at').where('campaign_id', '=', campaign.id).execute()
    ).map((r) => r.created_at.getTime())
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(5)
  })

  test('a recipient refused for good counts as failed; resend-failed sends to it again and the campaign completes again', async () => {
    const { h, sink, start } = await emailApp(cleanups)
    sink.refuseWith((rcpt, attempt) =>
      rcpt === 'bouncy1@example.com' && attempt === 1 ? { code: 550, message: 'mailbox unavailable' } : undefined,
    )
    const { campaign } = await listCampaign(h, 3, 'bouncy')
    await h.api('POST', `/api/v1/campaigns/${campaign.id}/schedule`, {})
    await start()
    await eventually(async () => (await campaignOf(h, campaign.id)).status === 'completed', 15_000, 'completed')
    expect((await campaignOf(h, campaign.id)).stats).toMatchObject({ sent: 2, failed: 1 })
    const resent = await h.api('POST', `/api/v1/campaigns/${campaign.id}/resend-failed`)
    expect(resent.json()).toMatchObject({ status: 'sending', stats: { failed: 0, pending: 1 } })
    await eventually(async () => (await campaignOf(h, campaign.id)).status === 'completed', 15_000, 'completed again')
    expect((await campaignOf(h, campaign.id)).stats).toMatchObject({ sent: 3, failed: 0 })
    expect(sink.messages.flatMap((m) => m.to).sort()).toEqual([
      'bouncy0@example.com',
      'bouncy1@example.com',
      'bouncy2@example.com',
    ])
    expect((await eventsOf(h, 'campaign.completed')).map((e) => e.data)).toEqual([
      { id: campaign.id, name: 'bouncy campaign', sent: 2, failed: 1 },
      { id: campaign.id, name: 'bouncy campaign', sent: 3, failed: 0 },
    ])
  })

  test('a test send renders the content for a sample contact, subject prefixed [Test], with the unsubscribe headers', async () => {
    const { h, sink, start } = await emailApp(cleanups)
    const { campaign } = await listCampaign(h, 1, 'tested')
    const res = await h.api('POST', `/api/v1/campaigns/${campaign.id}/test-send`, { to: 'me@acme.example' })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ object: 'campaign_test', status: 'queued' })
    await start()
    await sink.waitFor(1)
    const mail = await sink.messages[0]!.parse()
    expect(mail.subject).toBe('[Test] Hello Jane')
    expect(sink.messages[0]!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m)
    expect((await campaignOf(h, campaign.id)).status).toBe('draft')
  })
})

describe('campaign crash safety', () => {
  test('messages held by a worker that died are sent once after its lease expires; nobody is skipped or sent twice', async () => {
    const { h, sink, start } = await emailApp(cleanups)
    const { campaign } = await listCampaign(h, 12, 'crashy')
    await h.api('POST', `/api/v1/campaigns/${campaign.id}/schedule`, {})
    // A worker queues the ledger, then "dies" holding five messages under a short lease.
    const runner = campaignRunnerFor(h.deps, h.app.log, [h.org.id])
    await runner.tick()
    await runner.tick()
    const held = await claimDueEmails(h.deps.db, 'ew_dead', 5, 300, [h.org.id])
    expect(held).toHaveLength(5)
    await start()
    await eventually(async () => (await campaignOf(h, campaign.id)).status === 'completed', 15_000, 'completed')
    const recipients = sink.messages.flatMap((m) => m.to)
    expect(recipients).toHaveLength(12)
    expect(new Set(recipients).size).toBe(12)
    const heldIds = new Set(held.map((e) => e.message_id))
    const resent = (await Promise.all(sink.messages.map((m) => m.parse()))).filter((m) =>
      heldIds.has(m.messageId ?? ''),
    )
    expect(resent).toHaveLength(5)
    expect((await eventsOf(h, 'campaign.completed')).map((e) => e.data)).toEqual([
      { id: campaign.id, name: 'crashy campaign', sent: 12, failed: 0 },
    ])
  })
})
