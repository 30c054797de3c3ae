import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { DateTime, EmailAddress, IdParams, nullable, SENDER_ID, TEMPLATE_ID } from './email.schema-parts.js'
import { LIST_ID } from './lists.schemas.js'
import { SEGMENT_ID } from './segments.schemas.js'

export const CAMPAIGN_ID = 'cmp_01jd3k8m2x7q9v4b6n5t0w1y2z'
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'cancelled', 'completed'] as const

const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'Name',
  examples: ['March news'],
})
const Subject = Type.String({
  minLength: 1,
  maxLength: 998,
  pattern: '\\S',
  description: 'Subject line, in Liquid (`{{ contact.first_name }}`…)',
  examples: ['{{ contact.first_name }}, our March news'],
})
const Html = Type.String({
  minLength: 1,
  maxLength: 1_000_000,
  description: 'HTML body in Liquid; the text part is derived from it unless `text` is given',
  examples: ['<p>Hello {{ contact.first_name }}, <a href="https://acme.example/news">read the news</a>.</p>'],
})
const Text = Type.String({ minLength: 1, maxLength: 1_000_000, description: 'Plain-text body in Liquid' })
const Ids = (what: string, example: string) =>
  Type.Array(Type.String({ maxLength: 64, examples: [example] }), { maxItems: 50, description: what })

const Stats = Type.Object(
  {
    recipients: Type.Integer({ description: 'Rows of the send ledger (one per recipient address)', examples: [1200] }),
    pending: Type.Integer({ description: 'Not queued yet', examples: [0] }),
    queued: Type.Integer({ description: 'Queued, not sent yet', examples: [0] }),
    sent: Type.Integer({
      description: 'Handed to the SMTP server or kept in the development mailbox (delivered included)',
      examples: [1180],
    }),
    delivered: Type.Integer({ description: 'Accepted by the SMTP server', examples: [1180] }),
    failed: Type.Integer({ description: 'Refused for good or out of retries', examples: [3] }),
    skipped: Type.Integer({ description: 'Not sent: unsubscribed, bounced or complained', examples: [17] }),
    skipped_by_reason: Type.Record(Type.String(), Type.Integer(), {
      description: 'Skipped recipients by reason (`unsubscribed`, `bounced`, `complained`)',
      examples: [{ unsubscribed: 15, bounced: 2 }],
    }),
    cancelled: Type.Integer({ description: 'Never sent because the campaign was cancelled', examples: [0] }),
    opens: Type.Integer({ description: 'Opens, machine fetches included', examples: [900] }),
    human_opens: Type.Integer({ description: 'Opens not labelled as machine fetches', examples: [610] }),
    unique_opens: Type.Integer({ description: 'Recipients who opened at least once', examples: [700] }),
    unique_human_opens: Type.Integer({ description: 'Recipients with at least one human open', examples: [520] }),
    clicks: Type.Integer({ description: 'Clicks, link scanners included', examples: [240] }),
    human_clicks: Type.Integer({ description: 'Clicks not labelled as machine', examples: [200] }),
    unique_clicks: Type.Integer({ description: 'Recipients who clicked at least once', examples: [150] }),
  },
  { description: 'Counts from the send ledger and tracking' },
)

export const Campaign = Type.Object(
  {
    id: Type.String({ description: 'Campaign id', examples: [CAMPAIGN_ID] }),
    object: Type.Literal('campaign', { description: 'Always `campaign`' }),
    name: Name,
    status: Type.Enum(CAMPAIGN_STATUSES, {
      description:
        '`draft` → `scheduled` → `sending` → `completed`; `paused` and `cancelled` on request (see docs/email.md)',
      examples: ['sending'],
    }),
    subject: nullable(Subject, 'null when the campaign sends a template'),
    html: nullable(Html, 'null when none'),
    text: nullable(Text, 'null: derived from the HTML'),
    template_id: nullable(Type.String({ description: 'Template sent', examples: [TEMPLATE_ID] }), 'null: own content'),
    from: nullable(Type.String({ description: 'Sender id', examples: [SENDER_ID] }), 'null: the default sender'),
    list_ids: Ids('Lists whose subscribed members receive it', LIST_ID),
    segment_ids: Ids('Segments evaluated when it starts sending', SEGMENT_ID),
    track_opens: Type.Boolean({ description: 'Whether the HTML carries an open pixel' }),
    track_clicks: Type.Boolean({ description: 'Whether links in the HTML go through signed click redirects' }),
    scheduled_at: nullable(DateTime('When it starts (or started) sending'), 'null: not scheduled'),
    started_at: nullable(DateTime('When its send ledger was written'), 'null: not started'),
    paused_at: nullable(DateTime('When it was last paused'), 'null: never'),
    paused_reason: nullable(
      Type.String({
        description:
          'What paused it when no person did: `hard_bounce_rate` or `complaint_rate` (the deliverability breaker, docs/deliverability.md)',
        examples: ['hard_bounce_rate'],
      }),
      'null: not paused, or paused by a person',
    ),
    cancelled_at: nullable(DateTime('When it was cancelled'), 'null: not cancelled'),
    completed_at: nullable(DateTime('When no recipient was left to send'), 'null: not completed'),
    stats: Stats,
    created_at: DateTime('When it was created'),
    updated_at: DateTime('When it last changed'),
  },
  { description: 'An email campaign: content, audience, state and stats' },
)
export type Campaign = Static<typeof Campaign>

