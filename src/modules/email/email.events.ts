import Type, { type TProperties } from 'typebox'
import { defineEvent, eventAt, eventId, nullable } from '../../outbox/define.js'

const campaignId = eventId('cmp_01jd3k8m2x7q9v4b6n5t0w1y2z')
const campaignName = Type.String({ description: 'Campaign name', examples: ['March news'] })

export const campaignStarted = defineEvent({
  name: 'campaign.started',
  description: 'An email campaign started sending: its send ledger (one row per recipient) was written',
  data: Type.Object({
    id: campaignId,
    name: campaignName,
    recipients: Type.Integer({ description: 'Rows of the send ledger, skipped ones included', examples: [1200] }),
    skipped: Type.Integer({ description: 'Recipients skipped (unsubscribed, bounced, complained)', examples: [17] }),
  }),
})

export const campaignPaused = defineEvent({
  name: 'campaign.paused',
  description: 'An email campaign was paused: nothing more is queued until it is resumed',
  data: Type.Object({
    id: campaignId,
    name: campaignName,
    sent: Type.Integer({ description: 'Emails sent so far', examples: [600] }),
    pending: Type.Integer({ description: 'Recipients not sent yet', examples: [583] }),
    reason: Type.String({
      description:
        '`manual` when a person paused it; `hard_bounce_rate` or `complaint_rate` when the deliverability breaker did (docs/deliverability.md)',
      examples: ['manual'],
    }),
  }),
})

export const campaignCompleted = defineEvent({
  name: 'campaign.completed',
  description: 'An email campaign finished sending: no recipient is left pending (fires once per completion)',
  data: Type.Object({
    id: campaignId,
    name: campaignName,
    sent: Type.Integer({ description: 'Emails sent', examples: [1180] }),
    failed: Type.Integer({ description: 'Emails that could not be sent', examples: [3] }),
  }),
})

/** The data every email.* event carries, with the fields of that event after. */
export const emailData = <Extra extends TProperties>(extra: Extra) =>
  Type.Object({
    id: eventId('em_01jd3k8m2x7q9v4b6n5t0w1y2z', 'Id of the email message'),
    email: Type.String({ description: 'Recipient address' }),
    contact_id: nullable(eventId('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The recipient contact, when known')),
    campaign_id: nullable(Type.String({ description: 'The campaign that sent it, if any' })),
    occurred_at: eventAt('When it happened'),
    ...extra,
  })
/** The message's subject and sender, which the Sarbacane-style envelopes carry for every email kind. */
const messageFields = {
  subject: nullable(Type.String({ description: 'Subject of the message', examples: ['March news'] })),
  from: nullable(Type.String({ description: 'Sender address of the message', examples: ['hello@acme.example'] })),
}
export const emailDescription = (what: string) =>
  `An email ${what}. Needs email sending: emitted only for messages Rapport sends (a subscription is accepted before)`

export const emailSent = defineEvent({
  name: 'email.sent',
  description: emailDescription(
    'was sent: handed to the SMTP server, or kept in the development mailbox when none is configured',
  ),
  data: emailData(messageFields),
})
export const emailDelivered = defineEvent({
  name: 'email.delivered',
  description: emailDescription('was delivered (accepted by the next hop, the SMTP server)'),
  data: emailData(messageFields),
})
/** Opens and clicks are labelled, never dropped, when a machine made them (docs/email.md, Tracking). */
const machineFields = {
  machine: Type.Boolean({
    description: 'Whether a machine made it (a privacy proxy, an image prefetch, a link scanner) rather than a person',
    examples: [false],
  }),
  machine_reason: nullable(
    Type.String({
      description:
        'Why it was taken for a machine: `apple_mail_privacy_protection`, `image_proxy_prefetch`, `scanner`, `link_scanner`, `head_request` or `no_user_agent`',
      examples: ['apple_mail_privacy_protection'],
    }),
  ),
}
export const emailOpened = defineEvent({
  name: 'email.opened',
  description: emailDescription('was opened'),
  data: emailData({ ...messageFields, ...machineFields }),
})
export const emailClicked = defineEvent({
  name: 'email.clicked',
  description: emailDescription('link was clicked'),
  data: emailData({ url: Type.String({ description: 'The clicked link' }), ...messageFields, ...machineFields }),
})
// email.soft_bounced, email.hard_bounced and email.complained: src/modules/deliverability/deliverability.events.ts
export const emailUnsubscribed = defineEvent({
  name: 'email.unsubscribed',
  description: emailDescription('recipient unsubscribed'),
  data: emailData(messageFields),
})

export const EMAIL_EVENTS = [
  campaignStarted,
  campaignPaused,
  campaignCompleted,
  emailSent,
  emailDelivered,
  emailOpened,
  emailClicked,
  emailUnsubscribed,
] as const
