import { createHmac, createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { newId } from '../../src/lib/ids.js'
import type { ProviderFetch } from '../../src/modules/deliverability/providers/fetch.js'
import { messageIdFor } from '../../src/modules/email/compose.js'
import type { TestApp } from '../harness.js'

/** Every test runs at this instant (after the fixture certificate's start, 2026-12-07). */
export const NOW_MS = Date.parse('2027-03-01T12:00:00.000Z')
export const clock = { nowMs: () => NOW_MS }

const fixture = (name: string) => readFileSync(new URL(`../fixtures/providers/${name}`, import.meta.url), 'utf8')
export const SNS_KEY = createPrivateKey(fixture('sns-signing.key'))
export const SNS_CERT = fixture('sns-signing.pem')
export const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem'
export const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-feedback'
export const SUBSCRIBE_URL = `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37fb`

/** What the fake network was asked for, in order. */
export const fetched: string[] = []
/** Serves the fixture certificate and confirms subscriptions: the only "network" the hooks see. */
export const fakeFetch: ProviderFetch = async (url) => {
  fetched.push(url)
  if (url === CERT_URL) return { status: 200, body: SNS_CERT }
  if (url === SUBSCRIBE_URL) return { status: 200, body: '<ConfirmSubscriptionResponse/>' }
  return { status: 404, body: 'not found' }
}

/**
 * An SNS message signed as SNS signs it: the fields of its type, each as "name\nvalue\n", in
 * this order (written out here from the SNS documentation, not taken from the code under test).
 */
export function snsMessage(
  fields: Record<string, string>,
  opts: { version?: '1' | '2'; key?: KeyObject; certUrl?: string } = {},
): Record<string, string> {
  const version = opts.version ?? '2'
  const m: Record<string, string> = { ...fields, SignatureVersion: version, SigningCertURL: opts.certUrl ?? CERT_URL }
  const names =
    m.Type === 'Notification'
      ? ['Message', 'MessageId', ...(m.Subject ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type']
  const text = names.map((n) => `${n}\n${m[n]}\n`).join('')
  m.Signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(text), opts.key ?? SNS_KEY).toString('base64')
  return m
}

export const otherRsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey

/** An ECDSA P-256 pair as SendGrid's signed event webhook uses; the public half as SendGrid shows it. */
export function sendgridPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const verificationKey = publicKey.export({ format: 'der', type: 'spki' }).toString('base64')
  const signBody = (timestamp: string, body: string) =>
    sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64')
  return { verificationKey, signBody }
}

export const mailgunSignature = (key: string, timestamp: number, token: string) => ({
  timestamp: String(timestamp),
  token,
  signature: createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex'),
})

/** A message the organization sent (written directly: the send path has its own tests). */
export async function sentEmail(
  h: TestApp,
  to: string,
  opts: { orgId?: string; livemode?: boolean; campaignId?: string; contactId?: string } = {},
) {
  const id = newId('email')
  const row = {
    id,
    org_id: opts.orgId ?? h.org.id,
    livemode: opts.livemode ?? true,
    to_email: to,
    from_email: 'news@acme.example',
    subject: 'Spring news',
    text: 'Hello',
    category: opts.campaignId ? 'campaign' : 'api',
    headers: '{}',
    attachments: '[]',
    message_id: messageIdFor(id, 'news@acme.example'),
    status: 'sent' as const,
    campaign_id: opts.campaignId ?? null,
    contact_id: opts.contactId ?? null,
  }
  await h.deps.db.insertInto('emails').values(row).execute()
  return row
}

export async function createHook(h: TestApp, body: object, headers: Record<string, string> = {}) {
  const res = await h.api('POST', '/api/v1/email/provider_hooks', body, headers)
  expect(res.statusCode, res.body).toBe(201)
  const hook = res.json() as { id: string; url: string; password?: string; username?: string }
  return { ...hook, path: new URL(hook.url).pathname }
}

export async function post(h: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url: path,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  })
}

export async function bouncesOf(h: TestApp, orgId = h.org.id) {
  return h.deps.db.selectFrom('email_bounces').selectAll().where('org_id', '=', orgId).orderBy('id').execute()
}

export async function eventsOf(h: TestApp, type: string, orgId = h.org.id) {
  const rows = await h.deps.db
    .selectFrom('events')
    .select(['data'])
    .where('org_id', '=', orgId)
    .where('type', '=', type)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.data as Record<string, unknown>)
}
