import { useEffect, useState } from 'preact/hooks'
import { api, type List, query } from '../api.js'
import { loadCatalog } from '../event-picker.js'
import { shownOf } from '../format.js'
import type { Attempt, Delivery, DeliveryStatus } from '../types.js'
import { Badge, ErrorNote, Field, Loading, Time, useLoad, useSubmit } from '../ui.js'

const PENDING_REFRESH_MS = 3000

const STATUS_TONE: Record<DeliveryStatus, 'ok' | 'bad' | 'warn'> = { succeeded: 'ok', failed: 'bad', pending: 'warn' }

/** One endpoint's deliveries, newest first, filterable; each opens to its attempts. */
export function DeliveryLog(props: { endpointId: string; round: number }) {
  const [status, setStatus] = useState('')
  const [event, setEvent] = useState('')
  const [pages, setPages] = useState<Delivery[][]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [refresh, setRefresh] = useState(0)
  const catalog = useLoad(loadCatalog, [])
  const base = `/api/v1/webhook_endpoints/${props.endpointId}/deliveries`
  const first = useLoad(async () => {
    const list = await api<List<Delivery>>('GET', base + query({ status, event, limit: 25 }))
    setPages([list.data])
    setCursor(list.pagination.has_more ? list.pagination.next_cursor : null)
    return list
  }, [props.endpointId, props.round, status, event, refresh])
  const more = useSubmit(async () => {
    const list = await api<List<Delivery>>('GET', base + query({ status, event, limit: 25, cursor }))
    setPages((p) => [...p, list.data])
    setCursor(list.pagination.has_more ? list.pagination.next_cursor : null)
  })
  const deliveries = pages.flat()
  // While a delivery is pending (queued or waiting for a retry), the log reads itself again every
  // few seconds, so a person watching sees it succeed or fail without pressing Refresh.
  const isPending = deliveries.some((d) => d.status === 'pending')
  useEffect(() => {
    if (!isPending || first.loading) return
    const timer = setTimeout(() => setRefresh((r) => r + 1), PENDING_REFRESH_MS)
    return () => clearTimeout(timer)
  }, [isPending, first.loading, refresh])
  return (
    <section aria-labelledby="deliveries-title">
      <div class="section-head">
        <h2 id="deliveries-title">Delivery log</h2>
        <button type="button" class="secondary small" onClick={() => setRefresh((r) => r + 1)}>
          Refresh
        </button>
      </div>
      <div class="filters">
        <Field label="Status">
          {(id) => (
            <select id={id} value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              <option value="">Any status</option>
              <option value="succeeded">Succeeded</option>
              <option value="failed">Failed</option>
              <option value="pending">Pending</option>
            </select>
          )}
        </Field>
        <Field label="Event">
          {(id) => (
            <select id={id} value={event} onChange={(e) => setEvent(e.currentTarget.value)}>
              <option value="">Any event</option>
              {catalog.data?.data.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorNote error={first.error} />
      {first.loading && deliveries.length === 0 && <Loading what="deliveries" />}
      {!first.loading && deliveries.length === 0 && <p class="muted">No deliveries match.</p>}
      {deliveries.length > 0 && first.data && (
        <p class="muted">
          {shownOf(deliveries.length, first.data.pagination)}
          {isPending && (
            <span aria-live="polite"> · updating every {PENDING_REFRESH_MS / 1000} s while deliveries are pending</span>
          )}
        </p>
      )}
      {deliveries.length > 0 && (
        <ul class="deliveries plain">
          {deliveries.map((d) => (
            <DeliveryRow key={d.id} delivery={d} onRetried={() => setRefresh((r) => r + 1)} />
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="secondary" onClick={more.onSubmit} disabled={more.busy}>
          Load more deliveries
        </button>
      )}
      <ErrorNote error={more.error} />
    </section>
  )
}

function DeliveryRow(props: { delivery: Delivery; onRetried: () => void }) {
  const d = props.delivery
  const [open, setOpen] = useState(false)
  const panelId = `delivery-${d.id}`
  return (
    <li class="delivery" data-delivery={d.id}>
      <button
        type="button"
        class="row-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        <span class="event-name">{d.event_type}</span>
        <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
        <span class="muted small">
          {d.attempt_count} {d.attempt_count === 1 ? 'attempt' : 'attempts'}
          {d.last_status_code !== null && <> · HTTP {d.last_status_code}</>}
        </span>
        <span class="muted small">
          <Time iso={d.created_at} />
        </span>
      </button>
      {open && (
        <div id={panelId} class="delivery-detail">
          <Attempts delivery={d} onRetried={props.onRetried} />
        </div>
      )}
    </li>
  )
}

function Attempts(props: { delivery: Delivery; onRetried: () => void }) {
  const d = props.delivery
  const detail = useLoad(
    () => api<Delivery & { attempts: Attempt[] }>('GET', `/api/v1/webhook_deliveries/${d.id}`),
    [d.id, d.attempt_count, d.status],
  )
  const retry = useSubmit(async () => {
    await api('POST', `/api/v1/webhook_deliveries/${d.id}/retry`)
    props.onRetried()
  })
  return (
    <>
      <p class="small">
        Delivery <code>{d.id}</code> of event <code>{d.event_id}</code>
        {d.next_attempt_at && (
          <>
            {' '}
            · next retry <Time iso={d.next_attempt_at} />
          </>
        )}
      </p>
      <button type="button" class="small" onClick={retry.onSubmit} disabled={retry.busy}>
        Retry now
      </button>
      <ErrorNote error={retry.error ?? detail.error} />
      {detail.data && detail.data.attempts.length === 0 && <p class="muted">No attempt yet.</p>}
      {detail.data && detail.data.attempts.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Attempts of delivery {d.id}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Started</th>
                <th scope="col">Status code</th>
                <th scope="col">Duration</th>
                <th scope="col">Response</th>
                <th scope="col">Next retry</th>
              </tr>
            </thead>
            <tbody>
              {detail.data.attempts.map((a) => (
                <tr key={a.id}>
                  <td>{a.attempt_number}</td>
                  <td>
                    <Time iso={a.started_at} />
                  </td>
                  <td>{a.status_code ?? '—'}</td>
                  <td>{a.duration_ms} ms</td>
                  <td>
                    {a.error && <div class="small">{a.error}</div>}
                    {a.response_body && <pre class="excerpt">{a.response_body.slice(0, 500)}</pre>}
                  </td>
                  <td>
                    <Time iso={a.next_attempt_at} empty="—" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
