import Type from 'typebox'

/**
 * The flat envelope that webhooks made with `kinds` (`/v1/webhooks`, `/api/v1/webhooks`) receive for
 * form submissions, as the form tool's document shows it (see src/webhook-worker/render.ts).
 */
const FormEnvelope = (refused: boolean) =>
  Type.Object(
    {
      EMAIL: Type.Union([Type.String(), Type.Null()], { description: 'The submitted email' }),
      PHONE: Type.Union([Type.String(), Type.Null()], { description: 'The submitted phone; null when none' }),
      formId: Type.Union([Type.String(), Type.Null()], { description: 'The form; null for a response without one' }),
      formName: Type.Union([Type.String(), Type.Null()], { description: 'The form’s name' }),
      listId: Type.Null({ description: 'Always null: Rapport has no mailing lists' }),
      ...(refused
        ? {
            reason: Type.String({
              description: 'Why it was refused: `honeypot` or `too_fast`',
              examples: ['honeypot'],
            }),
          }
        : {}),
    },
    {
      additionalProperties: true,
      description: 'The submitted fields by their keys, then these members',
      examples: [
        {
          email: 'lead@example.com',
          company: 'Acme',
          EMAIL: 'lead@example.com',
          PHONE: null,
          formId: 'form_01jd3k8m2x7q9v4b6n5t0w1y2z',
          formName: 'Contact us',
          listId: null,
          ...(refused ? { reason: 'honeypot' } : {}),
        },
      ],
    },
  )

const text = (description: string, example: string) => Type.String({ description, examples: [example] })
const textOrNull = (description: string) => Type.Union([Type.String(), Type.Null()], { description })
const numberOrNull = (description: string) => Type.Union([Type.Number(), Type.Null()], { description })

/** The email kinds: their `type`, the catalog event behind them, and the fields between the head and the tail. */
const EMAIL_KINDS = {
  SUCCESSFUL: { type: 'delivered', event: 'email.delivered', reader: undefined, own: {} },
  OPEN: { type: 'open', event: 'email.opened', reader: 'open', own: {} },
  HIT: {
    type: 'click',
    event: 'email.clicked',
    reader: 'click',
    own: { url: text('The clicked link', 'https://www.example.com/spring?utm_source=rapport') },
  },
  UNSUBSCRIBE: { type: 'unsubscribe', event: 'email.unsubscribed', reader: 'unsubscribe', own: {} },
  HARD_BOUNCE: { type: 'hard_bounce', event: 'email.hard_bounced', reader: undefined, own: 'bounce' },
  SOFT_BOUNCE: { type: 'soft_bounce', event: 'email.soft_bounced', reader: undefined, own: 'bounce' },
  COMPLAINT: { type: 'complaint', event: 'email.complained', reader: undefined, own: {} },
} as const

/**
 * The envelope an email kind receives (src/webhook-worker/render.ts writes it): the common head,
 * with the message's `subject` and `from`, the kind's own fields, then `date`, `type` and the
 * common tail, in the order of the reference document.
 */
