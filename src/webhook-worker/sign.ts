import { createHmac } from 'node:crypto'

export const USER_AGENT = 'Rapport-Webhook/1.0'

/** The bytes a `whsec_…` secret stands for (Standard Webhooks keys with the decoded part). */
function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64')
}

/** Standard Webhooks `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`. */
export function standardSignature(secret: string, messageId: string, timestampSec: number, body: string): string {
  const mac = createHmac('sha256', secretBytes(secret)).update(`${messageId}.${timestampSec}.${body}`).digest('base64')
  return `v1,${mac}`
}

/** The simple family: hex HMAC-SHA256 of the raw body, keyed with the whole secret string. */
export function hexSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex')
}

/**
 * Every header of one attempt, both families. `secrets` lists the valid secrets, current first:
 * during a rotation's overlap each gets its own `v1,` signature, space-separated, so receivers that
 * still hold the old secret keep verifying. The hex signature uses the current secret only.
 */
export function signedHeaders(opts: {
  secrets: string[]
  messageId: string
  eventType: string
  body: string
  nowMs: number
}): Record<string, string> {
  const timestampSec = Math.floor(opts.nowMs / 1000)
  const [current] = opts.secrets
  if (!current) throw new Error('an endpoint always has a secret')
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': opts.messageId,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': opts.secrets
      .map((s) => standardSignature(s, opts.messageId, timestampSec, opts.body))
      .join(' '),
    'x-webhook-signature': hexSignature(current, opts.body),
    'x-webhook-event': opts.eventType,
    'x-webhook-timestamp': new Date(timestampSec * 1000).toISOString(),
    'x-webhook-id': opts.messageId,
  }
}
