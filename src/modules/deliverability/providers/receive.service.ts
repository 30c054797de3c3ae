import sjson from 'secure-json-parse'
import { ApiError } from '../../../core/errors.js'
import type { Db, Executor } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import type { Clock } from '../../../lib/clock.js'
import { isIdOf } from '../../../lib/ids.js'
import type { SecretBox } from '../../../lib/secret-box.js'
import { type BouncedMessage, recordBounce } from '../bounces.js'
import type { DeliverabilityPolicy } from '../policy.js'
import type { ProviderFetch } from './fetch.js'
import { checkMailgun, mailgunEvents, mailgunSignature } from './mailgun.js'
import { hasBasicCredentials, postmarkEvents } from './postmark.js'
import {
  findEmails,
  findHookByToken,
  markConfirmed,
  markReceived,
  type ProviderHookRow,
  purgeReceipts,
  takeReceipt,
} from './provider-hooks.repo.js'
import type { Provider, ReceiveResult } from './provider-hooks.schemas.js'
import { hashToken } from './provider-hooks.service.js'
import type { ProviderEvent } from './provider-report.js'
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  sendgridEvents,
  sendgridKey,
  verifySendgrid,
} from './sendgrid.js'
import { sesEvents } from './ses.js'
import { asSnsMessage, isSnsUrl, SnsVerifier } from './sns.js'

type Headers = Record<string, string | string[] | undefined>

