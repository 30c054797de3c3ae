import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'

export const LOCATION_TYPES = ['video', 'phone', 'address', 'text'] as const

export const Location = Type.Object(
  {
    type: Type.Enum(LOCATION_TYPES, {
      description: '`video` (a meeting link), `phone`, `address` (in person) or free `text`',
      examples: ['video'],
    }),
    value: Type.String({
      minLength: 1,
      maxLength: 500,
      pattern: '\\S',
      description: 'The link, number, address or text shown to the guest once booked',
      examples: ['https://meet.example.com/jane'],
    }),
  },
  { additionalProperties: false, description: 'Where the meeting happens' },
)

const Slug = Type.String({
  minLength: 1,
  maxLength: 80,
  pattern: '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$',
  description: "Lower-case letters, digits and inner hyphens; unique among the host's event types (the public URL)",
  examples: ['30-min-call'],
})
const Title = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'Shown on the booking page',
  examples: ['30 minute call'],
})
const Description = Type.String({
  maxLength: 5000,
  description: 'Shown on the booking page',
  examples: ['A short intro call.'],
})
const minutes = (min: number, max: number, description: string, example: number) =>
  Type.Integer({ minimum: min, maximum: max, description, examples: [example] })
const nullable = (schema: ReturnType<typeof minutes>) =>
  Type.Union([schema, Type.Null()], { description: (schema as { description?: string }).description })

const settings = {
  duration_minutes: minutes(5, 1440, 'Length of a meeting, in minutes', 30),
  buffer_before_minutes: minutes(0, 1440, 'Free time required before a meeting, in minutes (default 0)', 0),
  buffer_after_minutes: minutes(0, 1440, 'Free time required after a meeting, in minutes (default 0)', 10),
  minimum_notice_minutes: minutes(0, 525_600, 'How long before its start a slot stops being offered (default 0)', 120),
  slot_step_minutes: nullable(minutes(5, 1440, 'Minutes between offered starts; null: the duration (the default)', 15)),
  max_per_day: nullable(minutes(1, 1000, 'Bookings per host-local day, existing ones included; null: no limit', 8)),
  booking_window_days: nullable(minutes(1, 730, 'How many days ahead a slot may start; null: no limit', 60)),
}

export const EventType = Type.Object(
  {
    id: Type.String({ description: 'Event type id', examples: ['et_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    object: Type.Literal('event_type', { description: 'Always `event_type`' }),
    user_id: Type.String({
      description: 'The host (a user of the organization)',
      examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'],
    }),
    slug: Slug,
    title: Title,
    description: Type.Union([Description, Type.Null()], { description: 'Shown on the booking page' }),
    location: Type.Union([Location, Type.Null()], { description: 'Where the meeting happens; null if unset' }),
    duration_minutes: settings.duration_minutes,
    buffer_before_minutes: settings.buffer_before_minutes,
    buffer_after_minutes: settings.buffer_after_minutes,
    minimum_notice_minutes: settings.minimum_notice_minutes,
    slot_step_minutes: settings.slot_step_minutes,
    max_per_day: settings.max_per_day,
    booking_window_days: settings.booking_window_days,
    active: Type.Boolean({ description: 'Whether the public booking page offers it' }),
    created_at: Type.String({ format: 'date-time', description: 'When it was created' }),
    updated_at: Type.String({ format: 'date-time', description: 'When it last changed' }),
  },
  { description: 'Something a guest can book with a host: a duration, a place and scheduling rules' },
)
export type EventType = Static<typeof EventType>

export const EventTypeCreate = Type.Object(
  {
    user_id: Type.String({ maxLength: 64, description: 'The host: a user of the organization' }),
    slug: Slug,
    title: Title,
    description: Type.Optional(
      Type.Union([Description, Type.Null()], { description: 'Shown on the booking page; null clears it' }),
    ),
    location: Type.Optional(
      Type.Union([Location, Type.Null()], { description: 'Where the meeting happens; null clears it' }),
    ),
    duration_minutes: settings.duration_minutes,
    buffer_before_minutes: Type.Optional(settings.buffer_before_minutes),
    buffer_after_minutes: Type.Optional(settings.buffer_after_minutes),
    minimum_notice_minutes: Type.Optional(settings.minimum_notice_minutes),
    slot_step_minutes: Type.Optional(settings.slot_step_minutes),
    max_per_day: Type.Optional(settings.max_per_day),
    booking_window_days: Type.Optional(settings.booking_window_days),
    active: Type.Optional(Type.Boolean({ description: 'Whether it can be booked (default true)' })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        user_id: 'user_01jd3k8m2x7q9v4b6n5t0w1y2z',
        slug: '30-min-call',
        title: '30-minute call',
        duration_minutes: 30,
        location: { type: 'video', value: 'https://meet.example.com/jane' },
        buffer_after_minutes: 10,
        minimum_notice_minutes: 240,
      },
    ],
  },
)
export type EventTypeCreate = Static<typeof EventTypeCreate>

export const EventTypeUpdate = Type.Object(
  {
    slug: Type.Optional(Slug),
    title: Type.Optional(Title),
    description: Type.Optional(
      Type.Union([Description, Type.Null()], { description: 'Shown on the booking page; null clears it' }),
    ),
    location: Type.Optional(
      Type.Union([Location, Type.Null()], { description: 'Where the meeting happens; null clears it' }),
    ),
    duration_minutes: Type.Optional(settings.duration_minutes),
    buffer_before_minutes: Type.Optional(settings.buffer_before_minutes),
    buffer_after_minutes: Type.Optional(settings.buffer_after_minutes),
    minimum_notice_minutes: Type.Optional(settings.minimum_notice_minutes),
    slot_step_minutes: Type.Optional(settings.slot_step_minutes),
    max_per_day: Type.Optional(settings.max_per_day),
    booking_window_days: Type.Optional(settings.booking_window_days),
    active: Type.Optional(Type.Boolean({ description: 'Whether it can be booked' })),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'The fields to change; the host cannot change',
    examples: [{ duration_minutes: 45, active: false }],
  },
)
export type EventTypeUpdate = Static<typeof EventTypeUpdate>

export const EventTypeIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Event type id', examples: ['et_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})

export const HostIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'User id of the host', examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
})

const Active = Type.Optional(Type.Boolean({ description: 'Only active (true) or inactive (false) event types' }))

export const HostEventTypeListQuery = Type.Object({ ...PageQuery, active: Active }, { additionalProperties: false })
export type HostEventTypeListQuery = Static<typeof HostEventTypeListQuery>

export const EventTypeListQuery = Type.Object(
  {
    ...PageQuery,
    user_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only the event types of this host' })),
    active: Active,
  },
  { additionalProperties: false },
)
export type EventTypeListQuery = Static<typeof EventTypeListQuery>

export const EventTypeList = ListOf(EventType)