function EmailEnvelope(kind: keyof typeof EMAIL_KINDS) {
  const k = EMAIL_KINDS[kind]
  const head = {
    email: text('The recipient', 'recipient@example.com'),
    campaignId: textOrNull('The campaign that sent it; null for a message sent on its own'),
    sendId: text('The message (its email id)', 'em_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    subject: text('The message’s subject', 'Spring news'),
    from: text('The message’s sender address', 'news@acme.example'),
  }
  const reader = k.reader
    ? {
        latitude: numberOrNull('Not known to Rapport: null'),
        longitude: numberOrNull('Not known to Rapport: null'),
        ...(k.reader === 'open' ? {} : { country: textOrNull('The reader’s country (ISO 3166-1), when known') }),
        region: textOrNull('The reader’s region, when known'),
        ...(k.reader === 'unsubscribe'
          ? { city: textOrNull('Not known to Rapport: null'), postcode: textOrNull('Not known to Rapport: null') }
          : {}),
        operatingSystem: textOrNull('The reader’s operating system, from the user agent'),
        language: textOrNull('Not known to Rapport: null'),
        browser: textOrNull('The reader’s browser, from the user agent'),
        webmail: textOrNull('The webmail used, when the user agent tells'),
      }
    : {}
  const own =
    k.own === 'bounce'
      ? {
          smtpDescription: text('The SMTP reply or the report’s text', '550 5.1.1 <jane@example.com>: no such user'),
          category: text(
            'The category in capitals: BAD_MAILBOX, BAD_DOMAIN, MAILBOX_FULL, POLICY, TRANSIENT, TIMEOUT, OTHER',
            'BAD_MAILBOX',
          ),
          returnCode: Type.Union([Type.Integer(), Type.Null()], {
            description: 'The SMTP basic reply code, when there was a reply',
          }),
        }
      : k.own
  const tail = {
    date: text('When it happened (ISO 8601)', '2025-05-05T09:26:15.557Z'),
    type: Type.Literal(k.type, { description: `Always \`${k.type}\`` }),
    ID: text('The recipient contact’s id; "" when none', 'c_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    State: text('Always `NORMAL`', 'NORMAL'),
    'Origin Kind': text('`LIST` for a campaign’s message, `MANUAL` otherwise', 'LIST'),
    'Origin Caption': text('Always ""', ''),
    'Email Correction': text('Always ""', ''),
    'Phone Correction': text('Always ""', ''),
    Email: text('The recipient again, as the document has it', 'recipient@example.com'),
    '': text('Always "", as the document has it', ''),
  }
  return Type.Object(
    { ...head, ...reader, ...own, ...tail },
    { description: `What a webhook created with the \`${kind}\` kind receives`, additionalProperties: false },
  )
}

/** OpenAPI `webhooks` entries for the form and email kinds, beside the catalog events. */
export function kindWebhooks(): Record<string, unknown> {
  const entry = (kind: string, event: string, refused: boolean) => ({
    post: {
      operationId: `kind_${kind}`,
      summary: `${kind} (webhooks made with kinds)`,
      description: `What a webhook created with the \`${kind}\` kind receives for \`${event}\`: the form tool’s flat envelope instead of the event envelope, with \`X-Webhook-Event: ${kind}\`, signed like every delivery (docs/compatibility.md).`,
      tags: ['event types'],
      requestBody: {
        required: true,
        description: 'The flat form envelope',
        content: { 'application/json': { schema: JSON.parse(JSON.stringify(FormEnvelope(refused))) } },
      },
      responses: { '2XX': { description: 'Any 2xx status acknowledges the delivery' } },
    },
  })
  const emailEntry = (kind: keyof typeof EMAIL_KINDS) => ({
    post: {
      operationId: `kind_${kind}`,
      summary: `${kind} (webhooks made with kinds)`,
      description: `What a webhook created with the \`${kind}\` kind receives for \`${EMAIL_KINDS[kind].event}\`: the reference document’s flat envelope, field for field and in its order, with \`X-Webhook-Event: ${kind}\`, signed like every delivery (docs/deliverability.md).`,
      tags: ['event types'],
      requestBody: {
        required: true,
        description: 'The flat email envelope',
        content: { 'application/json': { schema: JSON.parse(JSON.stringify(EmailEnvelope(kind))) } },
      },
      responses: { '2XX': { description: 'Any 2xx status acknowledges the delivery' } },
    },
  })
  return {
    FORM_SUBMIT: entry('FORM_SUBMIT', 'form_response.created', false),
    CAPTCHA: entry('CAPTCHA', 'form_response.rejected', true),
    ...Object.fromEntries(Object.keys(EMAIL_KINDS).map((kind) => [kind, emailEntry(kind as keyof typeof EMAIL_KINDS)])),
  }
}

/** The envelope schema of an email kind (tests compare rendered envelopes with it). */
export const emailEnvelopeSchema = EmailEnvelope
