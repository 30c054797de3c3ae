import { generateKeyPairSync } from 'node:crypto'
import { afterAll, describe, expect, test } from 'vitest'
import { ConfigError, parseDmarcRua, parseSpfInclude } from '../../src/config.js'
import { type DkimApp, dkimApp } from './deliverability-dkim-app.js'
import { dnsZone } from './dns-zone.js'

/*
 * The DNS records of sending domains and their check: mailauth looks them up through an
 * in-process zone (never the network) and each record is reported verified, missing, mismatch or
 * error with what was found. Organizations and modes never see each other's domains.
 */

const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

interface RecordView {
  purpose: 'dkim' | 'spf' | 'dmarc'
  type: string
  name: string
  value: string | null
  status: string
  found: string | null
  detail: string
  dkim_selector: string | null
}

const RELAY = 'include:_spf.relay.example'

async function appWith(env: Record<string, string> = { RAPPORT_SPF_INCLUDE: RELAY }) {
  const zone = dnsZone()
  // The relay's own SPF record, as a relay publishes it.
  zone.txt('_spf.relay.example', 'v=spf1 ip4:203.0.113.0/24 -all')
  const h = await dkimApp({ resolver: zone.resolve, env })
  closers.push(h.close)
  return { h, zone }
}

async function addSender(h: DkimApp, email: string, key?: string) {
  const res = await h.api('POST', '/api/v1/senders', { email }, key)
  expect(res.statusCode).toBe(201)
}

async function check(h: DkimApp, domain: string) {
  const res = await h.api('POST', `/api/v1/sending_domains/${domain}/check`)
  expect(res.statusCode).toBe(200)
  const body = res.json()
  const byPurpose = Object.fromEntries((body.records as RecordView[]).map((r) => [r.purpose, r])) as Record<
    RecordView['purpose'],
    RecordView
  >
  return { body, ...byPurpose }
}

const anotherKey = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64')

