import Type, { type Static } from 'typebox'
import { PLANS } from '../../core/tenancy.js'
import { OwnerInput, SignInLink } from '../accounts/sign-in-links.schemas.js'
import { ApiKey } from '../api-keys/api-keys.schemas.js'

export const PlanSchema = Type.Enum([...PLANS], {
  description: 'Billing plan: it caps key scopes and rate limits',
  examples: ['teams'],
})

export const Org = Type.Object(
  {
    id: Type.String({ description: 'Organization id', examples: ['org_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('organization', { description: 'Always `organization`' }),
    name: Type.String({ description: 'Organization name', examples: ['Acme'] }),
    plan: PlanSchema,
    created_at: Type.String({
      format: 'date-time',
      description: 'When the organization was created',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
    updated_at: Type.String({
      format: 'date-time',
      description: 'When the organization last changed',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
  },
  {
    description: 'A tenant: every contact, key and event belongs to exactly one organization',
    examples: [
      {
        id: 'org_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'organization',
        name: 'Acme',
        plan: 'teams',
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Org = Static<typeof Org>

export const OrgCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Organization name', examples: ['Acme'] }),
    plan: Type.Optional({
      ...PlanSchema,
      description: 'Billing plan: it caps key scopes and rate limits; free when omitted',
    }),
    owner: Type.Optional(OwnerInput),
  },
  {
    additionalProperties: false,
    description: 'A new organization, and optionally its owner',
    examples: [{ name: 'Acme', plan: 'teams', owner: { email: 'jane@acme.example', name: 'Jane Doe' } }],
  },
)
export type OrgCreate = Static<typeof OrgCreate>

export const OrgUpdate = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'New organization name', examples: ['Acme Corp'] }),
    ),
    plan: Type.Optional(PlanSchema),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields to change (at least one)',
    examples: [{ plan: 'pro' }],
  },
)
export type OrgUpdate = Static<typeof OrgUpdate>

export const OrgCreated = Type.Object(
  {
    org: Org,
    api_key: ApiKey,
    owner: Type.Union([SignInLink, Type.Null()], {
      description:
        'With `owner` in the request: the owner user and their single-use sign-in link (shown once). Null without it.',
    }),
    next_step: Type.String({
      description: 'What to do next, in words: open the owner’s link, or how to make an owner',
      examples: ['Open owner.url to set a password and sign in (single use, expires 2025-01-18T09:30:00.000Z)'],
    }),
  },
  {
    description: 'The organization, its first live secret key (shown once) and its owner’s sign-in link',
    examples: [
      {
        org: {
          id: 'org_01jd3k8m2x7q9v4b6n5t0w1y2z',
          object: 'organization',
          name: 'Acme',
          plan: 'teams',
          created_at: '2025-01-15T09:30:00.000Z',
          updated_at: '2025-01-15T09:30:00.000Z',
        },
        api_key: {
          id: 'key_01jd3k8m2x7q9v4b6n5t0w1y2z',
          object: 'api_key',
          name: 'Default secret key',
          type: 'secret',
          mode: 'live',
          prefix: 'rk_live_4f9Q',
          scopes: ['read', 'write', 'admin', 'webhooks', 'leads', 'keys'],
          created_at: '2025-01-15T09:30:00.000Z',
          last_used_at: null,
          expires_at: null,
          key: 'rk_live_4f9Qz1xV8wLm2Kp7sR3tY6uB0nC5dE9aH1jG',
        },
        owner: {
          object: 'sign_in_link',
          purpose: 'activate',
          url: 'https://crm.example.com/app/sign-in-link#token=Zb3k9Qw1',
          expires_at: '2025-01-18T09:30:00.000Z',
          user: {
            id: 'user_01jd3k8m2x7q9v4b6n5t0w1y2z',
            org_id: 'org_01jd3k8m2x7q9v4b6n5t0w1y2z',
            email: 'jane@acme.example',
            name: 'Jane Doe',
            role: 'owner',
          },
        },
        next_step: 'Open owner.url to set a password and sign in (single use, expires 2025-01-18T09:30:00.000Z)',
      },
    ],
  },
)
export type OrgCreated = Static<typeof OrgCreated>

export const OrgIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Organization id', examples: ['org_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
