import { afterEach, describe, expect, test } from 'vitest'
import { eventually } from '../delivery/fixtures.js'
import type { TestApp } from '../harness.js'
import { emailApp, makeContacts } from './email-audience-fixtures.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'
const GMAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)'

/** Sends a one-recipient campaign through the sink; returns its message and the app. `later` moves the app's clock. */
async function sentCampaign(opts: { track?: object } = {}) {
  let laterMs = 0
  const clock = { nowMs: () => Date.now() + laterMs }
  const { h, sink, start } = await emailApp(cleanups, {}, clock)
  const [contact] = await makeContacts(h, 1, 'reader')
  const list = (await h.api('POST', '/api/v1/email-lists', { name: 'Readers' })).json()
  const other = (await h.api('POST', '/api/v1/email-lists', { name: 'Offers' })).json()
  await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [contact] })
  await h.api('POST', `/api/v1/email-lists/${other.id}/members`, { contact_ids: [contact] })
  const campaign = (
    await h.api('POST', '/api/v1/campaigns', {
      name: 'Tracked',
      subject: 'News',
      html: '<html><body><p>Read <a href="https://acme.example/news?a=1&amp;b=2">the news</a> or <a href="mailto:hi@acme.example">write</a>.</p></body></html>',
      list_ids: [list.id],
      ...opts.track,
    })
  ).json()
  await h.api('POST', `/api/v1/campaigns/${campaign.id}/schedule`, {})
  await start()
  await sink.waitFor(1)
  await eventually(
    async () => (await h.api('GET', `/api/v1/campaigns/${campaign.id}`)).json().status === 'completed',
    10_000,
    'completed',
  )
  const mail = await sink.messages[0]!.parse()
  return {
    h,
    contact: contact!,
    list,
    other,
    campaign,
    mail,
    raw: sink.messages[0]!.raw,
    later: (ms: number) => {
      laterMs = ms
    },
  }
}

const pathOf = (url: string) => {
  const u = new URL(url)
  return `${u.pathname}${u.search}`
}
const stats = async (h: TestApp, id: string) => (await h.api('GET', `/api/v1/campaigns/${id}`)).json().stats

describe('open and click tracking', () => {
  test('the pixel and the click redirect count per send, human and machine apart, with the parsed user agent; a tampered link is a 404', async () => {
    const { h, campaign, mail, later } = await sentCampaign()
    const html = String(mail.html)
    const pixel = /<img src="([^"]+\/email\/o\/[^"]+)"/.exec(html)![1]!
    const click = /href="([^"]+\/email\/c\/[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&')
    expect(html).toContain('href="mailto:hi@acme.example"')
    expect(mail.text).toContain('https://acme.example/news?a=1&b=2')

    // Within seconds of delivery, Gmail's proxy is prefetching; a scanner clicks at once.
    const prefetch = await h.app.inject({ method: 'GET', url: pathOf(pixel), headers: { 'user-agent': GMAIL_PROXY } })
    expect(prefetch.statusCode).toBe(200)
    expect(prefetch.headers['content-type']).toBe('image/gif')
    const scan = await h.app.inject({ method: 'GET', url: pathOf(click), headers: { 'user-agent': CHROME } })
    expect(scan.statusCode).toBe(302)
    expect(scan.headers.location).toBe('https://acme.example/news?a=1&b=2')
    later(60_000)
    await h.app.inject({ method: 'GET', url: pathOf(pixel), headers: { 'user-agent': CHROME } })
    await h.app.inject({ method: 'GET', url: pathOf(click), headers: { 'user-agent': CHROME } })
    await h.app.inject({ method: 'GET', url: pathOf(pixel), headers: { 'user-agent': 'Mozilla/5.0' } })

    expect(await stats(h, campaign.id)).toMatchObject({
      opens: 3,
      human_opens: 1,
      unique_opens: 1,
      unique_human_opens: 1,
      clicks: 2,
      human_clicks: 1,
      unique_clicks: 1,
    })
    const events = await h.deps.db
      .selectFrom('email_tracking_events')
      .select(['type', 'machine', 'machine_reason', 'os', 'browser', 'webmail', 'country', 'region', 'url'])
      .where('campaign_id', '=', campaign.id)
      .orderBy('id')
      .execute()
    expect(events).toEqual([
      {
        type: 'open',
        machine: true,
        machine_reason: 'image_proxy_prefetch',
        os: 'Windows',
        browser: 'Firefox',
        webmail: 'Gmail',
        country: null,
        region: null,
        url: null,
      },
      {
        type: 'click',
        machine: true,
        machine_reason: 'link_scanner',
        os: 'Windows',
        browser: 'Chrome',
        webmail: null,
        country: null,
        region: null,
        url: 'https://acme.example/news?a=1&b=2',
      },
      {
        type: 'open',
        machine: false,
        machine_reason: null,
        os: 'Windows',
        browser: 'Chrome',
        webmail: null,
        country: null,
        region: null,
        url: null,
      },
      {
        type: 'click',
        machine: false,
        machine_reason: null,
        os: 'Windows',
        browser: 'Chrome',
        webmail: null,
        country: null,
        region: null,
        url: 'https://acme.example/news?a=1&b=2',
      },
      {
        type: 'open',
        machine: true,
        machine_reason: 'apple_mail_privacy_protection',
        os: null,
        browser: null,
        webmail: null,
        country: null,
        region: null,
        url: null,
      },
    ])
    const types = await h.eventTypes()
    expect(types.filter((t) => t === 'email.opened')).toHaveLength(3)
    expect(types.filter((t) => t === 'email.clicked')).toHaveLength(2)
    const labelled = await h.deps.db
      .selectFrom('events')
      .select(['type', 'data'])
      .where('org_id', '=', h.org.id)
      .where('type', 'in', ['email.opened', 'email.clicked'])
      .orderBy('id')
      .execute()
    expect(labelled.map((e) => [e.type, e.data.machine, e.data.machine_reason])).toEqual([
      ['email.opened', true, 'image_proxy_prefetch'],
      ['email.clicked', true, 'link_scanner'],
      ['email.opened', false, null],
      ['email.clicked', false, null],
      ['email.opened', true, 'apple_mail_privacy_protection'],
    ])

    // Clicks per link, people and machines apart, for the campaign and for the one message.
    const links = (await h.api('GET', `/api/v1/campaigns/${campaign.id}/links`)).json()
    expect(links.data).toEqual([
      expect.objectContaining({
        url: 'https://acme.example/news?a=1&b=2',
        clicks: 2,
        human_clicks: 1,
        unique_clicks: 1,
        unique_human_clicks: 1,
      }),
    ])
    const emailId = (
      await h.deps.db.selectFrom('emails').select('id').where('campaign_id', '=', campaign.id).executeTakeFirstOrThrow()
    ).id
    expect((await h.api('GET', `/api/v1/emails/${emailId}/links`)).json().data).toEqual(links.data)
    const otherOrg = await h.newOrg()
    const foreign = await h.app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${campaign.id}/links`,
      headers: { authorization: `Bearer ${otherOrg.key}` },
    })
    expect(foreign.statusCode).toBe(404)

    // A changed destination or signature is a 404, never a redirect.
    const evil = click.replace(
      encodeURIComponent('https://acme.example/news?a=1&b=2'),
      encodeURIComponent('https://evil.example/'),
    )
    const res = await h.app.inject({ method: 'GET', url: pathOf(evil) })
    expect(res.statusCode).toBe(404)
    expect(res.headers.location).toBeUndefined()
    const badSig = pathOf(pixel).replace(/\.([A-Za-z0-9_-])/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`)
    expect((await h.app.inject({ method: 'GET', url: badSig })).statusCode).toBe(404)
  })

  test('without tracking the HTML has neither pixel nor redirects', async () => {
    const { mail } = await sentCampaign({ track: { track_opens: false, track_clicks: false } })
    expect(String(mail.html)).not.toContain('/email/o/')
    expect(String(mail.html)).not.toContain('/email/c/')
    expect(String(mail.html)).toContain('href="https://acme.example/news?a=1&amp;b=2"')
  })
})

