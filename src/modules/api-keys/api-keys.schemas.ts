import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { SCOPES } from '../../core/tenancy.js'

const Origins = Type.Array(
  Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'An origin: scheme://host[:port] (http or https, no path)',
    examples: ['https://www.example.com'],
  }),
  {
    maxItems: 50,
    description:
      'Publishable keys only: the web origins it may be used from, normalized to scheme://host[:port]; at least one',
    examples: [['https://www.example.com', 'https://example.com']],
  },
)

const SCOPE_LIST = 'read, write, admin, webhooks, leads (lead capture) or keys (manage API keys)'
const ScopeSchema = Type.Enum([...SCOPES], { description: SCOPE_LIST })

export const ApiKey = Type.Object(
  {
    id: Type.String({ description: 'API key id (not the secret)', examples: ['key_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('api_key', { description: 'Always `api_key`' }),
    name: Type.String({ description: 'What the key is for', examples: ['Zapier'] }),
    type: Type.Enum(['secret', 'publishable'], {
      description: 'A secret key calls the API; a publishable key can only submit public forms',
      examples: ['secret'],
    }),
    mode: Type.Enum(['live', 'test'], {
      description: 'A test key sees and writes test-mode data only',
      examples: ['live'],
    }),
    prefix: Type.String({
      description:
        'The first characters of a secret key, to recognise it; the whole of a publishable key (it is public: it ships in web pages). Publishable keys created before Rapport kept them whole show 12 characters',
      examples: ['rk_live_4f9Q'],
    }),
    scopes: Type.Array(Type.String({ description: SCOPE_LIST }), {
      description: "What the key may do; the organization's plan can narrow this further",
      examples: [['read', 'write']],
    }),
    allowed_origins: Type.Array(Type.String({ description: 'scheme://host[:port]' }), {
      description: 'Publishable keys: the web origins (`Origin` header) it may be used from; empty for a secret key',
      examples: [['https://www.example.com']],
    }),
    created_at: Type.String({
      format: 'date-time',
      description: 'When the key was created',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'Last successful use, to within a minute; null if never used',
      examples: ['2025-01-16T14:02:00.000Z'],
    }),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the key stops working; null if it never expires',
      examples: [null],
    }),
    created_by_user_id: Type.Union([Type.String(), Type.Null()], {
      description:
        "The dashboard user who created the key (signed in, or with a key they created); null when an operator made it (provisioning API or CLI). On owners, the key has this user's authority as their role is today",
      examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2a'],
    }),
    key: Type.Optional(
      Type.String({
        description: 'The secret itself: returned once, in the answer to its creation, and never again',
        examples: ['rk_live_4f9Qz1xV8wLm2Kp7sR3tY6uB0nC5dE9aH1jG'],
      }),
    ),
  },
  {
    description: 'An API key (the secret is never shown after creation)',
    examples: [
      {
        id: 'key_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'api_key',
        name: 'Zapier',
        type: 'secret',
        mode: 'live',
        prefix: 'rk_live_4f9Q',
        scopes: ['read', 'write'],
        allowed_origins: [],
        created_at: '2025-01-15T09:30:00.000Z',
        last_used_at: null,
        expires_at: null,
      },
    ],
  },
)

export const ApiKeyCreate = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'What the key is for', examples: ['Zapier'] }),
    ),
    type: Type.Optional(
      Type.Enum(['secret', 'publishable'], {
        default: 'secret',
        description:
          'secret (default) calls the API from a server; publishable (`pk_…`) only reads public form definitions and submits forms from browsers on its `allowed_origins`',
        examples: ['publishable'],
      }),
    ),
    allowed_origins: Type.Optional(Origins),
    mode: Type.Optional(
      Type.Enum(['live', 'test'], {
        default: 'live',
        description: 'live keys act on real data; test keys on the separate test-mode sandbox',
        examples: ['test'],
      }),
    ),
    scopes: Type.Optional(
      Type.Array(ScopeSchema, {
        minItems: 1,
        uniqueItems: true,
        description:
          'Defaults to the scopes of whoever creates the key (its own, for a key; the role’s, for a person), which a new key can never exceed; the plan narrows them further',
        examples: [['read']],
      }),
    ),
    expires_at: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'The key stops working at this instant (must be in the future)',
        examples: ['2026-01-01T00:00:00Z'],
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { name: 'Zapier', mode: 'live', scopes: ['read', 'write'] },
      { name: 'Website', type: 'publishable', mode: 'live', allowed_origins: ['https://www.example.com'] },
    ],
  },
)
export type ApiKeyCreate = Static<typeof ApiKeyCreate>

export const ApiKeyUpdate = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'What the key is for', examples: ['Website'] }),
    ),
    allowed_origins: Type.Optional(Origins),
  },
  {
    additionalProperties: false,
    description: 'The fields to change',
    examples: [{ allowed_origins: ['https://www.example.com', 'https://shop.example.com'] }],
  },
)
export type ApiKeyUpdate = Static<typeof ApiKeyUpdate>

export const ApiKeyListQuery = Type.Object(
  { page: PageQuery.page, limit: PageQuery.limit },
  { additionalProperties: false },
)
export const ApiKeyList = ListOf(ApiKey)
export const ApiKeyIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'API key id', examples: ['key_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})
