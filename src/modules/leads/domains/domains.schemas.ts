import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../../core/pagination.js'
import { DateTime, IdParams } from '../schema-parts.js'

export const Domain = Type.Object(
  {
    id: Type.String({ description: 'Domain id', examples: ['dom_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('domain', { description: 'Always `domain`' }),
    hostname: Type.String({
      description: 'The website’s hostname, lower-case; unique per organization and mode',
      examples: ['www.example.com'],
    }),
    created_at: DateTime('When the domain was added'),
    updated_at: DateTime('When the domain last changed'),
  },
  {
    description: 'A website of the organization; form responses may name the domain they came from',
    examples: [
      {
        id: 'dom_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'domain',
        hostname: 'www.example.com',
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Domain = Static<typeof Domain>

export const DomainCreate = Type.Object(
  {
    hostname: Type.String({
      minLength: 1,
      maxLength: 254,
      description:
        'A hostname such as `www.example.com` (letters, digits and hyphens, at least two labels; no scheme, port or path). Stored lower-case, without a trailing dot',
      examples: ['www.example.com'],
    }),
  },
  { additionalProperties: false, description: 'A website to add', examples: [{ hostname: 'www.example.com' }] },
)
export type DomainCreate = Static<typeof DomainCreate>

export const DomainListQuery = Type.Object(
  {
    ...PageQuery,
    hostname: Type.Optional(
      Type.String({ maxLength: 254, description: 'Exact hostname, case-insensitive', examples: ['www.example.com'] }),
    ),
  },
  { additionalProperties: false },
)
export type DomainListQuery = Static<typeof DomainListQuery>

export const DomainList = ListOf(Domain)
export const DomainIdParams = IdParams('Domain', 'dom_01jd3k8m2x7q9v4b6n5t0w1y2z')
