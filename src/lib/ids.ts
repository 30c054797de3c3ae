import { randomFillSync } from 'node:crypto'
import { monotonicFactory } from 'ulid'

/** Public id prefixes. Ids are `<prefix>_<ulid, lower-case>`: time-sortable, readable in logs, safe to paste. */
export const ID_PREFIXES = {
  organization: 'org',
  apiKey: 'key',
  contact: 'c',
  tag: 'tag',
  event: 'evt',
  request: 'req',
  user: 'user',
  pipeline: 'pl',
  stage: 'st',
  deal: 'd',
  task: 't',
  activity: 'a',
  note: 'n',
  workOrder: 'wo',
  invoice: 'inv',
  eventType: 'et',
  booking: 'bk',
  form: 'form',
  formResponse: 'fr',
  team: 'team',
  domain: 'dom',
  notification: 'ntf',
  callback: 'cb',
  webhookEndpoint: 'we',
  /** Made in SQL by the fan-out: `wd_` + the event's ulid + the endpoint's ulid (see events/emit.ts). */
  webhookDelivery: 'wd',
  webhookAttempt: 'wa',
  session: 'ses',
  invite: 'ivt',
  signInLink: 'sil',
  auditEntry: 'aud',
  import: 'imp',
  email: 'em',
  emailSender: 'snd',
  emailTemplate: 'etpl',
  emailEvent: 'eev',
  mailboxMessage: 'mbx',
  emailList: 'lst',
  emailSegment: 'seg',
  campaign: 'cmp',
  campaignSend: 'cms',
  trackingEvent: 'etr',
  savedView: 'sv',
  emailBounce: 'bnc',
  suppression: 'sup',
  providerHook: 'ph',
} as const

export type IdKind = keyof typeof ID_PREFIXES

/**
 * ulid's default random source asks the OS for one byte per character (16 calls per id, ~100 µs of
 * CPU each time the millisecond changes: the largest single cost of a GET in the benchmark). This
 * one draws from a 4 KiB pool refilled from the same CSPRNG. A byte / 256 is uniform over the 32
 * Crockford characters, since 256 is a multiple of 32.
 */
const pool = Buffer.alloc(4096)
let poolOffset = pool.length
function pooledRandom(): number {
  if (poolOffset >= pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  return pool[poolOffset++]! / 256
}

const ulid = monotonicFactory(pooledRandom)

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`
}

/** True when `id` has the shape of an id of `kind` (prefix and 26 Crockford base32 characters). */
export function isIdOf(kind: IdKind, id: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`
  return id.startsWith(prefix) && /^[0-9a-hjkmnp-tv-z]{26}$/.test(id.slice(prefix.length))
}
