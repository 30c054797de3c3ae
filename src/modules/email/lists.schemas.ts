import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { CONTACT_ID, DateTime, IdParams, nullable } from './email.schema-parts.js'

export const LIST_ID = 'lst_01jd3k8m2x7q9v4b6n5t0w1y2z'
export const SUBSCRIPTION_STATUSES = ['subscribed', 'unsubscribed', 'bounced', 'complained'] as const
export const MEMBER_STATUSES = ['pending', 'subscribed', 'unsubscribed'] as const

const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'Name of the list',
  examples: ['Newsletter'],
})
const Description = Type.String({
  maxLength: 2000,
  description: 'What people on it receive',
  examples: ['Monthly news'],
})

export const EmailList = Type.Object(
  {
    id: Type.String({ description: 'List id', examples: [LIST_ID] }),
    object: Type.Literal('email_list', { description: 'Always `email_list`' }),
    name: Name,
    description: nullable(Description, 'What people on it receive; null when not said'),
    double_opt_in: Type.Boolean({
      description: 'Whether a new member gets a confirmation message and counts only once they confirm',
    }),
    member_count: Type.Integer({ description: 'Members who receive its campaigns (`subscribed`)', examples: [1200] }),
    pending_count: Type.Integer({ description: 'Members who have not confirmed yet (double opt-in)', examples: [4] }),
    unsubscribed_count: Type.Integer({ description: 'Members who left the list', examples: [31] }),
    created_at: DateTime('When it was created'),
    updated_at: DateTime('When it last changed'),
  },
  {
    description: 'A list of contacts with static membership: campaigns sent to it reach its subscribed members',
    examples: [
      {
        id: LIST_ID,
        object: 'email_list',
        name: 'Newsletter',
        description: 'Monthly news',
        double_opt_in: true,
        member_count: 1200,
        pending_count: 4,
        unsubscribed_count: 31,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type EmailList = Static<typeof EmailList>

export const EmailListCreate = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    double_opt_in: Type.Optional(
      Type.Boolean({
        description:
          'New members start `pending` and are sent a confirmation message with a signed link. Default false',
      }),
    ),
  },
  { additionalProperties: false, examples: [{ name: 'Newsletter', double_opt_in: true }] },
)
export type EmailListCreate = Static<typeof EmailListCreate>

export const EmailListUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(nullable(Description, 'null removes it')),
    double_opt_in: Type.Optional(Type.Boolean({ description: 'Applies to members added from now on' })),
  },
  { additionalProperties: false, examples: [{ description: 'Weekly news' }] },
)
export type EmailListUpdate = Static<typeof EmailListUpdate>

export const EmailListListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export const EmailListList = ListOf(EmailList)
export const EmailListIdParams = IdParams('List', LIST_ID)

export const ListMember = Type.Object(
  {
    contact_id: Type.String({ description: 'The contact', examples: [CONTACT_ID] }),
    object: Type.Literal('email_list_member', { description: 'Always `email_list_member`' }),
    email: nullable(Type.String({ description: 'The contact’s email', examples: ['jane@example.com'] }), 'null: none'),
    name: nullable(Type.String({ description: 'The contact’s name', examples: ['Jane Doe'] }), 'null: none'),
    status: Type.Enum(MEMBER_STATUSES, {
      description:
        '`pending` (double opt-in, not confirmed yet), `subscribed`, or `unsubscribed` (left this list; kept so a re-import does not add them back silently)',
      examples: ['subscribed'],
    }),
    confirmed_at: nullable(
      DateTime('When the member confirmed (double opt-in)'),
      'null: not confirmed, or no double opt-in',
    ),
    unsubscribed_at: nullable(DateTime('When the member left the list'), 'null: still on it'),
    created_at: DateTime('When the member was added'),
  },
  { description: 'A contact on a list' },
)
export type ListMember = Static<typeof ListMember>

export const ListMembersQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(
      Type.Enum(MEMBER_STATUSES, { description: 'Only members with this status', examples: ['subscribed'] }),
    ),
  },
  { additionalProperties: false },
)
export type ListMembersQuery = Static<typeof ListMembersQuery>
export const ListMemberList = ListOf(ListMember)

export const ListMembersChange = Type.Object(
  {
    contact_ids: Type.Array(Type.String({ maxLength: 64, examples: [CONTACT_ID] }), {
      minItems: 1,
      maxItems: 1000,
      description: 'Contacts to add or remove (1 to 1000)',
    }),
  },
  { additionalProperties: false, examples: [{ contact_ids: [CONTACT_ID] }] },
)
export type ListMembersChange = Static<typeof ListMembersChange>

export const ListMembersResult = Type.Object(
  {
    object: Type.Literal('email_list_members_change', { description: 'Always `email_list_members_change`' }),
    changed: Type.Integer({ description: 'Members added (or re-added) or removed', examples: [2] }),
    unchanged: Type.Integer({ description: 'Already in the asked state', examples: [0] }),
    pending: Type.Integer({ description: 'Added as `pending`: a confirmation message was queued', examples: [0] }),
  },
  { description: 'What a change of membership did' },
)

export const ListMemberParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'List id', examples: [LIST_ID] }),
  contact_id: Type.String({ maxLength: 64, description: 'Contact id', examples: [CONTACT_ID] }),
})

export const EmailSubscription = Type.Object(
  {
    object: Type.Literal('email_subscription', { description: 'Always `email_subscription`' }),
    contact_id: Type.String({ description: 'The contact', examples: [CONTACT_ID] }),
    status: Type.Enum(SUBSCRIPTION_STATUSES, {
      description:
        'Whether the contact receives marketing email: `subscribed` (the default), `unsubscribed`, `bounced` or `complained` (set when mail bounces for good or the person reports spam). Only `subscribed` contacts receive campaigns; transactional email is not affected',
      examples: ['subscribed'],
    }),
    reason: nullable(
      Type.String({ description: 'Why it changed', examples: ['one-click unsubscribe'] }),
      'null: never changed',
    ),
    updated_at: nullable(DateTime('When it last changed'), 'null: never changed'),
    lists: Type.Array(
      Type.Object({
        id: Type.String({ description: 'List id', examples: [LIST_ID] }),
        name: Type.String({ description: 'List name', examples: ['Newsletter'] }),
        status: Type.Enum(MEMBER_STATUSES, { description: 'Membership status' }),
      }),
      { description: 'The lists the contact is on' },
    ),
  },
  { description: 'A contact’s email subscription status and its lists' },
)
export type EmailSubscription = Static<typeof EmailSubscription>

export const EmailSubscriptionUpdate = Type.Object(
  {
    status: Type.Union([Type.Literal('subscribed'), Type.Literal('unsubscribed')], {
      description:
        'Subscribe or unsubscribe the contact from all marketing email. `bounced` and `complained` are set by the mail system only; setting `subscribed` clears them (do it only with the person’s consent)',
      examples: ['unsubscribed'],
    }),
    reason: Type.Optional(
      Type.String({ maxLength: 500, description: 'Why, for the record', examples: ['asked by phone'] }),
    ),
  },
  { additionalProperties: false, examples: [{ status: 'unsubscribed', reason: 'asked by phone' }] },
)
export type EmailSubscriptionUpdate = Static<typeof EmailSubscriptionUpdate>
export const ContactIdParams = IdParams('Contact', CONTACT_ID)
