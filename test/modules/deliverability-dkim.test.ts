import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import dkimModule from 'mailauth/lib/dkim/verify.js'
import { afterAll, describe, expect, test } from 'vitest'
import { type DkimApp, dkimApp } from './deliverability-dkim-app.js'
import { dnsZone } from './dns-zone.js'
import { startSmtpSink } from './email-sink.js'

/*
 * DKIM signing of what Rapport sends: messages through a real SMTP server on loopback, verified by
 * mailauth against the record the API tells the organization to publish, served by an in-process
 * DNS zone.
 */

const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

interface DnsRecordView {
  purpose: string
  name: string
  value: string | null
  status: string
  dkim_selector: string | null
  dkim_state: string | null
}

async function sendingApp(clock?: { nowMs(): number }) {
  const sink = await startSmtpSink()
  closers.push(sink.close)
  const zone = dnsZone()
  const h = await dkimApp({ resolver: zone.resolve, env: { RAPPORT_SMTP_URL: sink.url }, ...(clock ? { clock } : {}) })
  closers.push(h.close)
  const sender = await h.api('POST', '/api/v1/senders', { email: 'news@acme.example', name: 'Acme News' })
  expect(sender.statusCode).toBe(201)
  return { h, sink, zone }
}

async function send(h: DkimApp, to: string) {
  const res = await h.api('POST', '/api/v1/emails', { to, subject: 'Hello', text: 'Hello from Acme' })
  expect(res.statusCode).toBe(202)
}

async function dkimRecords(h: DkimApp, domain = 'acme.example'): Promise<DnsRecordView[]> {
  const res = await h.api('GET', `/api/v1/sending_domains/${domain}`)
  expect(res.statusCode).toBe(200)
  return (res.json().records as DnsRecordView[]).filter((r) => r.purpose === 'dkim')
}

const verify = async (raw: string, resolver: ReturnType<typeof dnsZone>['resolve']) =>
  (await dkimModule.dkimVerify(raw, { resolver })).results.map((r) => ({
    domain: r.signingDomain,
    selector: r.selector,
    result: r.status.result,
  }))

const otherPublicKey = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64')

