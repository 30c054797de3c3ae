import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { open } from 'maxmind'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { openGeoIp } from '../../src/modules/email/geoip.js'
import { eventually } from '../delivery/fixtures.js'
import { cityRecord, writeMmdb } from '../fixtures/mmdb-writer.js'
import { emailApp, makeContacts } from './email-audience-fixtures.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const dir = mkdtempSync(path.join(tmpdir(), 'rapport-geoip-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A City database written at test time: loopback is in Bavaria, a documentation IPv6 range in Quebec. */
function cityDatabase(): string {
  const file = path.join(dir, `city-${Math.random().toString(36).slice(2)}.mmdb`)
  writeFileSync(
    file,
    writeMmdb([
      { cidr: '127.0.0.0/8', data: cityRecord({ code: 'DE', name: 'Germany' }, { code: 'BY', name: 'Bavaria' }) },
      { cidr: '198.51.100.0/24', data: cityRecord({ code: 'NZ', name: 'New Zealand' }, { name: 'Chatham Islands' }) },
      { cidr: '203.0.113.0/24', data: cityRecord({ code: 'JP', name: 'Japan' }) },
      { cidr: '2001:db8::/32', data: cityRecord({ code: 'CA', name: 'Canada' }, { code: 'QC', name: 'Quebec' }) },
    ]),
  )
  return file
}

describe('the test MMDB writer', () => {
  test('writes a database the maxmind reader opens and looks IPv4 and IPv6 addresses up in', async () => {
    const reader = await open(cityDatabase())
    expect(reader.metadata).toMatchObject({ databaseType: 'GeoLite2-City', ipVersion: 6, recordSize: 32 })
    expect(reader.get('127.0.0.1')).toEqual({
      country: { iso_code: 'DE', names: { en: 'Germany' } },
      subdivisions: [{ iso_code: 'BY', names: { en: 'Bavaria' } }],
    })
    expect(reader.get('127.255.1.2')).toMatchObject({ country: { iso_code: 'DE' } })
    expect(reader.get('2001:db8:1::9')).toMatchObject({ country: { iso_code: 'CA' } })
    expect(reader.get('203.0.113.77')).toMatchObject({ country: { iso_code: 'JP' } })
    expect(reader.get('192.0.2.1')).toBeNull()
    expect(reader.get('2001:db9::1')).toBeNull()
  })
})

describe('openGeoIp', () => {
  test('country as ISO 3166-1, region as the ISO 3166-2 code with its country, else the subdivision’s name', async () => {
    const geoip = await openGeoIp(cityDatabase())
    expect(geoip.locate('127.0.0.1')).toEqual({ country: 'DE', region: 'DE-BY' })
    expect(geoip.locate('::ffff:127.0.0.1')).toEqual({ country: 'DE', region: 'DE-BY' })
    expect(geoip.locate('2001:db8::1')).toEqual({ country: 'CA', region: 'CA-QC' })
    expect(geoip.locate('198.51.100.4')).toEqual({ country: 'NZ', region: 'Chatham Islands' })
    expect(geoip.locate('203.0.113.5')).toEqual({ country: 'JP', region: null })
    expect(geoip.locate('192.0.2.1')).toEqual({ country: null, region: null })
    expect(geoip.locate('not an address')).toEqual({ country: null, region: null })
  })

  test('a missing file, a file that is not an mmdb, or a database without countries is a ConfigError naming the setting', async () => {
    const missing = path.join(dir, 'missing.mmdb')
    await expect(openGeoIp(missing)).rejects.toThrow(new ConfigError(`RAPPORT_GEOIP_DB: no file at ${missing}`))
    const text = path.join(dir, 'not.mmdb')
    writeFileSync(text, 'country,region\nDE,BY\n')
    const notMmdb = openGeoIp(text)
    await expect(notMmdb).rejects.toBeInstanceOf(ConfigError)
    await expect(notMmdb).rejects.toThrow(/RAPPORT_GEOIP_DB: .* is not a MaxMind database/)
    const asn = path.join(dir, 'asn.mmdb')
    writeFileSync(
      asn,
      writeMmdb([{ cidr: '127.0.0.0/8', data: { autonomous_system_number: 64_500 } }], {
        databaseType: 'GeoLite2-ASN',
      }),
    )
    await expect(openGeoIp(asn)).rejects.toThrow(
      /is a GeoLite2-ASN database; country and region need a City or Country/,
    )
  })

  test('RAPPORT_GEOIP_DB is read as a path from the working directory; unset, no database', () => {
    const env = { ...process.env, RAPPORT_GEOIP_DB: 'geo/City.mmdb' }
    expect(loadConfig(env).email.geoipDb).toBe(path.resolve('geo/City.mmdb'))
    expect(loadConfig({ ...env, RAPPORT_GEOIP_DB: '' }).email.geoipDb).toBeUndefined()
  })
})

