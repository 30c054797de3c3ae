import { useState } from 'preact/hooks'
import { api, type List } from '../../api.js'
import { navigate } from '../../router.js'
import type { Contact } from '../../types.js'
import { ConfirmButton, ErrorNote, Field, Link, Loading, Page, useLoad, useSubmit } from '../../ui.js'
import { FilterBuilder, type FilterState, filterOfState, initialFilterState } from './segment-filter.js'
import { EmailNav, type Segment, type SegmentPreview, useDebounced } from './shared.js'

/*
 * /app/email/segments/new and /app/email/segments/:id: a segment's name, description and filter,
 * with a live count of what the filter selects now (POST /api/v1/email-segments/preview) and the
 * first matching contacts (POST /api/v1/contacts/search), before anything is saved.
 */

const SAMPLE_SIZE = 5

export function SegmentPage(props: { id?: string }) {
  const id = props.id ?? 'new'
  const isNew = id === 'new'
  const segment = useLoad(
    () => (isNew ? Promise.resolve(undefined) : api<Segment>('GET', `/api/v1/email-segments/${id}`)),
    [id],
  )
  const s = segment.data
  const title = isNew ? 'New segment' : s ? `Segment: ${s.name}` : 'Segment'
  return (
    <Page title={title} intro="A saved contact filter: campaigns evaluate it when they start sending.">
      <EmailNav />
      <ErrorNote error={segment.error} />
      {!isNew && !s && !segment.error && <Loading what="the segment" />}
      {(isNew || s) && <SegmentEditor key={s?.id ?? 'new'} segment={s} onSaved={segment.reload} />}
    </Page>
  )
}

function SegmentEditor(props: { segment: Segment | undefined; onSaved(): void }) {
  const s = props.segment
  const [name, setName] = useState(s?.name ?? '')
  const [description, setDescription] = useState(s?.description ?? '')
  const [filterState, setFilterState] = useState<FilterState>(() => initialFilterState(s?.filter))
  const [note, setNote] = useState('')
  const parsed = filterOfState(filterState)
  const filterKey = useDebounced(JSON.stringify(parsed.filter), 300)
  const preview = useLoad(async () => {
    const filter = JSON.parse(filterKey) as unknown
    if (!filter) return undefined
    const [counts, sample] = await Promise.all([
      api<SegmentPreview>('POST', '/api/v1/email-segments/preview', { filter }),
      api<List<Contact>>('POST', '/api/v1/contacts/search', { filter, limit: SAMPLE_SIZE }),
    ])
    return { counts, sample: sample.data }
  }, [filterKey])
  const submit = useSubmit(async () => {
    if (parsed.error) throw new Error(parsed.error)
    if (!parsed.filter)
      throw new Error('Add at least one condition: a segment without a filter would be every contact.')
    const body = { name, description: description.trim() || (s ? null : undefined), filter: parsed.filter }
    if (s) {
      await api('PATCH', `/api/v1/email-segments/${s.id}`, body)
      setNote('Segment saved.')
      props.onSaved()
    } else {
      const created = await api<Segment>('POST', '/api/v1/email-segments', body)
      navigate(`/app/email/segments/${created.id}`, { replace: true })
    }
  })
  return (
    <div class="email-split">
      <form class="email-form" onSubmit={submit.onSubmit} aria-label="Segment">
        <Field label="Segment name">
          {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field label="Description">
          {(id) => <input id={id} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        <FilterBuilder state={filterState} onChange={setFilterState} />
        <ErrorNote error={submit.error} />
        <p class="muted email-status" role="status">
          {note}
        </p>
        <div class="email-actions">
          <button type="submit" disabled={submit.busy}>
            {s ? 'Save segment' : 'Create segment'}
          </button>
          {s && (
            <ConfirmButton
              class="danger"
              label="Delete segment"
              title={`Delete the segment ${s.name}?`}
              body={
                <p>
                  The saved filter is deleted; no contact is changed. Campaigns that have not started yet no longer
                  reach its contacts.
                </p>
              }
              confirmLabel="Delete segment"
              onConfirm={async () => {
                await api('DELETE', `/api/v1/email-segments/${s.id}`)
                navigate('/app/email')
              }}
            />
          )}
        </div>
      </form>
      <section aria-labelledby="segment-now">
        <h2 id="segment-now">Matching now</h2>
        {parsed.error && <p class="bad-text">{parsed.error}</p>}
        {!parsed.filter && !parsed.error && <p class="muted">Add a condition to see whom it selects.</p>}
        <ErrorNote error={preview.error} />
        {preview.data && parsed.filter && (
          <div aria-live="polite">
            <dl class="email-stats" data-testid="segment-counts">
              <div>
                <dt>Matching contacts</dt>
                <dd>{preview.data.counts.contact_count}</dd>
              </div>
              <div>
                <dt>Can receive</dt>
                <dd>{preview.data.counts.member_count}</dd>
              </div>
            </dl>
            <p class="hint">Can receive: with an email, and not unsubscribed, bounced or complained.</p>
            {preview.data.sample.length > 0 && (
              <>
                <h3>First matches</h3>
                <ul class="plain email-list" data-testid="segment-sample">
                  {preview.data.sample.map((c) => (
                    <li key={c.id}>
                      <Link href={`/app/contacts/${c.id}`}>{c.name ?? c.email ?? c.id}</Link>
                      {c.email && c.name && <span class="muted small"> {c.email}</span>}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </section>
    </div>
  )
}
