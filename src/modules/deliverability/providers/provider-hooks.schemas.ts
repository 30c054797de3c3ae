import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../../core/pagination.js'
import { DateTime, IdParams } from '../../email/email.schema-parts.js'

export const PROVIDERS = ['ses', 'sendgrid', 'postmark', 'mailgun'] as const
export type Provider = (typeof PROVIDERS)[number]

const HOOK_ID = 'ph_01jd3k8m2x7q9v4b6n5t0w1y2z'
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:ses-bounces'
const SENDGRID_KEY =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEvCWavAxPTqD3trE706kzZ3b67MFCUfLJ4yVFzPt3ZvPdI9na2TONio5Rmspn31hyoL2yib8tIh7krNXg8JpJMA=='
const URL_EXAMPLE = 'https://crm.example.com/hooks/email/ses/Xq3v9k2LmN8pR4tW7yZ1aB5cD0eF6gH2jK4mN7pQ9s'
const nullableString = (description: string, examples: unknown[] = []) =>
  Type.Union([Type.String(), Type.Null()], { description, examples })

export const ProviderHookCreate = Type.Object(
  {
    provider: Type.Enum(PROVIDERS, {
      description:
        'The relay: `ses` (Amazon SES notifications through an SNS topic), `sendgrid` (signed event webhook), `postmark` (bounce and spam complaint webhooks) or `mailgun`',
      examples: ['ses'],
    }),
    description: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'A note for people', examples: ['Production SES'] }),
    ),
    topic_arn: Type.Optional(
      Type.String({
        pattern: '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$',
        description:
          '`ses` only: the SNS topic whose messages this hook takes. Without it, the topic of the first subscription confirmed is pinned',
        examples: [TOPIC_ARN],
      }),
    ),
    verification_key: Type.Optional(
      Type.String({
        minLength: 40,
        maxLength: 1000,
        description:
          '`sendgrid` only, required: the verification key SendGrid shows for the signed event webhook (an ECDSA P-256 public key, base64 or PEM)',
        examples: [SENDGRID_KEY],
      }),
    ),
    signing_key: Type.Optional(
      Type.String({
        minLength: 8,
        maxLength: 200,
        description: '`mailgun` only, required: the HTTP webhook signing key of the Mailgun account (sealed at rest)',
        examples: ['key-3ax6xnjp29jd6fds4gc373sgvjxteol0'],
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { provider: 'ses', description: 'Production SES', topic_arn: TOPIC_ARN },
      { provider: 'mailgun', signing_key: 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0' },
    ],
  },
)
export type ProviderHookCreate = Static<typeof ProviderHookCreate>

export const ProviderHook = Type.Object(
  {
    id: Type.String({ description: 'Provider hook id', examples: [HOOK_ID] }),
    object: Type.Literal('email_provider_hook', { description: 'Always `email_provider_hook`' }),
    provider: Type.Enum(PROVIDERS, { description: 'The relay', examples: ['ses'] }),
    description: nullableString('A note for people', ['Production SES']),
    livemode: Type.Boolean({ description: 'The mode of the emails this hook records bounces for', examples: [true] }),
    url: Type.Optional(
      Type.String({
        description:
          'The URL to give the provider. Only in the answer to the creation: its last segment is a secret token kept only as a hash. For `postmark` it carries the basic-auth credentials',
        examples: [URL_EXAMPLE],
      }),
    ),
    url_hint: Type.String({
      description: 'The URL with its token cut short, to recognise it',
      examples: ['https://crm.example.com/hooks/email/ses/Xq3v…'],
    }),
    topic_arn: nullableString('`ses`: the SNS topic taken (null until given or pinned)', [TOPIC_ARN]),
    confirmed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: '`ses`: when the SNS subscription was confirmed',
      examples: ['2025-01-15T09:31:00.000Z'],
    }),
    verification_key: nullableString('`sendgrid`: the verification key (a public key)', [SENDGRID_KEY]),
    username: nullableString('`postmark`: the basic-auth user name in the URL', ['rapport-7f3k2m']),
    password: Type.Optional(
      Type.String({
        description: '`postmark`: the basic-auth password, only in the answer to the creation',
        examples: ['Vn4kP9sQ2xW7zR1t'],
      }),
    ),
    secret_hint: nullableString(
      'The last characters of the sealed secret (Mailgun’s signing key, Postmark’s password); null for the others',
      ['…eol0'],
    ),
    last_received_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the provider last reached this hook with a request that verified',
      examples: ['2025-01-15T10:02:11.000Z'],
    }),
    created_at: DateTime('When it was registered'),
  },
  {
    description:
      'A provider webhook: the URL a relay posts its bounces and complaints to, and how its requests are verified (docs/deliverability.md, "Provider webhooks")',
    examples: [
      {
        id: HOOK_ID,
        object: 'email_provider_hook',
        provider: 'ses',
        description: 'Production SES',
        livemode: true,
        url: URL_EXAMPLE,
        url_hint: 'https://crm.example.com/hooks/email/ses/Xq3v…',
        topic_arn: TOPIC_ARN,
        confirmed_at: null,
        verification_key: null,
        username: null,
        secret_hint: null,
        last_received_at: null,
        created_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type ProviderHook = Static<typeof ProviderHook>

export const ProviderHookList = ListOf(ProviderHook)
export const ProviderHookListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export const ProviderHookIdParams = IdParams('Provider hook', HOOK_ID)

export const ReceiveParams = Type.Object({
  provider: Type.Enum(PROVIDERS, { description: 'The relay the hook was registered for', examples: ['sendgrid'] }),
  token: Type.String({
    maxLength: 100,
    description: 'The hook’s secret token',
    examples: ['Xq3v9k2LmN8pR4tW7yZ1aB5cD0eF6gH2jK4mN7pQ9s'],
  }),
})

export const ReceiveResult = Type.Object(
  {
    received: Type.Integer({ description: 'Bounces and complaints the request carried', examples: [2] }),
    recorded: Type.Integer({
      description:
        'Those recorded now: not counted are events already taken (a retry) and events about messages this organization did not send',
      examples: [1],
    }),
  },
  { description: 'What the hook did with the request', examples: [{ received: 2, recorded: 1 }] },
)
export type ReceiveResult = Static<typeof ReceiveResult>
