/**
 * What one delivery sends: the event's name and the body, as the endpoint's subscription asks.
 *
 * - An endpoint that subscribed by an alias (`client_created`…) receives that event under the
 *   alias, in the body's `event` and `type` and in `X-Webhook-Event`.
 * - An endpoint created with `kinds` (the Sarbacane-style `/v1/webhooks`, or `/api/v1/webhooks`)
 *   receives form submissions and email events in that product's flat envelope, named by its kind.
 * - Every other delivery is the standard envelope `{id, event, timestamp, data}`.
 */
export interface RenderableDelivery {
  event_id: string
  event_type: string
  event_created_at: Date
  event_data: Record<string, unknown>
  /** Catalog name → alias the endpoint subscribed by. */
  event_aliases: Record<string, string> | null
  /** Set when the endpoint was created in the kinds shape. */
  kinds: string[] | null
}

export interface RenderedDelivery {
  eventName: string
  body: string
}

/** The catalog event behind each kind whose delivery has the flat envelope, and the envelope's `type`. */
const FLAT_KINDS: Record<string, { kind: string; type?: string }> = {
  'form_response.created': { kind: 'FORM_SUBMIT' },
  'form_response.rejected': { kind: 'CAPTCHA' },
  'email.delivered': { kind: 'SUCCESSFUL', type: 'delivered' },
  'email.opened': { kind: 'OPEN', type: 'open' },
  'email.clicked': { kind: 'HIT', type: 'click' },
  'email.soft_bounced': { kind: 'SOFT_BOUNCE', type: 'soft_bounce' },
  'email.hard_bounced': { kind: 'HARD_BOUNCE', type: 'hard_bounce' },
  'email.complained': { kind: 'COMPLAINT', type: 'complaint' },
  'email.unsubscribed': { kind: 'UNSUBSCRIBE', type: 'unsubscribe' },
}

export function renderDelivery(d: RenderableDelivery): RenderedDelivery {
  const flat = d.kinds ? FLAT_KINDS[d.event_type] : undefined
  if (flat) {
    const body = flat.type ? emailEnvelope(d.event_data, flat.type) : formEnvelope(d.event_data)
    return { eventName: flat.kind, body: JSON.stringify(body) }
  }
  const alias = d.event_aliases?.[d.event_type]
  const timestamp = d.event_created_at.toISOString()
  const body = alias
    ? { id: d.event_id, event: alias, type: alias, timestamp, data: d.event_data }
    : { id: d.event_id, event: d.event_type, timestamp, data: d.event_data }
  return { eventName: alias ?? d.event_type, body: JSON.stringify(body) }
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/**
 * A form submission as form tools send it: the submitted fields by their keys, then `EMAIL`,
 * `PHONE`, `formId`, `formName` and `listId` (Rapport has no lists: always null). A refused
 * submission (`form_response.rejected`) adds `reason`. Internal fields (`_consents`) stay out.
 */
function formEnvelope(data: Record<string, unknown>): Record<string, unknown> {
  const fields = (data.form_data ?? {}) as Record<string, unknown>
  const envelope: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) if (!key.startsWith('_')) envelope[key] = value
  envelope.EMAIL = text(fields.email)
  envelope.PHONE = text(fields.phone)
  envelope.formId = text(data.form_id)
  envelope.formName = text(data.form_name)
  envelope.listId = null
  if (data.reason !== undefined) envelope.reason = data.reason
  return envelope
}

/**
 * An email event in the same product's envelope, field for field and in its order: the common
 * head (`email`, `campaignId`, `sendId`, `subject`, `from`), the kind's own fields (the reader's
 * place and software for OPEN, HIT and UNSUBSCRIBE, `url` for HIT, `smtpDescription`, `category`
 * in capitals and `returnCode` for bounces), then `date`, `type` and the common tail. What Rapport
 * does not know (coordinates, language) is null; the tail's text fields it has no value for are "".
 */
function emailEnvelope(data: Record<string, unknown>, type: string): Record<string, unknown> {
  const email = data.email
  const campaignId = data.campaign_id ?? null
  const head = {
    email,
    campaignId,
    sendId: data.id,
    subject: text(data.subject) ?? '',
    from: text(data.from) ?? '',
  }
  const reader = (withCountry: boolean, withCity: boolean) => ({
    latitude: null,
    longitude: null,
    ...(withCountry ? { country: text(data.country) } : {}),
    region: text(data.region),
    ...(withCity ? { city: null, postcode: null } : {}),
    operatingSystem: text(data.os),
    language: null,
    browser: text(data.browser),
    webmail: text(data.webmail),
  })
  const own: Record<string, unknown> =
    type === 'open'
      ? reader(false, false)
      : type === 'click'
        ? { ...reader(true, false), url: data.url }
        : type === 'unsubscribe'
          ? reader(true, true)
          : type === 'hard_bounce' || type === 'soft_bounce'
            ? {
                smtpDescription: text(data.smtp_description) ?? text(data.reason) ?? '',
                category: (text(data.category) ?? 'other').toUpperCase(),
                returnCode: data.return_code ?? null,
              }
            : {}
  return {
    ...head,
    ...own,
    date: data.occurred_at,
    type,
    ID: text(data.contact_id) ?? '',
    State: 'NORMAL',
    'Origin Kind': campaignId ? 'LIST' : 'MANUAL',
    'Origin Caption': '',
    'Email Correction': '',
    'Phone Correction': '',
    Email: email,
    '': '',
  }
}