describe('the DNS records of a sending domain', () => {
  test('GET shows the DKIM, SPF and DMARC records to publish, unchecked until a check', async () => {
    const { h } = await appWith()
    await addSender(h, 'news@acme.example')
    const res = await h.api('GET', '/api/v1/sending_domains/acme.example')
    expect(res.statusCode).toBe(200)
    const domain = res.json()
    expect(domain).toMatchObject({
      object: 'sending_domain',
      domain: 'acme.example',
      status: 'unchecked',
      sender_count: 1,
    })
    expect(domain.checked_at).toBeNull()
    const [dkim, spf, dmarc] = domain.records as RecordView[]
    expect(dkim).toMatchObject({ purpose: 'dkim', type: 'TXT', status: 'unchecked', found: null })
    expect(dkim!.name).toBe(`${domain.dkim_selector}._domainkey.acme.example`)
    expect(dkim!.value).toMatch(/^v=DKIM1; k=rsa; p=MIIBIjAN[A-Za-z0-9+/]+=*$/)
    expect(spf).toMatchObject({
      purpose: 'spf',
      name: 'acme.example',
      value: `v=spf1 ${RELAY} ~all`,
      status: 'unchecked',
    })
    expect(dmarc).toMatchObject({
      purpose: 'dmarc',
      name: '_dmarc.acme.example',
      value: 'v=DMARC1; p=none; rua=mailto:dmarc-reports@acme.example',
      status: 'unchecked',
    })
  })

  test('with nothing published, the check reports DKIM, SPF and DMARC missing', async () => {
    const { h } = await appWith()
    await addSender(h, 'news@acme.example')
    const { body, dkim, spf, dmarc } = await check(h, 'acme.example')
    expect(body.status).toBe('action_required')
    expect(body.checked_at).toEqual(expect.any(String))
    expect([dkim.status, spf.status, dmarc.status]).toEqual(['missing', 'missing', 'missing'])
    expect([dkim.found, spf.found, dmarc.found]).toEqual([null, null, null])
    expect(dkim.detail).toContain(dkim.name)
  })

  test('the published key, an SPF record reaching the relay (directly or through another include) and a DMARC policy are verified', async () => {
    const { h, zone } = await appWith()
    await addSender(h, 'news@acme.example')
    await addSender(h, 'hello@beta.example')
    const acme = (await h.api('GET', '/api/v1/sending_domains/acme.example')).json()
    const acmeDkim = (acme.records as RecordView[])[0]!
    zone.txt(acmeDkim.name, acmeDkim.value!)
    zone.txt('acme.example', 'google-site-verification=abc123', `v=spf1 mx ${RELAY} ~all`)
    zone.txt('_dmarc.acme.example', 'v=DMARC1; p=quarantine; rua=mailto:reports@acme.example')
    const first = await check(h, 'acme.example')
    expect(first.body.status).toBe('verified')
    expect(first.dkim).toMatchObject({ status: 'verified', found: expect.stringContaining('v=DKIM1') })
    expect(first.spf).toMatchObject({ status: 'verified', found: `v=spf1 mx ${RELAY} ~all` })
    expect(first.dmarc).toMatchObject({
      status: 'verified',
      found: 'v=DMARC1; p=quarantine; rua=mailto:reports@acme.example',
    })

    const beta = (await h.api('GET', '/api/v1/sending_domains/beta.example')).json()
    const betaDkim = (beta.records as RecordView[])[0]!
    zone.txt(betaDkim.name, betaDkim.value!)
    zone.txt('beta.example', 'v=spf1 include:_spf.beta.example -all')
    zone.txt('_spf.beta.example', `v=spf1 ${RELAY} -all`)
    zone.txt('_dmarc.beta.example', 'v=DMARC1; p=none')
    const second = await check(h, 'beta.example')
    expect(second.spf.status).toBe('verified')
    expect(second.body.status).toBe('verified')
  })

  test('another key, an SPF record without the relay, two SPF records and a DMARC record without a policy are mismatches, with what was found', async () => {
    const { h, zone } = await appWith()
    await addSender(h, 'news@acme.example')
    const domain = (await h.api('GET', '/api/v1/sending_domains/acme.example')).json()
    const dkimName = (domain.records as RecordView[])[0]!.name
    const wrongKey = `v=DKIM1; k=rsa; p=${anotherKey()}`
    zone.txt(dkimName, wrongKey)
    zone.txt('acme.example', 'v=spf1 mx -all')
    zone.txt('_dmarc.acme.example', 'v=DMARC1; rua=mailto:reports@acme.example')
    const first = await check(h, 'acme.example')
    expect(first.body.status).toBe('action_required')
    expect(first.dkim).toMatchObject({ status: 'mismatch', found: wrongKey.replace(/\s+/g, '') })
    expect(first.spf).toMatchObject({ status: 'mismatch', found: 'v=spf1 mx -all' })
    expect(first.spf.detail).toContain(RELAY)
    expect(first.dmarc).toMatchObject({ status: 'mismatch', found: 'v=DMARC1; rua=mailto:reports@acme.example' })

    zone.txt(dkimName, 'v=DKIM1; k=rsa; p=not-base64!')
    zone.txt('acme.example', `v=spf1 ${RELAY} -all`, 'v=spf1 mx -all')
    zone.txt('_dmarc.acme.example', 'v=DMARC1; p=none', 'v=DMARC1; p=reject')
    const second = await check(h, 'acme.example')
    expect(second.dkim.status).toBe('mismatch')
    expect(second.spf).toMatchObject({ status: 'mismatch', found: `v=spf1 ${RELAY} -all | v=spf1 mx -all` })
    expect(second.dmarc).toMatchObject({ status: 'mismatch', found: 'v=DMARC1; p=none | v=DMARC1; p=reject' })
  })

  test('a DNS server that does not answer makes each record an error, and the next check recovers', async () => {
    const { h, zone } = await appWith()
    await addSender(h, 'news@acme.example')
    zone.setDown(true)
    const down = await check(h, 'acme.example')
    expect([down.dkim.status, down.spf.status, down.dmarc.status]).toEqual(['error', 'error', 'error'])
    expect(down.spf.detail).toContain('ETIMEOUT')
    zone.setDown(false)
    const up = await check(h, 'acme.example')
    expect([up.dkim.status, up.spf.status, up.dmarc.status]).toEqual(['missing', 'missing', 'missing'])
  })

  test('with an ip4 relay the SPF record must let that address pass; without RAPPORT_SPF_INCLUDE only its presence is checked', async () => {
    const byAddress = await appWith({
      RAPPORT_SPF_INCLUDE: 'ip4:198.51.100.7',
      RAPPORT_DMARC_RUA: 'mailto:dmarc@reports.example',
    })
    await addSender(byAddress.h, 'news@acme.example')
    byAddress.zone.txt('acme.example', 'v=spf1 ip4:198.51.100.0/24 -all')
    const passes = await check(byAddress.h, 'acme.example')
    expect(passes.spf).toMatchObject({ value: 'v=spf1 ip4:198.51.100.7 ~all', status: 'verified' })
    expect(passes.dmarc.value).toBe('v=DMARC1; p=none; rua=mailto:dmarc@reports.example')
    byAddress.zone.txt('acme.example', 'v=spf1 ip4:192.0.2.0/24 -all')
    expect((await check(byAddress.h, 'acme.example')).spf.status).toBe('mismatch')

    const unknown = await appWith({})
    await addSender(unknown.h, 'news@acme.example')
    const before = (await unknown.h.api('GET', '/api/v1/sending_domains/acme.example')).json()
    const spf = (before.records as RecordView[]).find((r) => r.purpose === 'spf')!
    expect(spf.value).toBeNull()
    expect(spf.detail).toContain('RAPPORT_SPF_INCLUDE')
    expect((await check(unknown.h, 'acme.example')).spf.status).toBe('missing')
    unknown.zone.txt('acme.example', 'v=spf1 include:_spf.other-relay.example ~all')
    const present = await check(unknown.h, 'acme.example')
    expect(present.spf).toMatchObject({ status: 'verified', found: 'v=spf1 include:_spf.other-relay.example ~all' })
  })
})

