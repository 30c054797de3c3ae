import { useState } from 'preact/hooks'
import { ApiFailure, api, type List } from '../api.js'
import { EventPicker } from '../event-picker.js'
import { successRate } from '../format.js'
import { navigate } from '../router.js'
import type { Delivery, EndpointStats, WebhookEndpoint } from '../types.js'
import { Badge, ErrorNote, Field, Link, Loading, Page, useLoad, useSubmit } from '../ui.js'

interface Row {
  endpoint: WebhookEndpoint
  stats: EndpointStats | undefined
  /** Set when the endpoint's latest finished attempt failed: that attempt's error. */
  failing?: string
}

/** Failing: enabled, and its last failure is newer than its last success. */
export function isFailing(endpoint: WebhookEndpoint, stats: EndpointStats | undefined): boolean {
  if (!endpoint.enabled || !stats?.last_failure_at) return false
  return !stats.last_success_at || stats.last_failure_at > stats.last_success_at
}

/** The error of the endpoint's most recent failed attempt, as the delivery log records it. */
export async function lastErrorOf(endpointId: string): Promise<string> {
  const recent = await api<List<Delivery>>('GET', `/api/v1/webhook_endpoints/${endpointId}/deliveries?limit=10`)
  const failed = recent.data.find((d) => d.last_error || (d.last_status_code !== null && d.last_status_code >= 300))
  if (!failed) return 'Recent deliveries failed'
  return failed.last_error ?? `HTTP ${failed.last_status_code}`
}

async function loadEndpoints(): Promise<Row[]> {
  const list = await api<List<WebhookEndpoint>>('GET', '/api/v1/webhook_endpoints?limit=100')
  const stats = await Promise.all(
    list.data.map((e) => api<EndpointStats>('GET', `/api/v1/webhook_endpoints/${e.id}/stats`).catch(() => undefined)),
  )
  return Promise.all(
    list.data.map(async (endpoint, i) => ({
      endpoint,
      stats: stats[i],
      failing: isFailing(endpoint, stats[i])
        ? await lastErrorOf(endpoint.id).catch(() => 'Recent deliveries failed')
        : undefined,
    })),
  )
}

export function WebhooksPage() {
  const rows = useLoad(loadEndpoints, [])
  return (
    <Page
      title="Webhooks"
      intro="Rapport POSTs signed events to your endpoints when contacts, deals, bookings and forms change."
    >
      <EndpointForm />
      <h2>Endpoints</h2>
      <ErrorNote error={rows.error} />
      {!rows.data && !rows.error && <Loading what="endpoints" />}
      {rows.data && rows.data.length === 0 && <p class="muted">No endpoints yet.</p>}
      {rows.data && rows.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">Success, last 24 h</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.map(({ endpoint: e, stats, failing }) => (
                <tr key={e.id}>
                  <th scope="row">
                    <Link href={`/app/webhooks/${e.id}`}>{e.url}</Link>
                    {e.description && <div class="muted small">{e.description}</div>}
                  </th>
                  <td>
                    {e.events.includes('*')
                      ? 'All events'
                      : e.events.length === 1
                        ? e.events[0]
                        : `${e.events.length} events`}
                  </td>
                  <td>
                    <EndpointState endpoint={e} failing={failing} />
                  </td>
                  <td>
                    {stats ? (
                      <>
                        {successRate(stats.last_24h.succeeded, stats.last_24h.failed)}{' '}
                        <span class="muted small">
                          ({stats.last_24h.succeeded} ok, {stats.last_24h.failed} failed, {stats.last_24h.pending}{' '}
                          pending)
                        </span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  )
}

/** Enabled, failing (red, with the last error) or disabled (with why). */
export function EndpointState(props: { endpoint: WebhookEndpoint; failing?: string | undefined }) {
  if (props.endpoint.enabled && props.failing) {
    return (
      <span class="endpoint-failing">
        <Badge tone="bad">Failing</Badge>
        <span class="small bad-text" title={props.failing}>
          {' '}
          {props.failing}
        </span>
      </span>
    )
  }
  return props.endpoint.enabled ? (
    <Badge tone="ok">Enabled</Badge>
  ) : (
    <span>
      <Badge tone="bad">Disabled</Badge>
      {props.endpoint.disabled_reason && <span class="muted small"> {props.endpoint.disabled_reason}</span>}
    </span>
  )
}

/** A URL refused for its scheme or address: http, localhost, a private or loopback IP. */
function isRefusedAddress(error: unknown): boolean {
  if (!(error instanceof ApiFailure)) return false
  return (error.body.details ?? []).some(
    (d) => d.field === 'url' && /https URL|loopback|private|link-local|not a public|Is an? /i.test(d.message),
  )
}

/** What to do instead when developing against a local receiver. */
function LocalWebhooksHint() {
  return (
    <div class="note" role="note">
      <p>
        Rapport sends webhooks only to https URLs on public addresses, so that an endpoint cannot reach into the
        server's own network. To receive events on your machine while developing:
      </p>
      <ul>
        <li>
          run <code>rapport listen --forward-to http://localhost:4000/hooks</code> with an API key: it receives the
          events through the API and forwards them, signed, to your local URL (no server setting needed); or
        </li>
        <li>
          start the server with <code>RAPPORT_WEBHOOK_ALLOW_PRIVATE=1</code>, which allows http and private addresses
          (development only, never in production).
        </li>
      </ul>
    </div>
  )
}

/** Creates an endpoint, or edits one when `endpoint` is given. */
export function EndpointForm(props: { endpoint?: WebhookEndpoint; onSaved?: (e: WebhookEndpoint) => void }) {
  const editing = props.endpoint
  const [url, setUrl] = useState(editing?.url ?? '')
  const [description, setDescription] = useState(editing?.description ?? '')
  const [events, setEvents] = useState<string[]>(editing?.events ?? [])
  const submit = useSubmit(async () => {
    if (events.length === 0) throw new Error('Choose at least one event, or all events.')
    if (editing) {
      const saved = await api<WebhookEndpoint>('PATCH', `/api/v1/webhook_endpoints/${editing.id}`, {
        url,
        description: description || null,
        events,
      })
      props.onSaved?.(saved)
    } else {
      const created = await api<WebhookEndpoint>('POST', '/api/v1/webhook_endpoints', {
        url,
        events,
        ...(description ? { description } : {}),
      })
      navigate(`/app/webhooks/${created.id}`)
    }
  })
  return (
    <details class="panel" open={!editing}>
      <summary>
        <h2>{editing ? 'Edit endpoint' : 'Add an endpoint'}</h2>
      </summary>
      <form onSubmit={submit.onSubmit} class="grid-form">
        <Field label="Endpoint URL" hint="An https URL on a public address. Rapport POSTs each event there.">
          {(id, hint) => (
            <input
              id={id}
              type="url"
              required
              placeholder="https://hooks.example.com/rapport"
              aria-describedby={hint}
              value={url}
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Description (optional)">
          {(id) => (
            <input id={id} maxLength={500} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          )}
        </Field>
        <EventPicker value={events} onChange={setEvents} />
        <ErrorNote error={submit.error} />
        {isRefusedAddress(submit.error) && <LocalWebhooksHint />}
        <div>
          <button type="submit" disabled={submit.busy}>
            {editing ? 'Save endpoint' : 'Add endpoint'}
          </button>
        </div>
      </form>
    </details>
  )
}