const Tracking = {
  track_opens: Type.Optional(Type.Boolean({ description: 'Add an open pixel. Default true' })),
  track_clicks: Type.Optional(Type.Boolean({ description: 'Send links through signed click redirects. Default true' })),
}

export const CampaignCreate = Type.Object(
  {
    name: Name,
    subject: Type.Optional(Subject),
    html: Type.Optional(Html),
    text: Type.Optional(Text),
    template_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Send this template instead of own content', examples: [TEMPLATE_ID] }),
    ),
    from: Type.Optional(
      Type.String({
        maxLength: 320,
        description: 'Sender id or address; default: the default sender',
        examples: [SENDER_ID],
      }),
    ),
    list_ids: Type.Optional(Ids('Lists whose subscribed members receive it', LIST_ID)),
    segment_ids: Type.Optional(Ids('Segments evaluated when it starts sending', SEGMENT_ID)),
    ...Tracking,
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'March news',
        subject: '{{ contact.first_name }}, our March news',
        html: '<p>Hello {{ contact.first_name }}, <a href="https://acme.example/news">read the news</a>.</p>',
        list_ids: [LIST_ID],
      },
    ],
  },
)
export type CampaignCreate = Static<typeof CampaignCreate>

export const CampaignUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    subject: Type.Optional(nullable(Subject, 'null removes it')),
    html: Type.Optional(nullable(Html, 'null removes it')),
    text: Type.Optional(nullable(Text, 'null removes it')),
    template_id: Type.Optional(nullable(Type.String({ maxLength: 64, examples: [TEMPLATE_ID] }), 'null removes it')),
    from: Type.Optional(nullable(Type.String({ maxLength: 320, examples: [SENDER_ID] }), 'null: the default sender')),
    list_ids: Type.Optional(Ids('Lists', LIST_ID)),
    segment_ids: Type.Optional(Ids('Segments', SEGMENT_ID)),
    ...Tracking,
  },
  { additionalProperties: false, examples: [{ subject: 'Our March news' }] },
)
export type CampaignUpdate = Static<typeof CampaignUpdate>

export const CampaignSchedule = Type.Object(
  {
    send_at: Type.Optional(DateTime('When to start sending; absent or past: at once', '2025-03-01T09:00:00.000Z')),
  },
  { additionalProperties: false, examples: [{ send_at: '2025-03-01T09:00:00.000Z' }] },
)
export type CampaignSchedule = Static<typeof CampaignSchedule>

export const CampaignTestSend = Type.Object(
  {
    to: EmailAddress('Where the test goes', 'me@acme.example'),
    contact_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Render for this contact (default: a sample contact)' }),
    ),
  },
  { additionalProperties: false, examples: [{ to: 'me@acme.example' }] },
)
export type CampaignTestSend = Static<typeof CampaignTestSend>

export const CampaignTestSent = Type.Object(
  {
    object: Type.Literal('campaign_test', { description: 'Always `campaign_test`' }),
    email_id: Type.String({ description: 'The queued test message (GET /api/v1/emails/:id)' }),
    status: Type.Literal('queued', { description: 'Always `queued`' }),
  },
  { description: 'A queued test message' },
)

export const CampaignListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.Enum(CAMPAIGN_STATUSES, { description: 'Only campaigns in this state' })),
  },
  { additionalProperties: false },
)
export type CampaignListQuery = Static<typeof CampaignListQuery>
export const CampaignList = ListOf(Campaign)
export const CampaignIdParams = IdParams('Campaign', CAMPAIGN_ID)
