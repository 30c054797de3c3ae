import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../../core/pagination.js'
import { DateTime, nullable } from '../../email/email.schema-parts.js'

export const DNS_STATUSES = ['unchecked', 'verified', 'missing', 'mismatch', 'error'] as const
const EXAMPLE_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu2Jx3vQ0Zl8Lr1pW1Xl8b1bG9oQ2mM4bX0pWcVQ3z6s1pN5c8fJm8m0b1sXy0m4QkC0oXhQ3bJt8m4nYV0e2t7Nq7rJ5KpX8v3YQ9fL6u2V9mQ1pH0wG2cR7tC8yT1uK3pN6sW4zB5xD0eF2gH3iJ7kL8mN9oP1qR2sT3uV4wX5yZ6aB7cD8eF9gH0iJ1kL2mN3oP4qR5sT6uV7wX8yZ9aB0cD1eF2gH3iJ4kL5mN6oP7qR8sT9uV0wX1yZ2aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ5aB6cD7eF8gH9iJ0kL1mN2oP3qR4sT5uV6wX7yZ8aB9cD0eF1gH2iJ3kL4mN5oP6qR7sT8uV9wX0yZ1aB2cD3eF4gH5iJ6kL7mN8oP9QIDAQAB'
const SELECTOR = 'rapport202612-k3x9q'

export const DnsStatus = Type.Enum(DNS_STATUSES, {
  description:
    'What the last check found: `unchecked` (not checked since the record was made or its expected value changed), `verified` (published as it should be), `missing` (no such record), `mismatch` (a record is there but wrong: another key, no include of the relay, several records…) or `error` (the lookup failed: try again)',
  examples: ['verified'],
})

export const DnsRecord = Type.Object(
  {
    purpose: Type.Enum(['dkim', 'spf', 'dmarc'] as const, {
      description: 'What the record is for',
      examples: ['dkim'],
    }),
    type: Type.Literal('TXT', { description: 'The DNS record type: always `TXT`' }),
    name: Type.String({
      description: 'The full DNS name to publish the record at',
      examples: [`${SELECTOR}._domainkey.acme.example`],
    }),
    value: nullable(
      Type.String({ description: 'The record text', examples: [`v=DKIM1; k=rsa; p=${EXAMPLE_KEY.slice(0, 24)}…`] }),
      'The record text to publish. Null for SPF when the installation does not know its relay (`RAPPORT_SPF_INCLUDE` unset): see `detail`',
    ),
    status: DnsStatus,
    found: nullable(
      Type.String({ description: 'Record text', examples: ['v=spf1 include:_spf.relay.example ~all'] }),
      'The record text the last check found at `name`; null when none was found or no check ran',
    ),
    detail: Type.String({
      description: 'Why the status is what it is, or what to do, in a sentence',
      examples: ['The published key is the one Rapport signs with'],
    }),
    checked_at: nullable(DateTime('When it was last checked'), 'When it was last checked; null: never'),
    dkim_selector: nullable(
      Type.String({ description: 'The DKIM selector', examples: [SELECTOR] }),
      'For a DKIM record: its selector (the `s=` of the signatures); null for SPF and DMARC',
    ),
    dkim_state: nullable(
      Type.Enum(['active', 'pending'] as const, { description: 'The key’s state', examples: ['active'] }),
      'For a DKIM record: `active` (messages are signed with this key) or `pending` (a rotation waiting for its record: it becomes active, and the previous key stops signing, when a check finds it published); null for SPF and DMARC',
    ),
  },
  { description: 'One DNS record to publish for the domain, with the result of the last check' },
)
export type DnsRecord = Static<typeof DnsRecord>

const EXAMPLE_RECORDS: DnsRecord[] = [
  {
    purpose: 'dkim',
    type: 'TXT',
    name: `${SELECTOR}._domainkey.acme.example`,
    value: `v=DKIM1; k=rsa; p=${EXAMPLE_KEY}`,
    status: 'verified',
    found: `v=DKIM1; k=rsa; p=${EXAMPLE_KEY}`,
    detail: 'The published key is the one Rapport signs with',
    checked_at: '2025-01-15T09:30:00.000Z',
    dkim_selector: SELECTOR,
    dkim_state: 'active',
  },
  {
    purpose: 'spf',
    type: 'TXT',
    name: 'acme.example',
    value: 'v=spf1 include:_spf.relay.example ~all',
    status: 'mismatch',
    found: 'v=spf1 mx -all',
    detail:
      'The SPF record does not reach include:_spf.relay.example: add it to the existing record (a domain has one SPF record)',
    checked_at: '2025-01-15T09:30:00.000Z',
    dkim_selector: null,
    dkim_state: null,
  },
  {
    purpose: 'dmarc',
    type: 'TXT',
    name: '_dmarc.acme.example',
    value: 'v=DMARC1; p=none; rua=mailto:dmarc-reports@acme.example',
    status: 'missing',
    found: null,
    detail: 'No DMARC record at _dmarc.acme.example (nor at the organizational domain)',
    checked_at: '2025-01-15T09:30:00.000Z',
    dkim_selector: null,
    dkim_state: null,
  },
]

export const SendingDomain = Type.Object(
  {
    object: Type.Literal('sending_domain', { description: 'Always `sending_domain`' }),
    domain: Type.String({ description: 'The domain (lower-case)', examples: ['acme.example'] }),
    status: Type.Enum(['unchecked', 'verified', 'action_required'] as const, {
      description:
        '`verified` when every record was found as it should be at the last check, `unchecked` before any check, `action_required` otherwise (see each record)',
      examples: ['action_required'],
    }),
    dkim_selector: Type.String({
      description: 'The selector of the key messages from this domain are signed with now',
      examples: [SELECTOR],
    }),
    sender_count: Type.Integer({ description: 'Senders of the organization on this domain', examples: [2] }),
    records: Type.Array(DnsRecord, {
      description: 'The records to publish: DKIM (the active key, and a pending one after a rotation), SPF, DMARC',
    }),
    checked_at: nullable(
      DateTime('When the records were last checked'),
      'When the records were last checked; null: never',
    ),
    created_at: DateTime('When the domain was first seen (its first sender) and its key made'),
  },
  {
    description:
      'A domain the organization sends from (the domain of one of its senders), with the DKIM key Rapport signs its messages with and the DNS records to publish',
    examples: [
      {
        object: 'sending_domain',
        domain: 'acme.example',
        status: 'action_required',
        dkim_selector: SELECTOR,
        sender_count: 2,
        records: EXAMPLE_RECORDS,
        checked_at: '2025-01-15T09:30:00.000Z',
        created_at: '2025-01-15T09:00:00.000Z',
      },
    ],
  },
)
export type SendingDomain = Static<typeof SendingDomain>

export const SendingDomainListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type SendingDomainListQuery = Static<typeof SendingDomainListQuery>
export const SendingDomainList = ListOf(SendingDomain)

export const SendingDomainParams = Type.Object({
  domain: Type.String({
    minLength: 1,
    maxLength: 253,
    pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\\.?$',
    description: 'The domain, e.g. `acme.example`',
    examples: ['acme.example'],
  }),
})
