import { useState } from 'preact/hooks'
import { api, type List, query } from '../api.js'
import { formatDuration, fromLocalInput, shownOf } from '../format.js'
import type { AuditEntry } from '../types.js'
import { ErrorNote, Field, Loading, Page, Time, useLoad, useSubmit } from '../ui.js'
import { loadKeys } from './api-keys.js'

interface Filters {
  since: string
  until: string
  key_id: string
  status: string
  path: string
  kind: string
}

const EMPTY: Filters = { since: '', until: '', key_id: '', status: '', path: '', kind: '' }

function search(f: Filters, cursor?: string | null) {
  return query({
    since: fromLocalInput(f.since),
    until: fromLocalInput(f.until),
    key_id: f.key_id,
    status: f.status.trim(),
    path: f.path.trim(),
    kind: f.kind,
    limit: 50,
    cursor,
  })
}

export function AuditLogPage() {
  const [draft, setDraft] = useState<Filters>(EMPTY)
  const [applied, setApplied] = useState<Filters>(EMPTY)
  const [rows, setRows] = useState<AuditEntry[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const keys = useLoad(loadKeys, [])
  const keyName = new Map((keys.data?.data ?? []).map((k) => [k.id, k.name]))
  const first = useLoad(async () => {
    const list = await api<List<AuditEntry>>('GET', `/api/v1/audit_log${search(applied)}`)
    setRows(list.data)
    setCursor(list.pagination.has_more ? list.pagination.next_cursor : null)
    return list
  }, [applied])
  const more = useSubmit(async () => {
    const list = await api<List<AuditEntry>>('GET', `/api/v1/audit_log${search(applied, cursor)}`)
    setRows((r) => [...r, ...list.data])
    setCursor(list.pagination.has_more ? list.pagination.next_cursor : null)
  })
  const set = (field: keyof Filters) => (e: { currentTarget: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.currentTarget.value }))
  return (
    <Page
      title="Audit log"
      intro="Every API call and every webhook delivery attempt of your organization, newest first."
    >
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault()
          setApplied({ ...draft })
        }}
      >
        <Field label="From">
          {(id) => <input id={id} type="datetime-local" value={draft.since} onInput={set('since')} />}
        </Field>
        <Field label="To">
          {(id) => <input id={id} type="datetime-local" value={draft.until} onInput={set('until')} />}
        </Field>
        <Field label="Key">
          {(id) => (
            <select id={id} value={draft.key_id} onChange={set('key_id')}>
              <option value="">Any key</option>
              {keys.data?.data.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name} ({k.prefix}…)
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Status" hint="404 or 4xx">
          {(id, hint) => (
            <input id={id} size={6} aria-describedby={hint} value={draft.status} onInput={set('status')} />
          )}
        </Field>
        <Field label="Path starts with">
          {(id) => <input id={id} placeholder="/api/v1/contacts" value={draft.path} onInput={set('path')} />}
        </Field>
        <Field label="Kind">
          {(id) => (
            <select id={id} value={draft.kind} onChange={set('kind')}>
              <option value="">API calls and webhook attempts</option>
              <option value="api_call">API calls</option>
              <option value="webhook_attempt">Webhook attempts</option>
            </select>
          )}
        </Field>
        <div class="filter-actions">
          <button type="submit">Apply filters</button>{' '}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft(EMPTY)
              setApplied(EMPTY)
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorNote error={first.error} />
      {first.loading && rows.length === 0 && <Loading what="the audit log" />}
      {!first.loading && !first.error && rows.length === 0 && <p class="muted">Nothing matches these filters.</p>}
      {rows.length > 0 && first.data && <p class="muted">{shownOf(rows.length, first.data.pagination)}</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Kind</th>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">By</th>
                <th scope="col">Duration</th>
                <th scope="col">Request id</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-kind={r.kind}>
                  <td>
                    <Time iso={r.occurred_at} />
                  </td>
                  <td>{r.kind === 'api_call' ? 'API call' : 'Webhook attempt'}</td>
                  <td>
                    {r.kind === 'api_call' ? (
                      <code class="truncate" title={`${r.method} ${r.path}`}>
                        {r.method} {r.path}
                      </code>
                    ) : (
                      <code class="truncate" title={`${r.event_type} → ${r.endpoint_id}`}>
                        {r.event_type} → {r.endpoint_id}
                      </code>
                    )}
                  </td>
                  <td class={r.status !== null && r.status >= 400 ? 'bad-text' : ''}>{r.status ?? '—'}</td>
                  <td>
                    {r.key_id ? (keyName.get(r.key_id) ?? r.key_id) : r.user_id ? 'Dashboard' : '—'}
                    {r.ip && <div class="muted small">{r.ip}</div>}
                  </td>
                  <td class="num">{r.duration_ms === null ? '—' : formatDuration(r.duration_ms)}</td>
                  <td>
                    <code class="small truncate id" title={r.request_id ?? r.delivery_id ?? ''}>
                      {r.request_id ?? r.delivery_id ?? ''}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" class="secondary" onClick={more.onSubmit} disabled={more.busy}>
          Load more
        </button>
      )}
      <ErrorNote error={more.error} />
    </Page>
  )
}
