import { useState } from 'preact/hooks'
import { api, type List, query } from '../../api.js'
import { formatDateTime } from '../../format.js'
import type { TimelineItem } from '../../types.js'
import { ErrorNote, Loading, Time, useLoad } from '../../ui.js'

const FILTERS: { label: string; types: string[] }[] = [
  { label: 'All', types: [] },
  { label: 'Notes', types: ['note'] },
  { label: 'Activities', types: ['activity'] },
  { label: 'Tasks', types: ['task.created', 'task.completed'] },
  { label: 'Deals', types: ['deal.created', 'deal.won', 'deal.lost'] },
  { label: 'Form responses', types: ['form_response.created'] },
  { label: 'Bookings', types: ['booking.created', 'booking.rescheduled', 'booking.cancelled'] },
  { label: 'Emails', types: ['email.sent', 'email.failed'] },
]

function describe(item: TimelineItem): { what: string; text: string } {
  const o = item.object as Record<string, unknown>
  switch (item.type) {
    case 'note':
      return { what: 'Note', text: String(o.body ?? '') }
    case 'activity':
      return { what: `Activity: ${String(o.type)}`, text: String(o.summary ?? '') }
    case 'task.created':
      return { what: 'Task created', text: String(o.title ?? '') }
    case 'task.completed':
      return { what: 'Task completed', text: String(o.title ?? '') }
    case 'deal.created':
      return { what: 'Deal created', text: String(o.title ?? '') }
    case 'deal.won':
      return { what: 'Deal won', text: String(o.title ?? '') }
    case 'deal.lost':
      return {
        what: 'Deal lost',
        text: `${String(o.title ?? '')}${o.lost_reason ? ` (${String(o.lost_reason)})` : ''}`,
      }
    case 'booking.created':
    case 'booking.rescheduled':
    case 'booking.cancelled': {
      const what = {
        'booking.created': 'Booked',
        'booking.rescheduled': 'Booking moved',
        'booking.cancelled': 'Booking cancelled',
      }[item.type]
      const when = typeof o.start_time === 'string' ? formatDateTime(o.start_time) : ''
      return {
        what,
        text: `${String(o.event_type_title ?? '')}${when ? `, ${when}` : ''}${o.host_name ? ` with ${String(o.host_name)}` : ''}`,
      }
    }
    case 'email.sent':
      return { what: 'Email sent', text: String(o.subject ?? '') }
    case 'email.failed':
      return {
        what: 'Email failed',
        text: `${String(o.subject ?? '')}${o.last_error ? ` (${String(o.last_error)})` : ''}`,
      }
    default:
      return { what: 'Form response', text: Object.values((o.form_data as object) ?? {}).join(' · ') }
  }
}

/** The contact's timeline (GET /api/v1/contacts/{id}/timeline), filtered by kind, paged by cursor. */
export function Timeline(props: { contactId: string; round: number }) {
  const [filter, setFilter] = useState(0)
  const [more, setMore] = useState<TimelineItem[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const types = FILTERS[filter]?.types ?? []
  const path = (after: string | null) => {
    const search = new URLSearchParams(query({ limit: 25, cursor: after }).slice(1))
    for (const t of types) search.append('type', t)
    return `/api/v1/contacts/${props.contactId}/timeline?${search}`
  }
  const first = useLoad(async () => {
    const page = await api<List<TimelineItem>>('GET', path(null))
    setMore([])
    setCursor(page.pagination.has_more ? page.pagination.next_cursor : null)
    return page.data
  }, [props.contactId, props.round, filter])
  const loadMore = async () => {
    const page = await api<List<TimelineItem>>('GET', path(cursor))
    setMore((m) => [...m, ...page.data])
    setCursor(page.pagination.has_more ? page.pagination.next_cursor : null)
  }
  const items = [...(first.data ?? []), ...more]
  return (
    <div>
      <div class="segmented" role="group" aria-label="Show in the timeline">
        {FILTERS.map((f, i) => (
          <button
            key={f.label}
            type="button"
            class={filter === i ? 'small' : 'secondary small'}
            aria-pressed={filter === i}
            onClick={() => setFilter(i)}
          >
            {f.label}
          </button>
        ))}
      </div>
      <ErrorNote error={first.error} />
      {first.loading && !first.data && <Loading what="the timeline" />}
      {first.data && items.length === 0 && <p class="muted">Nothing here yet.</p>}
      <ol class="timeline">
        {items.map((item) => {
          const d = describe(item)
          return (
            <li key={`${item.type}-${(item.object as { id: string }).id}`}>
              <p class="muted small">
                {d.what} · <Time iso={item.occurred_at} />
              </p>
              <p class="timeline-text">{d.text}</p>
            </li>
          )
        })}
      </ol>
      {cursor && (
        <button type="button" class="secondary small" onClick={loadMore}>
          Show older
        </button>
      )}
    </div>
  )
}
