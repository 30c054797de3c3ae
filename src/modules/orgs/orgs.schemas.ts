import Type, { type Static } from 'typebox'
import { PLANS } from '../../config.js'
import { ApiKey } from '../api-keys/api-keys.schemas.js'

export const PlanSchema = Type.Enum([...PLANS], {
  description: 'Billing plan: it caps key scopes and rate limits',
  examples: ['teams'],
})

export const Org = Type.Object({
  id: Type.String({ examples: ['org_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
  object: Type.Literal('organization'),
  name: Type.String({ examples: ['Acme'] }),
  plan: PlanSchema,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
})
export type Org = Static<typeof Org>

export const OrgCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Organization name', examples: ['Acme'] }),
    plan: Type.Optional(PlanSchema),
  },
  { additionalProperties: false, examples: [{ name: 'Acme', plan: 'teams' }] },
)
export type OrgCreate = Static<typeof OrgCreate>

export const OrgUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    plan: Type.Optional(PlanSchema),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ plan: 'pro' }] },
)
export type OrgUpdate = Static<typeof OrgUpdate>

export const OrgCreated = Type.Object(
  { org: Org, api_key: ApiKey },
  { description: 'The organization and its first live secret key (shown once)' },
)
export const OrgIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
