import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { LOCATION_TYPES, Location } from './event-types.schemas.js'

const Instant = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2026-03-02T08:00:00.000Z'] })
const nullable = <T extends ReturnType<typeof Type.String>>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description })
const Status = Type.Enum(['confirmed', 'cancelled'], { description: 'confirmed or cancelled', examples: ['confirmed'] })
const Reason = Type.String({ maxLength: 1000, description: 'Why it was cancelled', examples: ['Something came up'] })
const BookingId = Type.String({ maxLength: 64, description: 'Booking id', examples: ['bk_01jd3k8m2x7q9v4b6n5t0w1y2z'] })

/** What guests and hosts both see of a booking. */
const common = {
  id: BookingId,
  object: Type.Literal('booking', { description: 'Always `booking`' }),
  event_type: Type.String({ description: 'Slug of the event type booked', examples: ['30-min-call'] }),
  event_type_title: Type.String({ description: 'Title of the event type booked', examples: ['30 minute call'] }),
  host_name: Type.String({ description: "The host's name", examples: ['Jane Doe'] }),
  start_time: Instant('Start, UTC'),
  end_time: Instant('End, UTC'),
  status: Status,
  guest_name: Type.String({ description: "The guest's name", examples: ['Sam Lee'] }),
  guest_email: Type.String({ description: "The guest's email", examples: ['sam@example.com'] }),
  guest_timezone: Type.String({ description: "The guest's IANA time zone", examples: ['Europe/Paris'] }),
  notes: nullable(Type.String(), 'What the guest wrote when booking'),
  location: Type.Union([Location, Type.Null()], { description: 'Where the meeting happens' }),
  cancelled_at: nullable(Type.String({ format: 'date-time' }), 'When it was cancelled'),
  cancelled_by: Type.Union([Type.Enum(['guest', 'host']), Type.Null()], { description: 'Who cancelled it' }),
  cancel_reason: nullable(Type.String(), 'Why it was cancelled'),
  rescheduled_at: nullable(Type.String({ format: 'date-time' }), 'When it was last moved'),
  created_at: Type.String({ format: 'date-time', description: 'When it was booked' }),
}

export const Booking = Type.Object(
  {
    ...common,
    event_type_id: nullable(Type.String(), 'The event type; null once it has been deleted'),
    user_id: Type.String({ description: 'The host', examples: ['user_01jd3k8m2x7q9v4b6n5t0w1y2z'] }),
    contact_id: nullable(Type.String(), "The guest's contact; null once it has been deleted"),
    updated_at: Type.String({ format: 'date-time', description: 'When it last changed' }),
  },
  { description: 'A meeting a guest booked with a host' },
)
export type Booking = Static<typeof Booking>

export const PublicBooking = Type.Object(
  {
    ...common,
    host_username: Type.String({
      description: "The host's username: with `event_type`, the booking page whose slots a reschedule picks from",
      examples: ['jane'],
    }),
    ics_url: Type.String({
      description: 'Path of the calendar file (.ics) of this booking, token included',
      examples: ['/api/public/bookings/bk_01jd3k8m2x7q9v4b6n5t0w1y2z/ics?token=…'],
    }),
  },
  { description: 'A booking as its guest sees it (no CRM ids)' },
)
export type PublicBooking = Static<typeof PublicBooking>

export const BookingConfirmation = Type.Object(
  {
    ...PublicBooking.properties,
    cancel_token: Type.String({
      description:
        'Secret that lets the guest cancel or reschedule, and fetch the .ics; shown only here (only its hash is stored)',
    }),
  },
  { description: 'A new booking, with the guest’s secret token' },
)
export type BookingConfirmation = Static<typeof BookingConfirmation>

const Token = Type.String({ minLength: 1, maxLength: 200, description: 'The `cancel_token` of the booking' })
const Start = Type.String({
  format: 'date-time',
  description: 'Start of an offered slot (as the slots list gives it)',
  examples: ['2026-03-02T08:00:00.000Z'],
})

export const BookingCreate = Type.Object(
  {
    start: Start,
    guest: Type.Object(
      {
        name: Type.String({
          minLength: 1,
          maxLength: 200,
          pattern: '\\S',
          description: 'Full name',
          examples: ['Sam Lee'],
        }),
        email: Type.String({ format: 'email', maxLength: 254, description: 'Email', examples: ['sam@example.com'] }),
        timezone: Type.String({
          minLength: 1,
          maxLength: 64,
          description: 'IANA time zone',
          examples: ['Europe/Paris'],
        }),
      },
      { additionalProperties: false, description: 'Who books' },
    ),
    notes: Type.Optional(Type.String({ maxLength: 5000, description: 'Anything the host should know' })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        start: '2026-03-02T08:00:00.000Z',
        guest: { name: 'Sam Lee', email: 'sam@example.com', timezone: 'Europe/Paris' },
        notes: 'About the Teams plan',
      },
    ],
  },
)
export type BookingCreate = Static<typeof BookingCreate>

