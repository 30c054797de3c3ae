import { monotonicFactory } from 'ulid'

/** Public id prefixes. Ids are `<prefix>_<ulid, lower-case>`: time-sortable, readable in logs, safe to paste. */
export const ID_PREFIXES = {
  organization: 'org',
  apiKey: 'key',
  contact: 'c',
  tag: 'tag',
  event: 'evt',
  request: 'req',
  deal: 'd',
  task: 't',
  activity: 'a',
  booking: 'bk',
  webhookEndpoint: 'we',
  webhookDelivery: 'wd',
  webhookAttempt: 'wa',
} as const

export type IdKind = keyof typeof ID_PREFIXES

const ulid = monotonicFactory()

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`
}

/** True when `id` has the shape of an id of `kind` (prefix and 26 Crockford base32 characters). */
export function isIdOf(kind: IdKind, id: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`
  return id.startsWith(prefix) && /^[0-9a-hjkmnp-tv-z]{26}$/.test(id.slice(prefix.length))
}
