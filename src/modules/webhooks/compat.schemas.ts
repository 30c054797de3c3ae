import Type, { type Static } from 'typebox'
import { emailComplained, emailHardBounced, emailSoftBounced } from '../deliverability/deliverability.events.js'
import { emailClicked, emailDelivered, emailOpened, emailUnsubscribed } from '../email/email.events.js'
import { formResponseCreated, formResponseRejected } from '../leads/leads.events.js'

/**
 * The event kinds of the compatibility shape (`/api/v1/webhooks`, as other email and form tools
 * name them) and the catalog event each one stands for.
 */
export const KIND_EVENTS = {
  FORM_SUBMIT: formResponseCreated.name,
  SUCCESSFUL: emailDelivered.name,
  OPEN: emailOpened.name,
  HIT: emailClicked.name,
  SOFT_BOUNCE: emailSoftBounced.name,
  HARD_BOUNCE: emailHardBounced.name,
  COMPLAINT: emailComplained.name,
  UNSUBSCRIBE: emailUnsubscribed.name,
  CAPTCHA: formResponseRejected.name,
} as const

export type Kind = keyof typeof KIND_EVENTS
export const KINDS = Object.keys(KIND_EVENTS) as Kind[]

const KIND_LIST = KINDS.join(', ')
const EXAMPLE_ID = 'we_01jd3k8m2x7q9v4b6n5t0w1y2z'

const Kind = Type.Enum(KINDS, {
  description: `An event kind: ${KIND_LIST}`,
  examples: ['FORM_SUBMIT'],
})

export const CompatWebhook = Type.Object(
  {
    id: Type.String({ description: 'Webhook id (the webhook endpoint id)', examples: [EXAMPLE_ID] }),
    accountId: Type.String({ description: 'The organization id', examples: ['org_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    displayName: Type.Union([Type.String(), Type.Null()], {
      description: 'The name given at creation (or the endpoint description); null if none',
      examples: ['CRM sync'],
    }),
    url: Type.String({ description: 'Where events are POSTed', examples: ['https://hooks.example.com/rapport'] }),
    kinds: Type.Array(Type.String({ description: `An event kind: ${KIND_LIST}` }), {
      description:
        'The kinds given at creation; for an endpoint managed through `/api/v1/webhook_endpoints`, the kinds its events cover',
      examples: [['FORM_SUBMIT', 'HARD_BOUNCE']],
    }),
    creationDate: Type.String({
      format: 'date-time',
      description: 'When the webhook was created',
      examples: ['2025-01-15T09:30:00.000Z'],
    }),
  },
  {
    description: 'A webhook in the compatibility shape: the same object as a webhook endpoint, in other words',
    examples: [
      {
        id: EXAMPLE_ID,
        accountId: 'org_01jd3k8m2x7q9v4b6n5t0w1y2z',
        displayName: 'CRM sync',
        url: 'https://hooks.example.com/rapport',
        kinds: ['FORM_SUBMIT', 'HARD_BOUNCE'],
        creationDate: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type CompatWebhook = Static<typeof CompatWebhook>

export const CompatWebhookCreate = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'Where events are POSTed: an https URL on a public address',
      examples: ['https://hooks.example.com/rapport'],
    }),
    displayName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'A name for the webhook', examples: ['CRM sync'] }),
    ),
    kinds: Type.Array(Kind, {
      minItems: 1,
      maxItems: 50,
      description: `The events to receive: ${KIND_LIST}`,
      examples: [['FORM_SUBMIT', 'HARD_BOUNCE']],
    }),
  },
  {
    additionalProperties: false,
    description: 'A new webhook, in the compatibility shape',
    examples: [
      { url: 'https://hooks.example.com/rapport', displayName: 'CRM sync', kinds: ['FORM_SUBMIT', 'HARD_BOUNCE'] },
    ],
  },
)
export type CompatWebhookCreate = Static<typeof CompatWebhookCreate>

export const CompatWebhookList = Type.Array(CompatWebhook, {
  description: 'Every webhook of the organization in the mode of the key, oldest first (not paged)',
})

export const CompatWebhookIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Webhook id', examples: [EXAMPLE_ID] }),
})