export const HostCancel = Type.Object(
  { reason: Type.Optional(Reason) },
  { additionalProperties: false, description: 'Cancellation by the host', examples: [{ reason: 'Host is ill' }] },
)
export type HostCancel = Static<typeof HostCancel>
export const GuestCancel = Type.Object(
  { token: Token, reason: Type.Optional(Reason) },
  {
    additionalProperties: false,
    description: 'Cancellation by the guest',
    examples: [{ token: '7hQk2mZx9LpR4vWc8NbT3yFj6GdS1aKe5UoXiBwP0nYr', reason: 'Found another time' }],
  },
)
export type GuestCancel = Static<typeof GuestCancel>
export const HostReschedule = Type.Object(
  { start: Start },
  { additionalProperties: false, examples: [{ start: '2026-03-02T09:00:00.000Z' }] },
)
export type HostReschedule = Static<typeof HostReschedule>
export const GuestReschedule = Type.Object(
  { token: Token, start: Start },
  {
    additionalProperties: false,
    examples: [{ token: '7hQk2mZx9LpR4vWc8NbT3yFj6GdS1aKe5UoXiBwP0nYr', start: '2026-03-02T09:00:00.000Z' }],
  },
)
export type GuestReschedule = Static<typeof GuestReschedule>

export const BookingIdParams = Type.Object({ id: BookingId })
export const TokenQuery = Type.Object({ token: Token }, { additionalProperties: false })

const Username = Type.String({ maxLength: 40, description: "The host's username", examples: ['jane'] })
const Slug = Type.String({ maxLength: 80, description: 'The event type slug', examples: ['30-min-call'] })
export const PublicPageParams = Type.Object({ username: Username, slug: Slug })

export const SlotsQuery = Type.Object(
  {
    start: Type.String({
      maxLength: 10,
      description: 'First date, visitor-local, YYYY-MM-DD',
      examples: ['2026-03-01'],
    }),
    end: Type.String({ maxLength: 10, description: 'Last date (included), YYYY-MM-DD', examples: ['2026-03-31'] }),
    timezone: Type.String({ maxLength: 64, description: "The visitor's IANA time zone", examples: ['Europe/Paris'] }),
  },
  { additionalProperties: false },
)
export type SlotsQuery = Static<typeof SlotsQuery>

export const SlotsResponse = Type.Object(
  {
    timezone: Type.String({ description: 'The zone the dates are in (the query’s)', examples: ['Europe/Paris'] }),
    slots: Type.Record(
      Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
      Type.Array(
        Type.Object(
          { start: Instant('Slot start, UTC'), end: Instant('Slot end, UTC') },
          { description: 'One offered slot' },
        ),
      ),
      { description: 'Visitor-local date → offered slots, in order; dates without slots are left out' },
    ),
  },
  { description: 'The slots a booking page offers' },
)

export const BookingPage = Type.Object(
  {
    host_name: Type.String({ description: "The host's name", examples: ['Jane Doe'] }),
    host_username: Type.String({ description: "The host's username", examples: ['jane'] }),
    host_timezone: Type.String({ description: "The host's time zone", examples: ['America/New_York'] }),
    slug: Slug,
    title: Type.String({ description: 'Event type title', examples: ['30 minute call'] }),
    description: nullable(Type.String(), 'Event type description'),
    duration_minutes: Type.Integer({ description: 'Length of a meeting', examples: [30] }),
    location_type: Type.Union([Type.Enum(LOCATION_TYPES), Type.Null()], {
      description: 'Kind of location (the details are given once booked)',
    }),
  },
  { description: 'What a booking page shows (nothing private)' },
)
export type BookingPage = Static<typeof BookingPage>

export const BookingListQuery = Type.Object(
  {
    ...PageQuery,
    user_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only bookings of this host' })),
    event_type_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only bookings of this event type' })),
    contact_id: Type.Optional(
      Type.String({
        maxLength: 64,
        description:
          "Only bookings of this contact (the guest's contact, found or created by email when they booked); an id of no contact of yours lists none",
        examples: ['c_01jd3k8m2x7q9v4b6n5t0w1y2z'],
      }),
    ),
    status: Type.Optional(Status),
    starts_after: Type.Optional(
      Type.String({ format: 'date-time', description: 'Only bookings starting at or after this instant' }),
    ),
    starts_before: Type.Optional(
      Type.String({ format: 'date-time', description: 'Only bookings starting before this instant' }),
    ),
    sort: Type.Optional(
      Type.Enum(['start_time', '-start_time', 'created_at', '-created_at'], {
        description: 'Sort order (default start_time)',
      }),
    ),
  },
  { additionalProperties: false },
)
export type BookingListQuery = Static<typeof BookingListQuery>

export const BookingList = ListOf(Booking)
