import { describe, expect, test } from 'vitest'
import { ConfigError, loadConfig, parseSmtpInbound } from '../../src/config.js'
import { newId } from '../../src/lib/ids.js'
import { classifyDsnFailure } from '../../src/modules/deliverability/inbound/dsn-classify.js'
import { parseInboundMessage } from '../../src/modules/deliverability/inbound/report.js'
import { VerpSigner, verpKey, verpSignerFor } from '../../src/modules/deliverability/inbound/verp.js'
import { fixture } from './deliverability-inbound-helpers.js'

/** Pure parts of the inbound listener: its settings, the return paths, reading reports, classifying DSNs. */

const KEY = Buffer.alloc(32, 7)
const signer = (domain = 'bounces.example.com', key = KEY) => new VerpSigner(domain, () => verpKey(key))

describe('RAPPORT_SMTP_INBOUND settings', () => {
  test('off unless RAPPORT_SMTP_INBOUND is set; then host, port, domain and size limit are read', () => {
    expect(loadConfig({}).deliverability.inbound).toBeUndefined()
    expect(verpSignerFor(loadConfig({}))).toBeUndefined()
    expect(
      parseSmtpInbound({ RAPPORT_SMTP_INBOUND: '0.0.0.0:25', RAPPORT_SMTP_INBOUND_DOMAIN: 'Bounces.Example.COM' }),
    ).toEqual({ host: '0.0.0.0', port: 25, domain: 'bounces.example.com', maxBytes: 10 * 1024 * 1024 })
    expect(
      parseSmtpInbound({
        RAPPORT_SMTP_INBOUND: '[::]:2525',
        RAPPORT_SMTP_INBOUND_DOMAIN: 'mx.example.com',
        RAPPORT_SMTP_INBOUND_MAX_BYTES: '2048',
      }),
    ).toEqual({ host: '::', port: 2525, domain: 'mx.example.com', maxBytes: 2048 })
  })

  test('the domain defaults to the host of RAPPORT_PUBLIC_URL', () => {
    const inbound = parseSmtpInbound({
      RAPPORT_SMTP_INBOUND: 'localhost:2525',
      RAPPORT_PUBLIC_URL: 'https://crm.example.com/rapport',
    })
    expect(inbound).toMatchObject({ host: 'localhost', port: 2525, domain: 'crm.example.com' })
  })

  test.each([
    ['25', 'is not host:port'],
    ['0.0.0.0:', 'is not host:port'],
    ['0.0.0.0:70000', 'is not host:port'],
    ['[not-ipv6]:25', 'is not host:port'],
    ['smtp://0.0.0.0:25', 'is not host:port'],
  ])('RAPPORT_SMTP_INBOUND=%s is refused with a message naming the setting', (value, message) => {
    const parse = () => parseSmtpInbound({ RAPPORT_SMTP_INBOUND: value, RAPPORT_SMTP_INBOUND_DOMAIN: 'example.com' })
    expect(parse).toThrow(ConfigError)
    expect(parse).toThrow(`RAPPORT_SMTP_INBOUND: "${value}" ${message}`)
  })

  test('a missing or invalid domain and a tiny size limit are refused with a clear message', () => {
    expect(() => parseSmtpInbound({ RAPPORT_SMTP_INBOUND: '0.0.0.0:25' })).toThrow(
      'RAPPORT_SMTP_INBOUND needs RAPPORT_SMTP_INBOUND_DOMAIN (or RAPPORT_PUBLIC_URL)',
    )
    expect(() =>
      parseSmtpInbound({ RAPPORT_SMTP_INBOUND: '0.0.0.0:25', RAPPORT_SMTP_INBOUND_DOMAIN: 'not a domain' }),
    ).toThrow('RAPPORT_SMTP_INBOUND_DOMAIN: "not a domain" is not a domain name')
    expect(() =>
      parseSmtpInbound({ RAPPORT_SMTP_INBOUND: '0.0.0.0:25', RAPPORT_PUBLIC_URL: 'http://127.0.0.1:3000' }),
    ).toThrow('RAPPORT_SMTP_INBOUND_DOMAIN (from the host of RAPPORT_PUBLIC_URL): "127.0.0.1" is not a domain name')
    expect(() =>
      parseSmtpInbound({
        RAPPORT_SMTP_INBOUND: '0.0.0.0:25',
        RAPPORT_SMTP_INBOUND_DOMAIN: 'example.com',
        RAPPORT_SMTP_INBOUND_MAX_BYTES: '10',
      }),
    ).toThrow('RAPPORT_SMTP_INBOUND_MAX_BYTES must be at least 1024')
  })
})