describe('unsubscribe', () => {
  test('GET shows a confirmation page and changes nothing; the one-click POST unsubscribes at once with email.unsubscribed', async () => {
    const { h, contact, raw } = await sentCampaign()
    const link = /^List-Unsubscribe:\s+<([^>]+)>/m.exec(raw)![1]!
    const page = await h.app.inject({ method: 'GET', url: pathOf(link) })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<form method="post"')
    expect((await h.api('GET', `/api/v1/contacts/${contact}/email-subscription`)).json().status).toBe('subscribed')

    const oneClick = await h.app.inject({
      method: 'POST',
      url: pathOf(link),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.statusCode).toBe(200)
    const sub = (await h.api('GET', `/api/v1/contacts/${contact}/email-subscription`)).json()
    expect(sub).toMatchObject({ status: 'unsubscribed', reason: 'one-click unsubscribe' })
    expect((await h.eventTypes()).filter((t) => t === 'email.unsubscribed')).toHaveLength(1)
    const tampered = pathOf(link).slice(0, -3) + (pathOf(link).endsWith('AAA') ? 'BBB' : 'AAA')
    expect((await h.app.inject({ method: 'POST', url: tampered })).statusCode).toBe(404)
  })

  test('the preferences page lets a person leave one list, then all', async () => {
    const { h, contact, list, other, mail } = await sentCampaign()
    const prefsUrl = /href="([^"]+\/email\/preferences\/[^"]+)"/.exec(String(mail.html))![1]!
    const page = await h.app.inject({ method: 'GET', url: pathOf(prefsUrl) })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`name="list_${list.id}"`)
    expect(page.body).toContain(`name="list_${other.id}"`)
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    await h.app.inject({ method: 'POST', url: pathOf(prefsUrl), headers: form, payload: `list_${list.id}=1` })
    let sub = (await h.api('GET', `/api/v1/contacts/${contact}/email-subscription`)).json()
    expect(sub.status).toBe('subscribed')
    expect(Object.fromEntries(sub.lists.map((l: { id: string; status: string }) => [l.id, l.status]))).toEqual({
      [list.id]: 'subscribed',
      [other.id]: 'unsubscribed',
    })
    await h.app.inject({ method: 'POST', url: pathOf(prefsUrl), headers: form, payload: 'all=1' })
    sub = (await h.api('GET', `/api/v1/contacts/${contact}/email-subscription`)).json()
    expect(sub.status).toBe('unsubscribed')
    expect(sub.lists.every((l: { status: string }) => l.status === 'unsubscribed')).toBe(true)
  })
})
