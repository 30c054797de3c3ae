import { useEffect, useState } from 'preact/hooks'
import { api, type List, query } from '../api.js'
import { loadCatalog } from '../event-picker.js'
import { shownOf } from '../format.js'
import type { Attempt, Delivery, DeliveryStatus } from '../types.js'
import { Badge, ErrorNote, Field, Loading, Time, useLoad, useSubmit } from '../ui.js'

const PENDING_REFRESH_MS = 3000
/** The server keeps request and response bodies up to this size. */
const BODY_KEPT_BYTES = 64 * 1024

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
        <ol class="attempts plain" aria-label={`Attempts of delivery ${d.id}`}>
          {detail.data.attempts.map((a) => (
            <li key={a.id}>
              <AttemptDetail attempt={a} />
            </li>
          ))}
        </ol>
      )}
    </>
  )
}

/** One attempt: a line that opens to the request sent (headers, body) and the response (status, headers, body). */
function AttemptDetail(props: { attempt: Attempt }) {
  const a = props.attempt
  return (
    <details class="attempt" data-attempt={a.attempt_number}>
      <summary>
        <span>Attempt {a.attempt_number}</span>
        <Badge tone={a.status_code !== null && a.status_code < 300 ? 'ok' : 'bad'}>
          {a.status_code !== null ? `HTTP ${a.status_code}` : 'no answer'}
        </Badge>
        <span class="muted small">
          {a.duration_ms} ms · <Time iso={a.started_at} />
          {a.next_attempt_at && (
            <>
              {' '}
              · next retry <Time iso={a.next_attempt_at} />
            </>
          )}
        </span>
        {a.error && <span class="small">{a.error}</span>}
      </summary>
      <div class="exchange">
        <section>
          <h3>Request</h3>
          {a.request_headers ? (
            <>
              <Headers title="Request headers" headers={a.request_headers} />
              <Body title="Request body" body={a.request_body} />
            </>
          ) : (
            <p class="muted small">Not kept: nothing was sent, or the attempt predates request logging.</p>
          )}
        </section>
        <section>
          <h3>Response</h3>
          <p class="small">
            {a.status_code !== null ? `Status ${a.status_code}` : `No answer${a.error ? `: ${a.error}` : ''}`}
          </p>
          {a.response_headers && <Headers title="Response headers" headers={a.response_headers} />}
          {a.status_code !== null && <Body title="Response body" body={a.response_body} />}
        </section>
      </div>
    </details>
  )
}

function Headers(props: { title: string; headers: Record<string, string> }) {
  const entries = Object.entries(props.headers)
  return (
    <>
      <h4>{props.title}</h4>
      {entries.length === 0 ? (
        <p class="muted small">None</p>
      ) : (
        <dl class="headers">
          {entries.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  )
}

function Body(props: { title: string; body: string | null }) {
  return (
    <>
      <h4>{props.title}</h4>
      {props.body ? <pre class="exchange-body">{props.body}</pre> : <p class="muted small">Empty</p>}
      {props.body && new TextEncoder().encode(props.body).length >= BODY_KEPT_BYTES && (
        <p class="muted small">Cut at 64 KB.</p>
      )}
    </>
  )
}
