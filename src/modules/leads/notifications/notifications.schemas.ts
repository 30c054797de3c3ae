import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../../core/pagination.js'
import { DateTime, IdParams, nullable } from '../schema-parts.js'

export const NOTIFICATION_TYPES = [
  'lead.captured',
  'form_response.created',
  'callback.scheduled',
  'campaign.paused',
] as const

export const Notification = Type.Object(
  {
    id: Type.String({ description: 'Notification id', examples: ['ntf_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('notification', { description: 'Always `notification`' }),
    type: Type.Enum(NOTIFICATION_TYPES, { description: 'What happened', examples: ['form_response.created'] }),
    title: Type.String({ description: 'One line for a person', examples: ['New form response from John Doe'] }),
    body: nullable(
      Type.String({ description: 'More detail', examples: ['I would like a quote'] }),
      'More detail, if any',
    ),
    contact_id: nullable(
      Type.String({ description: 'The contact', examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
      'The contact it is about; null if none or deleted',
    ),
    subject_id: nullable(
      Type.String({ description: 'The object', examples: ['fr_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
      'The object it is about (a form response, a callback); null if none',
    ),
    read: Type.Boolean({ description: 'Whether someone marked it read' }),
    read_at: nullable(DateTime('When it was marked read'), 'When it was marked read; null while unread'),
    created_at: DateTime('When it was recorded'),
  },
  {
    description: 'An in-app notification of the organization (a captured lead, a callback request)',
    examples: [
      {
        id: 'ntf_01jd3k8m2x7q9v4b6n5t0w1y2z',
        object: 'notification',
        type: 'form_response.created',
        title: 'New form response from John Doe',
        body: 'I would like a quote',
        contact_id: 'c_01jd3k8m2x7q9v4b6n5t0w1y2z',
        subject_id: 'fr_01jd3k8m2x7q9v4b6n5t0w1y2z',
        read: false,
        read_at: null,
        created_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Notification = Static<typeof Notification>

export const NotificationListQuery = Type.Object(
  {
    ...PageQuery,
    unread: Type.Optional(Type.Boolean({ description: 'true: only unread ones; false: only read ones' })),
    type: Type.Optional(Type.Enum(NOTIFICATION_TYPES, { description: 'Only this type', examples: ['lead.captured'] })),
  },
  { additionalProperties: false },
)
export type NotificationListQuery = Static<typeof NotificationListQuery>

export const NotificationList = ListOf(Notification)
export const NotificationIdParams = IdParams('Notification', 'ntf_01jd3k8m2x7q9v4b6n5t0w1y2z')
export const ReadAllResult = Type.Object(
  { updated: Type.Integer({ description: 'How many notifications were unread and are now read', examples: [3] }) },
  { description: 'The outcome of marking every notification read' },
)
