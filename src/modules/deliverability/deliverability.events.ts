import Type from 'typebox'
import { defineEvent, eventAt, eventId, nullable } from '../../outbox/define.js'
import { emailData, emailDescription } from '../email/email.events.js'

/** What bounce and complaint events add to the email data: the reply or report that told it. */
const bounceFields = {
  reason: nullable(Type.String({ description: 'The reply or report text (the same as smtp_description)' })),
  smtp_description: nullable(
    Type.String({
      description: 'The SMTP reply or the report’s text',
      examples: ['550 5.1.1 <jane@example.com>: no such user'],
    }),
  ),
  category: Type.String({
    description:
      '`bad_mailbox`, `bad_domain`, `mailbox_full`, `policy`, `transient`, `timeout`, `other` or `complaint` (docs/deliverability.md)',
    examples: ['bad_mailbox'],
  }),
  return_code: nullable(Type.Integer({ description: 'The SMTP basic reply code', examples: [550] })),
  enhanced_code: nullable(Type.String({ description: 'The RFC 3463 enhanced status code', examples: ['5.1.1'] })),
  source: Type.String({
    description: 'Where it was learnt: `smtp` (the reply at send time), `dsn`, `arf`, or the relay’s name',
    examples: ['smtp'],
  }),
  subject: nullable(Type.String({ description: 'Subject of the message', examples: ['March news'] })),
  from: nullable(Type.String({ description: 'Sender address of the message', examples: ['hello@acme.example'] })),
}

const example = (kind: 'hard' | 'soft' | 'complaint') => ({
  id: 'em_01jd3k8m2x7q9v4b6n5t0w1y2z',
  email: 'jane@example.com',
  contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
  campaign_id: 'cmp_01jd3k8m2x7q9v4b6n5t0w1y2z',
  occurred_at: '2025-05-05T12:34:50.631Z',
  reason: kind === 'complaint' ? 'abuse' : kind === 'hard' ? '550 5.1.1 no such user' : '552 5.2.2 mailbox full',
  smtp_description:
    kind === 'complaint' ? 'abuse' : kind === 'hard' ? '550 5.1.1 no such user' : '552 5.2.2 mailbox full',
  category: kind === 'complaint' ? 'complaint' : kind === 'hard' ? 'bad_mailbox' : 'mailbox_full',
  return_code: kind === 'complaint' ? null : kind === 'hard' ? 550 : 552,
  enhanced_code: kind === 'complaint' ? null : kind === 'hard' ? '5.1.1' : '5.2.2',
  source: kind === 'complaint' ? 'arf' : 'smtp',
  subject: 'March news',
  from: 'hello@acme.example',
})

export const emailSoftBounced = defineEvent({
  name: 'email.soft_bounced',
  description: emailDescription(
    'bounced temporarily: a 4xx reply, a timeout, a full mailbox (5.2.2), or a policy rejection (5.7.x, DMARC: category `policy`, which never suppresses the address)',
  ),
  data: emailData(bounceFields),
  example: example('soft'),
})
export const emailHardBounced = defineEvent({
  name: 'email.hard_bounced',
  description: emailDescription(
    'bounced permanently (RFC 3463 5.1.x: no such mailbox or domain); the address is suppressed',
  ),
  data: emailData(bounceFields),
  example: example('hard'),
})
export const emailComplained = defineEvent({
  name: 'email.complained',
  description: emailDescription(
    'was reported as spam (a feedback report or a relay’s complaint); the address is suppressed and unsubscribed',
  ),
  data: emailData(bounceFields),
  example: example('complaint'),
})
export const emailSuppressed = defineEvent({
  name: 'email.suppressed',
  description:
    'An address was suppressed: no marketing email goes to it, and transactional email to it is refused unless forced',
  data: Type.Object({
    id: eventId('sup_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The suppression'),
    email: Type.String({ description: 'The suppressed address', examples: ['jane@example.com'] }),
    reason: Type.String({
      description: '`hard_bounce`, `soft_bounces` (too many in the last sends), `complaint` or `manual`',
      examples: ['hard_bounce'],
    }),
    evidence: Type.Record(Type.String(), Type.Unknown(), {
      description: 'What decided it: the bounce, its reply, the counts, or a person’s note',
    }),
    occurred_at: eventAt('When'),
  }),
  example: {
    id: 'sup_01jd3k8m2x7q9v4b6n5t0w1y2z',
    email: 'jane@example.com',
    reason: 'hard_bounce',
    evidence: { bounce_id: 'bnc_01jd3k8m2x7q9v4b6n5t0w1y2z', smtp_description: '550 5.1.1 no such user' },
    occurred_at: '2025-05-05T12:34:50.631Z',
  },
})

export const DELIVERABILITY_EVENTS = [emailSoftBounced, emailHardBounced, emailComplained, emailSuppressed] as const
