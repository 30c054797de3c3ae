import { useState } from 'preact/hooks'
import { api, type List, query } from '../../api.js'
import { formatDateTime } from '../../format.js'
import { useSession } from '../../session.js'
import type { Body, Booking, BookingEventType, User } from '../../types.js'
import { ConfirmButton, ErrorNote, Field, Link, Loading, Page, useLoad, useSubmit } from '../../ui.js'
import { useLiveEvents } from '../../workspace/live.js'
import { AvailabilityEditor } from './availability.js'
import './workspace-c.css'

type Slots = { timezone: string; slots: Record<string, { start: string; end: string }[]> }

/** The host's page: upcoming bookings (cancel, reschedule), event types, availability, the public page. */
export function BookingsPage() {
  const { session, isAdmin } = useSession()
  const me = session.user.id
  const [announcement, setAnnouncement] = useState('')
  const host = useLoad(() => api<User>('GET', `/api/v1/users/${me}`), [me])
  const eventTypes = useLoad(
    () => api<List<BookingEventType>>('GET', `/api/v1/booking_event_types${query({ user_id: me, limit: 100 })}`),
    [me],
  )
  const bookings = useLoad(
    () =>
      api<List<Booking>>(
        'GET',
        `/api/v1/bookings${query({
          user_id: me,
          status: 'confirmed',
          starts_after: new Date().toISOString(),
          sort: 'start_time',
          limit: 100,
        })}`,
      ),
    [me],
  )
  useLiveEvents(['booking.'], () => bookings.reload())

  const types = eventTypes.data?.data ?? []
  return (
    <Page
      title="Bookings"
      intro="Your upcoming meetings, what guests can book, when you are available, and your public booking page."
    >
      <div class="sr-only" role="status" aria-live="polite" data-testid="bookings-announcer">
        {announcement}
      </div>
      <section aria-labelledby="upcoming-heading" class="panel">
        <h2 id="upcoming-heading">Upcoming bookings</h2>
        <ErrorNote error={bookings.error} />
        {!bookings.data && !bookings.error && <Loading what="bookings" />}
        {bookings.data?.data.length === 0 && <p class="muted">No upcoming bookings.</p>}
        {bookings.data && bookings.data.data.length > 0 && (
          <ul class="plain booking-list">
            {bookings.data.data.map((b) => (
              <BookingRow
                key={b.id}
                booking={b}
                username={host.data?.username}
                onChanged={(what) => {
                  setAnnouncement(what)
                  bookings.reload()
                }}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="types-heading" class="panel">
        <h2 id="types-heading">Event types</h2>
        <ErrorNote error={eventTypes.error} />
        {eventTypes.data && types.length === 0 && <p class="muted">No event types yet: create one below.</p>}
        <ul class="plain event-type-list">
          {types.map((t) => (
            <EventTypeRow
              key={`${t.id}-${t.updated_at}`}
              eventType={t}
              editable={isAdmin}
              onSaved={(saved) => {
                setAnnouncement(`Saved: ${saved.title}.`)
                eventTypes.reload()
              }}
            />
          ))}
        </ul>
        {!isAdmin && (
          <p class="muted">Owners and admins create and change event types and availability, as in the API.</p>
        )}
        <details class="sub-panel" hidden={!isAdmin}>
          <summary>New event type</summary>
          <EventTypeForm
            userId={me}
            submitLabel="Create event type"
            onSaved={(saved) => {
              setAnnouncement(`Created: ${saved.title}.`)
              eventTypes.reload()
            }}
          />
        </details>
      </section>
      <section aria-labelledby="availability-heading" class="panel">
        <h2 id="availability-heading">Availability</h2>
        {isAdmin ? (
          <AvailabilityEditor userId={me} onSaved={() => setAnnouncement('Availability saved.')} />
        ) : (
          <p class="muted">Ask an owner or admin to change your weekly hours and date overrides.</p>
        )}
      </section>
      <section aria-labelledby="preview-heading" class="panel">
        <h2 id="preview-heading">Public booking page</h2>
        {host.data && <BookingPagePreview username={host.data.username} eventTypes={types} />}
      </section>
    </Page>
  )
}

function BookingRow(props: { booking: Booking; username: string | undefined; onChanged: (what: string) => void }) {
  const b = props.booking
  const [reason, setReason] = useState('')
  const [rescheduling, setRescheduling] = useState(false)
  return (
    <li class="booking-row" data-booking={b.id}>
      <div class="booking-main">
        <strong>{formatDateTime(b.start_time)}</strong>
        <span>{b.event_type_title}</span>
        <span>
          {b.contact_id ? <Link href={`/app/contacts/${b.contact_id}`}>{b.guest_name}</Link> : b.guest_name}{' '}
          <span class="muted small">{b.guest_email}</span>
        </span>
      </div>
      <div class="booking-actions">
        <button
          type="button"
          class="secondary small"
          aria-expanded={rescheduling}
          onClick={() => setRescheduling(!rescheduling)}
        >
          Reschedule<span class="sr-only"> the booking with {b.guest_name}</span>
        </button>
        <ConfirmButton
          label={
            <>
              Cancel<span class="sr-only"> the booking with {b.guest_name}</span>
            </>
          }
          title={`Cancel the booking with ${b.guest_name}?`}
          body={
            <Field label="Reason (sent to the guest)">
              {(id) => (
                <input id={id} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
              )}
            </Field>
          }
          confirmLabel="Cancel booking"
          onConfirm={async () => {
            await api('POST', `/api/v1/bookings/${b.id}/cancel`, reason ? { reason } : {})
            props.onChanged(`Cancelled the booking with ${b.guest_name}.`)
          }}
        />
      </div>
      {rescheduling && props.username && (
        <Reschedule
          booking={b}
          username={props.username}
          onDone={() => {
            setRescheduling(false)
            props.onChanged(`Rescheduled the booking with ${b.guest_name}.`)
          }}
        />
      )}
    </li>
  )
}

/** A new time among the slots the event type offers now (the public page's own list), as the host. */
function Reschedule(props: { booking: Booking; username: string; onDone: () => void }) {
  const b = props.booking
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const [start, setStart] = useState('')
  const slots = useLoad(async () => {
    const from = new Date()
    const to = new Date(from.getTime() + 30 * 86_400_000)
    const day = (d: Date) => d.toISOString().slice(0, 10)
    return api<Slots>(
      'GET',
      `/api/public/booking/${encodeURIComponent(props.username)}/${encodeURIComponent(b.event_type)}/slots${query({
        start: day(from),
        end: day(to),
        timezone: zone,
      })}`,
    )
  }, [b.id])
  const offered = Object.values(slots.data?.slots ?? {})
    .flat()
    .filter((s) => s.start !== b.start_time)
  const submit = useSubmit(async () => {
    await api('POST', `/api/v1/bookings/${b.id}/reschedule`, { start })
    props.onDone()
  })
  return (
    <form class="inline-form" onSubmit={submit.onSubmit}>
      <ErrorNote error={slots.error} />
      {slots.data && offered.length === 0 && <p class="muted">No other free time in the next 30 days.</p>}
      {offered.length > 0 && (
        <Field label="New time">
          {(id) => (
            <select id={id} required value={start} onChange={(e) => setStart(e.currentTarget.value)}>
              <option value="">Choose…</option>
              {offered.map((s) => (
                <option key={s.start} value={s.start}>
                  {formatDateTime(s.start)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <button type="submit" disabled={submit.busy || !start}>
        Move booking
      </button>
      <ErrorNote error={submit.error} />
    </form>
  )
}

function EventTypeRow(props: {
  eventType: BookingEventType
  editable: boolean
  onSaved: (t: BookingEventType) => void
}) {
  const t = props.eventType
  if (!props.editable) {
    return (
      <li class="event-type-row">
        <strong>{t.title}</strong> <span class="muted small">/{t.slug}</span> · {t.duration_minutes} min
        {!t.active && <span class="muted small"> · inactive</span>}
      </li>
    )
  }
  return (
    <li class="event-type-row">
      <details>
        <summary>
          <strong>{t.title}</strong> <span class="muted small">/{t.slug}</span> · {t.duration_minutes} min
          {!t.active && <span class="muted small"> · inactive</span>}
        </summary>
        <EventTypeForm userId={t.user_id} eventType={t} submitLabel="Save event type" onSaved={props.onSaved} />
      </details>
    </li>
  )
}

type EventTypeBody = Body<'createEventType'>

function EventTypeForm(props: {
  userId: string
  eventType?: BookingEventType
  submitLabel: string
  onSaved: (t: BookingEventType) => void
}) {
  const t = props.eventType
  const [title, setTitle] = useState(t?.title ?? '')
  const [slug, setSlug] = useState(t?.slug ?? '')
  const [duration, setDuration] = useState(String(t?.duration_minutes ?? 30))
  const [description, setDescription] = useState(t?.description ?? '')
  const [locationType, setLocationType] = useState<string>(t?.location?.type ?? '')
  const [locationValue, setLocationValue] = useState(t?.location?.value ?? '')
  const [notice, setNotice] = useState(String(t?.minimum_notice_minutes ?? 0))
  const [active, setActive] = useState(t?.active ?? true)
  const submit = useSubmit(async () => {
    const fields = {
      title,
      slug,
      description: description || null,
      duration_minutes: Number(duration),
      minimum_notice_minutes: Number(notice),
      location: locationType
        ? { type: locationType as NonNullable<EventTypeBody['location']>['type'], value: locationValue }
        : null,
      active,
    }
    const saved = t
      ? await api<BookingEventType>('PATCH', `/api/v1/event_types/${t.id}`, fields)
      : await api<BookingEventType>('POST', '/api/v1/event_types', { ...fields, user_id: props.userId })
    if (!t) {
      setTitle('')
      setSlug('')
      setDescription('')
    }
    props.onSaved(saved)
  })
  return (
    <form class="grid-form" onSubmit={submit.onSubmit}>
      <Field label="Title">
        {(id) => (
          <input id={id} required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        )}
      </Field>
      <Field label="Slug" hint="Lower-case letters, digits and inner hyphens: the end of the page's address.">
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            required
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            value={slug}
            onInput={(e) => setSlug(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Duration (minutes)">
        {(id) => (
          <input
            id={id}
            type="number"
            min={5}
            max={1440}
            required
            value={duration}
            onInput={(e) => setDuration(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Minimum notice (minutes)">
        {(id) => (
          <input id={id} type="number" min={0} value={notice} onInput={(e) => setNotice(e.currentTarget.value)} />
        )}
      </Field>
      <Field label="Location">
        {(id) => (
          <select id={id} value={locationType} onChange={(e) => setLocationType(e.currentTarget.value)}>
            <option value="">None</option>
            <option value="video">Video link</option>
            <option value="phone">Phone</option>
            <option value="address">Address</option>
            <option value="text">Other</option>
          </select>
        )}
      </Field>
      {locationType && (
        <Field label="Location details">
          {(id) => (
            <input id={id} required value={locationValue} onInput={(e) => setLocationValue(e.currentTarget.value)} />
          )}
        </Field>
      )}
      <Field label="Description">
        {(id) => <textarea id={id} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
      </Field>
      <label class="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} /> Bookable (has a
        public page)
      </label>
      <div>
        <button type="submit" disabled={submit.busy}>
          {props.submitLabel}
        </button>
      </div>
      <ErrorNote error={submit.error} />
    </form>
  )
}

function BookingPagePreview(props: { username: string; eventTypes: BookingEventType[] }) {
  const bookable = props.eventTypes.filter((t) => t.active)
  const [slug, setSlug] = useState('')
  const chosen = bookable.find((t) => t.slug === slug) ?? bookable[0]
  if (!chosen) return <p class="muted">An active event type gets a public page.</p>
  const href = `/book/${encodeURIComponent(props.username)}/${encodeURIComponent(chosen.slug)}`
  return (
    <>
      {bookable.length > 1 && (
        <Field label="Event type">
          {(id) => (
            <select id={id} value={chosen.slug} onChange={(e) => setSlug(e.currentTarget.value)}>
              {bookable.map((t) => (
                <option key={t.id} value={t.slug}>
                  {t.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <p>
        <a href={href} target="_blank" rel="noopener">
          {location.origin}
          {href}
        </a>
      </p>
      <iframe class="page-preview" src={href} title={`Preview: the booking page of ${chosen.title}`} loading="lazy" />
    </>
  )
}