const refused = (message: string) => new ApiError('unauthenticated', message)
const header = (headers: Headers, name: string) => {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** `<em_…@domain>` (or without brackets, as Mailgun keeps it): our email id is the local part. */
const OUR_MESSAGE_ID = /^<?(em_[0-9a-hjkmnp-tv-z]{26})@/i
const normalizedMessageId = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase()

export interface ReceiverDeps {
  db: Db
  secretBox: SecretBox
  clock: Clock
  /** Read on each use: tests swap it on a running app. */
  fetcher: () => ProviderFetch
  policy: DeliverabilityPolicy
}

/**
 * Takes the requests relays post to a hook's URL: finds the hook by the URL's token (which fixes
 * the organization and mode), verifies the request by the provider's scheme, then records each
 * bounce or complaint about a message of that organization and mode with the shared recorder, all
 * in one transaction. Nothing is written for a request that does not verify. An event already
 * taken (the provider's retry) or about a message Rapport did not send records nothing and is
 * still answered 200, so that the provider does not retry it for days.
 */
export class ProviderReceiver {
  private readonly sns: SnsVerifier

  constructor(private readonly deps: ReceiverDeps) {
    this.sns = new SnsVerifier(deps.fetcher, deps.clock)
  }

  async receive(provider: Provider, token: string, headers: Headers, raw: Buffer): Promise<ReceiveResult> {
    const hook = await findHookByToken(this.deps.db, hashToken(token))
    if (!hook || hook.provider !== provider) throw new ApiError('not_found', 'No provider hook at this URL')
    switch (hook.provider) {
      case 'ses':
        return this.ses(hook, parseJson(raw))
      case 'sendgrid': {
        const signature = header(headers, SENDGRID_SIGNATURE_HEADER)
        const timestamp = header(headers, SENDGRID_TIMESTAMP_HEADER)
        const key = sendgridKey(hook.verification_key ?? '')
        if (!signature || !timestamp || !key || !verifySendgrid(key, signature, timestamp, raw)) {
          throw refused('The SendGrid signature does not verify')
        }
        return this.record(hook, sendgridEvents(parseJson(raw)))
      }
      case 'postmark': {
        const password = hook.secret_sealed ? this.deps.secretBox.open(hook.secret_sealed) : ''
        if (!hasBasicCredentials(header(headers, 'authorization'), hook.username ?? '', password)) {
          throw new ApiError('invalid_credentials', 'The basic-auth credentials of this hook are missing or wrong')
        }
        return this.record(hook, postmarkEvents(parseJson(raw)))
      }
      case 'mailgun': {
        const body = parseJson(raw)
        const signature = mailgunSignature(body)
        if (!signature) throw refused('The Mailgun signature is missing')
        const key = hook.secret_sealed ? this.deps.secretBox.open(hook.secret_sealed) : ''
        const outcome = checkMailgun(key, signature, this.deps.clock.nowMs())
        if (outcome === 'bad') throw refused('The Mailgun signature does not verify')
        if (outcome === 'stale') throw refused('The Mailgun signature’s timestamp is too far from now')
        return this.record(hook, mailgunEvents(body), `mailgun-token:${signature.token}`)
      }
    }
  }

  /**
   * An SNS message: verified (signature, certificate host) and of the hook's topic. A subscription
   * confirmation is confirmed by fetching its SubscribeURL (an SNS URL too), which pins the topic
   * when the hook has none; a notification needs a topic pinned or given.
   */
  private async ses(hook: ProviderHookRow, body: unknown): Promise<ReceiveResult> {
    const m = asSnsMessage(body)
    if (!m) throw refused('Not a signed Amazon SNS message')
    let verified: boolean
    try {
      verified = await this.sns.verify(m)
    } catch (err) {
      throw new ApiError(
        'service_unavailable',
        `The SNS signing certificate could not be fetched: ${(err as Error).message}`,
      )
    }
    if (!verified) throw refused('The Amazon SNS signature does not verify')
    if (hook.topic_arn && hook.topic_arn !== m.TopicArn)
      throw refused(`This hook takes messages of ${hook.topic_arn} only`)
    if (m.Type === 'SubscriptionConfirmation') {
      if (!m.SubscribeURL || !isSnsUrl(m.SubscribeURL)) throw refused('The SubscribeURL is not an Amazon SNS URL')
      const answer = await this.deps
        .fetcher()(m.SubscribeURL)
        .catch((err: Error) => ({ status: 0, body: err.message }))
      if (answer.status !== 200) {
        throw new ApiError('service_unavailable', `Amazon SNS did not confirm the subscription (${answer.status})`)
      }
      await markConfirmed(this.deps.db, hook.id, m.TopicArn)
      await markReceived(this.deps.db, hook.id)
      return { received: 0, recorded: 0 }
    }
    if (m.Type === 'UnsubscribeConfirmation') {
      await markReceived(this.deps.db, hook.id)
      return { received: 0, recorded: 0 }
    }
    if (!hook.topic_arn) throw refused('Confirm the SNS subscription (or give topic_arn) before notifications')
    return this.record(hook, sesEvents(m.MessageId, m.Message))
  }

  /** Records the events in one transaction; `replayKey` (Mailgun's token) is refused when taken before. */
  private async record(hook: ProviderHookRow, events: ProviderEvent[], replayKey?: string): Promise<ReceiveResult> {
    const scope = { orgId: hook.org_id, livemode: hook.livemode }
    const { softBounces, breaker } = this.deps.policy
    return inTransaction(this.deps.db, async (tx) => {
      if (replayKey && !(await takeReceipt(tx, hook.id, replayKey))) {
        throw refused('This signature was already used: a replayed request')
      }
      await markReceived(tx, hook.id)
      await purgeReceipts(tx, hook.id)
      let recorded = 0
      for (const event of events) {
        if (!(await takeReceipt(tx, hook.id, event.key))) continue
        const message = await messageOf(tx, scope, event)
        if (!message) continue
        await recordBounce(tx, message, event.report, hook.provider, softBounces, breaker)
        recorded++
      }
      return { received: events.length, recorded }
    })
  }
}

/**
 * The message an event is about, in the hook's organization and mode: by an email id the provider
 * echoed, or by the Message-ID (ours carries the email id, and must match the stored one), and
 * sent to the event's recipient. Undefined for a message Rapport did not send.
 */
async function messageOf(
  db: Executor,
  scope: { orgId: string; livemode: boolean },
  event: ProviderEvent,
): Promise<BouncedMessage | undefined> {
  const explicit = event.emailIds.map((id) => id.trim().toLowerCase()).filter((id) => isIdOf('email', id))
  const fromMessageIds = event.messageIds.flatMap((m) => {
    const match = OUR_MESSAGE_ID.exec(m.trim())
    return match ? [match[1]!.toLowerCase()] : []
  })
  const candidates = [...new Set([...explicit, ...fromMessageIds])].slice(0, 10)
  const wanted = new Set(event.messageIds.map(normalizedMessageId))
  for (const row of await findEmails(db, scope, candidates)) {
    if (!explicit.includes(row.id) && !wanted.has(normalizedMessageId(row.message_id))) continue
    if (event.recipient && row.to_email.toLowerCase() !== event.recipient.trim().toLowerCase()) continue
    return row
  }
  return undefined
}

function parseJson(raw: Buffer): unknown {
  try {
    return sjson.parse(raw.toString('utf8'), undefined, { protoAction: 'remove', constructorAction: 'remove' })
  } catch (err) {
    throw new ApiError('invalid_json', `The body is not valid JSON: ${(err as Error).message}`)
  }
}
