import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../http/pagination.js'
import { SCOPES } from './principal.js'

const ScopeSchema = Type.Enum([...SCOPES], { description: 'read, write, admin or webhooks' })

export const ApiKey = Type.Object(
  {
    id: Type.String({ examples: ['key_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('api_key'),
    name: Type.String({ examples: ['Zapier'] }),
    type: Type.Enum(['secret', 'publishable']),
    mode: Type.Enum(['live', 'test'], { description: 'A test key sees and writes test-mode data only' }),
    prefix: Type.String({
      description: 'The first characters of the key, to recognise it',
      examples: ['rk_live_4f9Q'],
    }),
    scopes: Type.Array(Type.String(), { examples: [['read', 'write']] }),
    created_at: Type.String({ format: 'date-time' }),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    key: Type.Optional(
      Type.String({
        description: 'The secret itself: returned once, in the answer to its creation, and never again',
        examples: ['rk_live_4f9Qz1xV8wLm2Kp7sR3tY6uB0nC5dE9aH1jG'],
      }),
    ),
  },
  { description: 'An API key (the secret is never shown after creation)' },
)

export const ApiKeyCreate = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'What the key is for', examples: ['Zapier'] }),
    ),
    mode: Type.Optional(Type.Enum(['live', 'test'], { default: 'live' })),
    scopes: Type.Optional(
      Type.Array(ScopeSchema, {
        minItems: 1,
        uniqueItems: true,
        description: 'Defaults to every scope the plan allows',
      }),
    ),
    expires_at: Type.Optional(
      Type.String({ format: 'date-time', description: 'The key stops working at this instant' }),
    ),
  },
  { additionalProperties: false, examples: [{ name: 'Zapier', mode: 'live', scopes: ['read', 'write'] }] },
)
export type ApiKeyCreate = Static<typeof ApiKeyCreate>

export const ApiKeyListQuery = Type.Object(
  { page: PageQuery.page, limit: PageQuery.limit },
  { additionalProperties: false },
)
export const ApiKeyList = ListOf(ApiKey)
export const ApiKeyIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
