import { useRef, useState } from 'preact/hooks'
import { ApiFailure, api, apiWithEtag, type List, query } from '../../api.js'
import { useSession } from '../../session.js'
import type { Booking, Contact, Deal, TimelineItem, User } from '../../types.js'
import { ErrorNote, Link, Loading, Page, Time, useLoad } from '../../ui.js'
import { type LiveEvent, subjectIds, useLiveEvents } from '../../workspace/live.js'
import { formatMoney } from '../../workspace/money.js'
import { AddToContact } from './contact-actions.js'
import { ContactEmails } from './contact-emails.js'
import { Timeline } from './contact-timeline.js'
import './workspace-a.css'

type EditableField = 'name' | 'email' | 'phone' | 'company' | 'status' | 'owner_id'
const FIELDS: { key: EditableField; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone' },
  { key: 'company', label: 'Company' },
  { key: 'status', label: 'Status' },
  { key: 'owner_id', label: 'Owner' },
]
type Option = { value: string; label: string }
const STATUSES: Option[] = ['lead', 'prospect', 'customer', 'churned'].map((s) => ({ value: s, label: s }))
/** Fields whose empty value is kept as it is (a status is never empty; no owner is the empty choice). */
const KEEP_EMPTY = new Set<EditableField>(['status'])

/** One contact: fields edited in place (with If-Match), its timeline, deals and upcoming bookings. */
export function ContactPage(props: { id?: string }) {
  const id = props.id ?? ''
  const { session } = useSession()
  const [contact, setContact] = useState<{ data: Contact; etag: string | null } | null>(null)
  const [editing, setEditing] = useState<EditableField | null>(null)
  const [conflict, setConflict] = useState(false)
  const [changedMeanwhile, setChangedMeanwhile] = useState(false)
  const [timelineRound, setTimelineRound] = useState(0)
  const loaded = useLoad(async () => {
    const read = await apiWithEtag<Contact>('GET', `/api/v1/contacts/${id}`)
    setContact(read)
    return read
  }, [id])
  const related = useLoad(async () => {
    const [deals, bookings] = await Promise.all([
      api<List<Deal>>('GET', `/api/v1/deals${query({ contact_id: id, limit: 50 })}`),
      api<List<Booking>>(
        'GET',
        `/api/v1/bookings${query({ contact_id: id, status: 'confirmed', starts_after: new Date().toISOString(), sort: 'start_time', limit: 20 })}`,
      ),
    ])
    return { deals: deals.data, bookings: bookings.data }
  }, [id])
  const people = useLoad(() => api<List<User>>('GET', '/api/v1/users?limit=100'), [])
  const owners: Option[] = [
    { value: '', label: 'Nobody' },
    ...(people.data?.data ?? []).map((u) => ({
      value: u.id,
      label: u.id === session.user.id ? `${u.name} (you)` : u.name,
    })),
  ]
  const editingRef = useRef(editing)
  editingRef.current = editing

  useLiveEvents(
    ['contact.', 'note.', 'activity.', 'task.', 'deal.', 'booking.', 'form_response.', 'email.'],
    (event: LiveEvent) => {
      if (!subjectIds(event).includes(id)) return
      if (event.event.startsWith('contact.')) {
        // While a field is being edited, the ETag read stays: saving then meets the change (412).
        if (editingRef.current) return setChangedMeanwhile(true)
        loaded.reload()
        return
      }
      setTimelineRound((r) => r + 1)
      if (event.event.startsWith('deal.') || event.event.startsWith('booking.')) related.reload()
    },
  )

  const save = async (field: EditableField, value: string) => {
    if (!contact) return
    setConflict(false)
    try {
      const next = await apiWithEtag<Contact>(
        'PATCH',
        `/api/v1/contacts/${id}`,
        { [field]: value.trim() === '' && !KEEP_EMPTY.has(field) ? null : value.trim() },
        contact.etag ? { 'if-match': contact.etag } : {},
      )
      setContact(next)
      setEditing(null)
      setChangedMeanwhile(false)
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 412) {
        setConflict(true)
        setEditing(null)
        setChangedMeanwhile(false)
        loaded.reload()
        return
      }
      throw error
    }
  }

  if (!contact) {
    return (
      <Page title="Contact">
        <ErrorNote error={loaded.error} />
        {loaded.loading && <Loading what="the contact" />}
      </Page>
    )
  }
  const c = contact.data
  return (
    <Page title={c.name ?? c.email ?? c.phone ?? 'Contact'} intro={<Link href="/app/contacts">All contacts</Link>}>
      {conflict && (
        <div class="note warn" role="alert">
          <p>
            <strong>Someone else changed this contact while you were editing it.</strong> Your change was not saved so
            as not to overwrite theirs. Their version is shown below: edit the field again to apply your change to it.
          </p>
        </div>
      )}
      {changedMeanwhile && !conflict && (
        <p class="note" role="status">
          This contact was just changed in another session.
        </p>
      )}
      <div class="contact-grid">
        <section class="panel" aria-labelledby="contact-fields">
          <h2 id="contact-fields">Details</h2>
          <dl class="fields">
            {FIELDS.map((f) => (
              <EditableRow
                key={f.key}
                label={f.label}
                value={(c[f.key] as string | null) ?? ''}
                options={f.key === 'status' ? STATUSES : f.key === 'owner_id' ? owners : undefined}
                editing={editing === f.key}
                onEdit={() => setEditing(f.key)}
                onCancel={() => setEditing(null)}
                onSave={(value) => save(f.key, value)}
              />
            ))}
            <div>
              <dt>Tags</dt>
              <dd>{c.tags.length ? c.tags.join(', ') : <span class="muted">None</span>}</dd>
            </div>
            <div>
              <dt>Source</dt>
              <dd>{c.source}</dd>
            </div>
            {Object.entries(c.custom_fields).map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section class="panel" aria-labelledby="contact-add">
          <h2 id="contact-add">Add</h2>
          <AddToContact contactId={id} onAdded={() => setTimelineRound((r) => r + 1)} />
        </section>
        <section class="panel" aria-labelledby="contact-deals">
          <h2 id="contact-deals">Deals</h2>
          <ErrorNote error={related.error} />
          {related.data?.deals.length === 0 && <p class="muted">No deals yet.</p>}
          <ul class="plain">
            {related.data?.deals.map((d) => (
              <li key={d.id}>
                {d.title} · {formatMoney(d.value, d.currency)} · {d.status === 'open' ? d.stage : d.status}
              </li>
            ))}
          </ul>
          <h2 id="contact-bookings">Upcoming bookings</h2>
          {related.data?.bookings.length === 0 && <p class="muted">No upcoming bookings.</p>}
          <ul class="plain" aria-labelledby="contact-bookings">
            {related.data?.bookings.map((b) => (
              <li key={b.id} data-booking={b.id}>
                <Time iso={b.start_time} /> · {b.event_type_title} with {b.host_name}
              </li>
            ))}
          </ul>
        </section>
        <section class="panel" aria-labelledby="contact-emails">
          <h2 id="contact-emails">Emails</h2>
          <ContactEmails contactId={id} address={c.email} round={timelineRound} />
        </section>
        <section class="panel timeline-panel" aria-labelledby="contact-timeline">
          <h2 id="contact-timeline">Timeline</h2>
          <Timeline contactId={id} round={timelineRound} />
        </section>
      </div>
    </Page>
  )
}

