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

/** OpenAPI `webhooks` entries for the two form kinds, beside the catalog events. */
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
  return {
    FORM_SUBMIT: entry('FORM_SUBMIT', 'form_response.created', false),
    CAPTCHA: entry('CAPTCHA', 'form_response.rejected', true),
  }
}