describe('VERP return paths', () => {
  test('a return path names its send and verifies, whatever the case; anything altered does not', () => {
    const verp = signer()
    const id = newId('email')
    const address = verp.returnPath(id)
    expect(address).toMatch(/^bounces\+em_[0-9a-z]{26}\.[0-9a-f]{20}@bounces\.example\.com$/)
    expect(verp.emailIdOf(address)).toBe(id)
    expect(verp.emailIdOf(address.toUpperCase())).toBe(id)
    const at = address.indexOf('@')
    const flipped = `${address.slice(0, at - 1)}${address[at - 1] === 'a' ? 'b' : 'a'}${address.slice(at)}`
    expect(verp.emailIdOf(flipped)).toBeUndefined()
    expect(verp.emailIdOf(address.replace(id, newId('email')))).toBeUndefined()
    expect(verp.emailIdOf(address.replace('bounces.example.com', 'example.com'))).toBeUndefined()
    expect(verp.emailIdOf(address.replace('bounces+', 'returns+'))).toBeUndefined()
    expect(verp.emailIdOf(`postmaster@bounces.example.com`)).toBeUndefined()
    expect(verp.emailIdOf('')).toBeUndefined()
    // Another installation (another master key) cannot make ours.
    expect(signer('bounces.example.com', Buffer.alloc(32, 8)).emailIdOf(address)).toBeUndefined()
  })
})

describe('reading reports', () => {
  const values = {
    VERP: 'bounces+em_01jx0000000000000000000001.0123456789abcdef0123@bounces.example.com',
    TO: 'Jane@Example.com',
    FROM: 'Acme <news@acme.example>',
    SUBJECT: 'Hello',
    MESSAGE_ID: '<em_01jx0000000000000000000001@acme.example>',
    EMAIL_ID: 'em_01jx0000000000000000000001',
  }

  test('a DSN: its Message-ID, per-recipient blocks (folded Diagnostic-Code unfolded) and the returned headers', async () => {
    const report = await parseInboundMessage(fixture('dsn-hard-5.1.1.eml', values))
    expect(report).toEqual({
      type: 'dsn',
      messageId: '20250603091244.4XyZ1a2b3c@mx-out.mail.example.net',
      envelopeId: null,
      reportingMta: 'mx-out.mail.example.net',
      recipients: [
        {
          finalRecipient: 'jane@example.com',
          originalRecipient: 'jane@example.com',
          action: 'failed',
          status: '5.1.1',
          diagnosticCode:
            '550 5.1.1 <Jane@Example.com>: Recipient address rejected: User unknown in virtual mailbox table',
        },
      ],
      original: { messageId: 'em_01jx0000000000000000000001@acme.example', rapportEmailId: values.EMAIL_ID },
    })
  })

  test('a DSN returning the whole message, and one with three recipients', async () => {
    const full = await parseInboundMessage(fixture('dsn-mailbox-full-5.2.2.eml', values))
    expect(full).toMatchObject({ type: 'dsn', envelopeId: '0cb2a1f7e4', original: { rapportEmailId: values.EMAIL_ID } })
    const multi = await parseInboundMessage(fixture('dsn-multi-recipient.eml', values))
    expect(multi.type === 'dsn' && multi.recipients.map((r) => [r.finalRecipient, r.action, r.status])).toEqual([
      ['someone.else@example.org', 'failed', '5.1.1'],
      ['jane@example.com', 'failed', '5.1.2'],
      ['third.person@example.org', 'delivered', '2.0.0'],
    ])
  })

  test('a feedback report (ARF), an out-of-office reply, and a message that is neither', async () => {
    expect(await parseInboundMessage(fixture('arf-abuse.eml', values))).toEqual({
      type: 'arf',
      messageId: 'arf-20250609164012-771@isp.example.net',
      feedbackType: 'abuse',
      userAgent: 'ExampleISP-FBL/2.1',
      original: { messageId: 'em_01jx0000000000000000000001@acme.example', rapportEmailId: values.EMAIL_ID },
    })
    expect(await parseInboundMessage(fixture('auto-reply-out-of-office.eml', values))).toMatchObject({
      type: 'auto_reply',
    })
    const human = Buffer.from('From: jane@example.com\r\nTo: x@example.com\r\nSubject: Re: Hello\r\n\r\nThanks!\r\n')
    expect(await parseInboundMessage(human)).toMatchObject({ type: 'other' })
    const vacation = Buffer.from('From: jane@example.com\r\nSubject: Automatic reply: Hello\r\n\r\nAway.\r\n')
    expect(await parseInboundMessage(vacation)).toMatchObject({ type: 'auto_reply' })
  })
})

describe('classifying a failed DSN block as at send time', () => {
  const block = (status: string | null, diagnosticCode: string | null) => ({
    finalRecipient: 'jane@example.com',
    originalRecipient: null,
    action: 'failed',
    status,
    diagnosticCode,
  })

  test.each([
    ['5.1.1', '550 5.1.1 no such user', 'hard', 'bad_mailbox', 550],
    ['5.1.2', null, 'hard', 'bad_domain', null],
    ['5.2.2', '552 5.2.2 mailbox full', 'soft', 'mailbox_full', 552],
    ['5.7.1', '554 5.7.1 rejected by DMARC policy', 'soft', 'policy', 554],
    ['4.4.7', 'timed out after 5 days', 'soft', 'transient', null],
    ['5.0.0', '550 5.1.1 user unknown', 'hard', 'bad_mailbox', 550],
    ['5.3.0', '554 5.3.0 other error', 'soft', 'other', 554],
  ] as const)('Status %s, Diagnostic-Code %s → %s %s', (status, diagnostic, kind, category, returnCode) => {
    const c = classifyDsnFailure(block(status, diagnostic))
    expect({ kind: c.kind, category: c.category, returnCode: c.returnCode }).toEqual({ kind, category, returnCode })
    expect(c.smtpDescription).toBe(diagnostic ?? `Status: ${status}`)
  })
})