describe('sending domains per organization and mode', () => {
  test('lists the senders’ domains by name, paged, with their sender counts', async () => {
    const { h } = await appWith()
    for (const email of ['a@gamma.example', 'b@alpha.example', 'c@beta.example', 'd@Alpha.example']) {
      await addSender(h, email)
    }
    const first = await h.api('GET', '/api/v1/sending_domains?limit=2')
    expect(first.statusCode).toBe(200)
    expect(first.json().data.map((d: { domain: string; sender_count: number }) => [d.domain, d.sender_count])).toEqual([
      ['alpha.example', 2],
      ['beta.example', 1],
    ])
    expect(first.json().pagination).toMatchObject({ total: 3, has_more: true })
    const next = await h.api('GET', `/api/v1/sending_domains?limit=2&cursor=${first.json().pagination.next_cursor}`)
    expect(next.json().data.map((d: { domain: string }) => d.domain)).toEqual(['gamma.example'])
    expect(next.json().pagination.has_more).toBe(false)
  })

  test('another organization and the test mode see none of the domain: 404 on read, check and rotation', async () => {
    const { h } = await appWith()
    await addSender(h, 'news@acme.example')
    expect((await h.api('GET', '/api/v1/sending_domains/acme.example')).statusCode).toBe(200)
    const other = await h.newOrg()
    const testKey = await h.newKey({ mode: 'test' })
    for (const key of [other.key, testKey]) {
      const list = await h.api('GET', '/api/v1/sending_domains', undefined, key)
      expect(list.json().data).toEqual([])
      for (const [method, path] of [
        ['GET', '/api/v1/sending_domains/acme.example'],
        ['POST', '/api/v1/sending_domains/acme.example/check'],
        ['POST', '/api/v1/sending_domains/acme.example/rotate_dkim'],
      ] as const) {
        const res = await h.api(method, path, undefined, key)
        expect(res.statusCode, `${method} ${path}`).toBe(404)
        expect(res.json().error.code).toBe('not_found')
      }
    }
    // The other organization's own sender on the same domain gets a key of its own.
    await addSender(h, 'news@acme.example', other.key)
    const mine = (await h.api('GET', '/api/v1/sending_domains/acme.example')).json()
    const theirs = (await h.api('GET', '/api/v1/sending_domains/acme.example', undefined, other.key)).json()
    expect(theirs.dkim_selector).not.toBe(mine.dkim_selector)
    expect(theirs.records[0].value).not.toBe(mine.records[0].value)
  })

  test('reading takes the read scope, a check the write scope, a rotation the admin scope', async () => {
    const { h } = await appWith()
    await addSender(h, 'news@acme.example')
    const read = await h.newKey({ scopes: ['read'] })
    const write = await h.newKey({ scopes: ['read', 'write'] })
    expect((await h.api('GET', '/api/v1/sending_domains/acme.example', undefined, read)).statusCode).toBe(200)
    const refused = await h.api('POST', '/api/v1/sending_domains/acme.example/check', undefined, read)
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'insufficient_scope'])
    expect((await h.api('POST', '/api/v1/sending_domains/acme.example/check', undefined, write)).statusCode).toBe(200)
    const rotation = await h.api('POST', '/api/v1/sending_domains/acme.example/rotate_dkim', undefined, write)
    expect([rotation.statusCode, rotation.json().error.code]).toEqual([403, 'insufficient_scope'])
  })

  test('a domain that is not a host name is refused naming the parameter; an unknown one is a 404', async () => {
    const { h } = await appWith()
    const bad = await h.api('GET', '/api/v1/sending_domains/not_a_domain')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('invalid_query')
    expect(bad.json().error.details[0].field).toContain('domain')
    const unknown = await h.api('GET', '/api/v1/sending_domains/unknown.example')
    expect(unknown.statusCode).toBe(404)
  })
})

describe('RAPPORT_SPF_INCLUDE and RAPPORT_DMARC_RUA', () => {
  test('mechanisms are read from spaces or commas, a bare domain is an include, anything else is refused', () => {
    expect(parseSpfInclude(undefined)).toBeUndefined()
    expect(parseSpfInclude(' ')).toBeUndefined()
    expect(parseSpfInclude('_spf.relay.example, IP4:203.0.113.7 ip6:2001:db8::/32')).toEqual([
      'include:_spf.relay.example',
      'ip4:203.0.113.7',
      'ip6:2001:db8::/32',
    ])
    expect(() => parseSpfInclude('redirect:relay.example')).toThrow(ConfigError)
    expect(() => parseSpfInclude('include:')).toThrow(/RAPPORT_SPF_INCLUDE/)
  })

  test('the report address becomes a mailto: URI; something else is refused', () => {
    expect(parseDmarcRua(undefined)).toBeUndefined()
    expect(parseDmarcRua('dmarc@reports.example')).toBe('mailto:dmarc@reports.example')
    expect(parseDmarcRua('mailto:dmarc@reports.example')).toBe('mailto:dmarc@reports.example')
    expect(() => parseDmarcRua('reports.example')).toThrow(ConfigError)
    expect(() => parseDmarcRua('a@b.example; p=reject')).toThrow(/RAPPORT_DMARC_RUA/)
  })
})
