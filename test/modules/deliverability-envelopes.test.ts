import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { describe, expect, test } from 'vitest'
import { eventCatalog } from '../../src/event-catalog.js'
import { emailEnvelopeSchema, kindWebhooks } from '../../src/modules/sarbacane/sarbacane.deliveries.js'
import { renderDelivery } from '../../src/webhook-worker/render.js'

/**
 * The envelopes the Sarbacane-style kinds receive, compared with the reference document's examples:
 * the same keys in the same order (written out here from the document), and our values in them.
 */
const HEAD = ['email', 'campaignId', 'sendId', 'subject', 'from']
const TAIL = [
  'date',
  'type',
  'ID',
  'State',
  'Origin Kind',
  'Origin Caption',
  'Email Correction',
  'Phone Correction',
  'Email',
  '',
]
const DOCUMENT_KEYS: Record<string, string[]> = {
  SUCCESSFUL: [...HEAD, ...TAIL],
  OPEN: [...HEAD, 'latitude', 'longitude', 'region', 'operatingSystem', 'language', 'browser', 'webmail', ...TAIL],
  HIT: [
    ...HEAD,
    'latitude',
    'longitude',
    'country',
    'region',
    'operatingSystem',
    'language',
    'browser',
    'webmail',
    'url',
    ...TAIL,
  ],
  UNSUBSCRIBE: [
    ...HEAD,
    'latitude',
    'longitude',
    'country',
    'region',
    'city',
    'postcode',
    'operatingSystem',
    'language',
    'browser',
    'webmail',
    ...TAIL,
  ],
  HARD_BOUNCE: [...HEAD, 'smtpDescription', 'category', 'returnCode', ...TAIL],
  // The document shows no example of these two: a soft bounce has the hard bounce's fields, a complaint the common ones.
  SOFT_BOUNCE: [...HEAD, 'smtpDescription', 'category', 'returnCode', ...TAIL],
  COMPLAINT: [...HEAD, ...TAIL],
}
const EVENT_OF: Record<string, string> = {
  SUCCESSFUL: 'email.delivered',
  OPEN: 'email.opened',
  HIT: 'email.clicked',
  UNSUBSCRIBE: 'email.unsubscribed',
  HARD_BOUNCE: 'email.hard_bounced',
  SOFT_BOUNCE: 'email.soft_bounced',
  COMPLAINT: 'email.complained',
}
const TYPE_OF: Record<string, string> = {
  SUCCESSFUL: 'delivered',
  OPEN: 'open',
  HIT: 'click',
  UNSUBSCRIBE: 'unsubscribe',
  HARD_BOUNCE: 'hard_bounce',
  SOFT_BOUNCE: 'soft_bounce',
  COMPLAINT: 'complaint',
}

const data = {
  id: 'em_01jd3k8m2x7q9v4b6n5t0w1y2z',
  email: 'recipient@example.com',
  contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
  campaign_id: 'cmp_01jd3k8m2x7q9v4b6n5t0w1y2z',
  occurred_at: '2025-05-05T12:34:50.631Z',
  subject: 'Your subject',
  from: 'from@example.com',
  url: 'https://www.example.com/?utm_source=rapport',
  reason: 'failed to find ip addr',
  smtp_description: 'failed to find ip addr',
  category: 'bad_domain',
  return_code: 505,
  enhanced_code: null,
  source: 'smtp',
}

function render(kind: string) {
  const rendered = renderDelivery({
    event_id: 'evt_01jd3k8m2x7q9v4b6n5t0w1y2z',
    event_type: EVENT_OF[kind]!,
    event_created_at: new Date('2025-05-05T12:34:50.631Z'),
    event_data: data,
    event_aliases: null,
    kinds: [kind],
  })
  return { name: rendered.eventName, body: JSON.parse(rendered.body) as Record<string, unknown> }
}

describe('Sarbacane-style envelopes of the email kinds', () => {
  for (const kind of Object.keys(DOCUMENT_KEYS)) {
    test(`${kind} has the document's fields in its order, with the common values`, () => {
      const { name, body } = render(kind)
      expect(name).toBe(kind)
      expect(Object.keys(body)).toEqual(DOCUMENT_KEYS[kind])
      expect(body).toMatchObject({
        email: 'recipient@example.com',
        campaignId: data.campaign_id,
        sendId: data.id,
        subject: 'Your subject',
        from: 'from@example.com',
        date: data.occurred_at,
        type: TYPE_OF[kind],
        ID: data.contact_id,
        State: 'NORMAL',
        'Origin Kind': 'LIST',
        'Origin Caption': '',
        'Email Correction': '',
        'Phone Correction': '',
        Email: 'recipient@example.com',
        '': '',
      })
    })
  }

  test('HARD_BOUNCE carries smtpDescription, the category in capitals and returnCode as the document does', () => {
    expect(render('HARD_BOUNCE').body).toMatchObject({
      smtpDescription: 'failed to find ip addr',
      category: 'BAD_DOMAIN',
      returnCode: 505,
    })
  })

  test('HIT carries the clicked url', () => {
    expect(render('HIT').body.url).toBe(data.url)
  })
})

describe('the published envelopes of the email kinds', () => {
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats.default(ajv)

  for (const kind of Object.keys(DOCUMENT_KEYS)) {
    test(`${kind}: the OpenAPI schema lists the document's fields in its order, and the rendered envelope matches it`, () => {
      const schema = JSON.parse(JSON.stringify(emailEnvelopeSchema(kind as Parameters<typeof emailEnvelopeSchema>[0])))
      expect(Object.keys(schema.properties)).toEqual(DOCUMENT_KEYS[kind])
      const validate = ajv.compile(schema)
      const { body } = render(kind)
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true)
      expect(kindWebhooks()[kind]).toBeDefined()
    })
  }

  test('the events behind every email kind declare the message’s subject and from, which their envelopes carry', () => {
    for (const event of new Set(Object.values(EVENT_OF))) {
      const schema = JSON.parse(JSON.stringify(eventCatalog.definitionOf(event)!.data))
      expect(schema.required, event).toEqual(expect.arrayContaining(['subject', 'from']))
    }
  })
})