const pathOf = (url: string) => {
  const u = new URL(url)
  return `${u.pathname}${u.search}`
}
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'

describe('opens and clicks with RAPPORT_GEOIP_DB', () => {
  test('record the country and region of the client address, listed per message and counted per country for the campaign', async () => {
    let laterMs = 0
    const clock = { nowMs: () => Date.now() + laterMs }
    const { h, sink, start } = await emailApp(cleanups, { RAPPORT_GEOIP_DB: cityDatabase() }, clock)
    const [contact] = await makeContacts(h, 1, 'geo')
    const list = (await h.api('POST', '/api/v1/email-lists', { name: 'Geo' })).json()
    await h.api('POST', `/api/v1/email-lists/${list.id}/members`, { contact_ids: [contact] })
    const campaign = (
      await h.api('POST', '/api/v1/campaigns', {
        name: 'Where',
        subject: 'News',
        html: '<p>Read <a href="https://acme.example/news">the news</a>.</p>',
        list_ids: [list.id],
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
    const html = String((await sink.messages[0]!.parse()).html)
    const pixel = pathOf(/<img src="([^"]+\/email\/o\/[^"]+)"/.exec(html)![1]!)
    const click = pathOf(/href="([^"]+\/email\/c\/[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&'))
    laterMs = 60_000 // past the prefetch window: these are a person's

    const headers = { 'user-agent': CHROME }
    expect((await h.app.inject({ method: 'GET', url: pixel, headers })).statusCode).toBe(200) // from 127.0.0.1
    expect((await h.app.inject({ method: 'GET', url: click, headers })).statusCode).toBe(302)
    const remote = { method: 'GET' as const, url: pixel, headers }
    await h.app.inject({ ...remote, remoteAddress: '2001:db8::5' })
    await h.app.inject({ ...remote, remoteAddress: '192.0.2.9' })

    const emailId = (
      await h.deps.db.selectFrom('emails').select('id').where('campaign_id', '=', campaign.id).executeTakeFirstOrThrow()
    ).id
    const tracking = await h.api('GET', `/api/v1/emails/${emailId}/tracking?limit=10`)
    expect(tracking.statusCode).toBe(200)
    const body = tracking.json()
    expect(body.pagination).toMatchObject({ total: 4, has_more: false })
    // Newest first.
    expect(body.data.map((e: Record<string, unknown>) => [e.type, e.country, e.region])).toEqual([
      ['open', null, null],
      ['open', 'CA', 'CA-QC'],
      ['click', 'DE', 'DE-BY'],
      ['open', 'DE', 'DE-BY'],
    ])
    expect(body.data[2]).toMatchObject({
      object: 'email_tracking_event',
      url: 'https://acme.example/news',
      os: 'Windows',
      browser: 'Chrome',
      machine: false,
      machine_reason: null,
    })

    const countries = (await h.api('GET', `/api/v1/campaigns/${campaign.id}/countries`)).json()
    expect(countries).toEqual({
      object: 'list',
      data: [
        { country: 'DE', opens: 1, human_opens: 1, unique_opens: 1, clicks: 1, human_clicks: 1, unique_clicks: 1 },
        { country: 'CA', opens: 1, human_opens: 1, unique_opens: 1, clicks: 0, human_clicks: 0, unique_clicks: 0 },
        { country: null, opens: 1, human_opens: 1, unique_opens: 1, clicks: 0, human_clicks: 0, unique_clicks: 0 },
      ],
    })

    // Another organization sees neither.
    const other = await h.newOrg()
    const auth = { authorization: `Bearer ${other.key}` }
    for (const url of [`/api/v1/emails/${emailId}/tracking`, `/api/v1/campaigns/${campaign.id}/countries`]) {
      expect((await h.app.inject({ method: 'GET', url, headers: auth })).statusCode, url).toBe(404)
    }
  })
})