function EditableRow(props: {
  label: string
  value: string
  options?: Option[]
  editing: boolean
  onEdit(): void
  onCancel(): void
  onSave(value: string): Promise<void>
}) {
  const [draft, setDraft] = useState(props.value)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await props.onSave(draft)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  if (!props.editing) {
    return (
      <div>
        <dt>{props.label}</dt>
        <dd class="editable">
          <span>
            {(props.options?.find((o) => o.value === props.value)?.label ?? props.value) || (
              <span class="muted">Not set</span>
            )}
          </span>
          <button
            type="button"
            class="secondary small"
            aria-label={`Edit ${props.label.toLowerCase()}`}
            onClick={() => {
              setDraft(props.value)
              props.onEdit()
            }}
          >
            Edit
          </button>
        </dd>
      </div>
    )
  }
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>
        <form class="inline" onSubmit={submit}>
          {props.options ? (
            <select aria-label={props.label} value={draft} onChange={(e) => setDraft(e.currentTarget.value)}>
              {props.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              aria-label={props.label}
              value={draft}
              ref={(el) => el?.focus()}
              onInput={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
            />
          )}
          <button type="submit" class="small" disabled={busy}>
            Save
          </button>
          <button type="button" class="secondary small" onClick={props.onCancel}>
            Cancel
          </button>
        </form>
        <ErrorNote error={error} />
      </dd>
    </div>
  )
}

export type { TimelineItem }