describe('DKIM signing of messages sent through SMTP', () => {
  test('the first message from a sender’s domain is signed with its key; mailauth verifies it as pass with the published record and fail with another key', async () => {
    const { h, sink, zone } = await sendingApp()
    // Nothing has read the sending domains yet: the send itself makes the domain's key.
    await send(h, 'reader@example.com')
    await h.startWorker()
    await sink.waitFor(1)
    const raw = sink.messages[0]!.raw
    expect(raw).toMatch(/^DKIM-Signature: /m)

    const [record] = await dkimRecords(h)
    expect(record).toMatchObject({ status: 'unchecked', dkim_state: 'active' })
    expect(record!.name).toBe(`${record!.dkim_selector}._domainkey.acme.example`)
    expect(record!.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/)

    zone.txt(record!.name, record!.value!)
    expect(await verify(raw, zone.resolve)).toEqual([
      { domain: 'acme.example', selector: record!.dkim_selector, result: 'pass' },
    ])

    zone.txt(record!.name, `v=DKIM1; k=rsa; p=${otherPublicKey()}`)
    expect(await verify(raw, zone.resolve)).toEqual([
      { domain: 'acme.example', selector: record!.dkim_selector, result: 'fail' },
    ])

    zone.remove(record!.name)
    expect((await verify(raw, zone.resolve))[0]!.result).toBe('neutral')
  })

  test('the private key is sealed in the database: the row holds neither the PEM nor its base64 body, and the master key opens it to the published key', async () => {
    const { h } = await sendingApp()
    const [record] = await dkimRecords(h)
    const row = await h.deps.db
      .selectFrom('sending_domain_dkim_keys')
      .selectAll()
      .where('org_id', '=', h.orgId)
      .executeTakeFirstOrThrow()
    const pem = h.deps.secretBox.open(row.private_key_sealed)
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'))
    const stored = JSON.stringify(row)
    expect(stored).not.toContain('PRIVATE KEY')
    for (const line of body) expect(stored).not.toContain(line)
    expect(row.private_key_sealed).toMatch(/^v1\./)
    // The sealed key is the pair of the published one.
    const published = createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64')
    expect(record!.value).toBe(`v=DKIM1; k=rsa; p=${published}`)
  })

  test('after a rotation the current key keeps signing until a check finds the new record; then the new key signs', async () => {
    let nowMs = Date.parse('2026-12-07T10:00:00Z')
    const clock = { nowMs: () => nowMs }
    const { h, sink, zone } = await sendingApp(clock)
    const [first] = await dkimRecords(h)
    zone.txt(first!.name, first!.value!)

    const rotated = await h.api('POST', '/api/v1/sending_domains/acme.example/rotate_dkim')
    expect(rotated.statusCode).toBe(200)
    const [active, pending] = (rotated.json().records as DnsRecordView[]).filter((r) => r.purpose === 'dkim')
    expect(active).toMatchObject({ dkim_selector: first!.dkim_selector, dkim_state: 'active' })
    expect(pending).toMatchObject({ dkim_state: 'pending', status: 'unchecked' })
    expect(pending!.dkim_selector).toMatch(/^rapport202612-[a-z2-7]{5}$/)
    expect(pending!.dkim_selector).not.toBe(first!.dkim_selector)
    expect(rotated.json().dkim_selector).toBe(first!.dkim_selector)

    const again = await h.api('POST', '/api/v1/sending_domains/acme.example/rotate_dkim')
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('conflict')

    await h.startWorker()
    await send(h, 'one@example.com')
    await sink.waitFor(1)
    expect(await verify(sink.messages[0]!.raw, zone.resolve)).toEqual([
      { domain: 'acme.example', selector: first!.dkim_selector, result: 'pass' },
    ])

    // A check before the new record is published changes nothing.
    const early = await h.api('POST', '/api/v1/sending_domains/acme.example/check')
    expect(early.json().dkim_selector).toBe(first!.dkim_selector)
    expect((early.json().records as DnsRecordView[]).find((r) => r.dkim_state === 'pending')?.status).toBe('missing')

    zone.txt(pending!.name, pending!.value!)
    const checked = await h.api('POST', '/api/v1/sending_domains/acme.example/check')
    expect(checked.statusCode).toBe(200)
    expect(checked.json().dkim_selector).toBe(pending!.dkim_selector)
    const after = (checked.json().records as DnsRecordView[]).filter((r) => r.purpose === 'dkim')
    expect(after).toEqual([
      expect.objectContaining({ dkim_selector: pending!.dkim_selector, dkim_state: 'active', status: 'verified' }),
    ])

    // Signing keys are cached for a minute: past it, messages carry the new selector.
    nowMs += 61_000
    await send(h, 'two@example.com')
    await sink.waitFor(2)
    const second = sink.messages.find((m) => m.to[0] === 'two@example.com')!
    expect(await verify(second.raw, zone.resolve)).toEqual([
      { domain: 'acme.example', selector: pending!.dkim_selector, result: 'pass' },
    ])
    const retired = await h.deps.db
      .selectFrom('sending_domain_dkim_keys')
      .select(['selector', 'state'])
      .where('org_id', '=', h.orgId)
      .orderBy('created_at')
      .execute()
    expect(retired).toEqual([
      { selector: first!.dkim_selector, state: 'retired' },
      { selector: pending!.dkim_selector, state: 'active' },
    ])
  })

  test('the live and test modes of one domain have keys and selectors of their own', async () => {
    const { h } = await sendingApp()
    const testKey = await h.newKey({ mode: 'test' })
    expect((await h.api('POST', '/api/v1/senders', { email: 'news@acme.example' }, testKey)).statusCode).toBe(201)
    const live = await dkimRecords(h)
    const inTest = await h.api('GET', '/api/v1/sending_domains/acme.example', undefined, testKey)
    expect(inTest.statusCode).toBe(200)
    expect(inTest.json().dkim_selector).not.toBe(live[0]!.dkim_selector)
    const keys = await h.deps.db
      .selectFrom('sending_domain_dkim_keys')
      .select(['livemode', 'public_key'])
      .where('org_id', '=', h.orgId)
      .execute()
    expect(keys.map((k) => k.livemode).sort()).toEqual([false, true])
    expect(keys[0]!.public_key).not.toBe(keys[1]!.public_key)
  })
})
