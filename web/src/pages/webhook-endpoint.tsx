import { useState } from 'preact/hooks'
import { api } from '../api.js'
import { fromLocalInput, successRate, toLocalInput } from '../format.js'
import { navigate } from '../router.js'
import type { EndpointSecret, EndpointStats, WebhookEndpoint } from '../types.js'
import { ConfirmButton, CopyButton, ErrorNote, Field, Link, Loading, Page, Time, useLoad, useSubmit } from '../ui.js'
import { DeliveryLog } from './deliveries.js'
import { EndpointForm, EndpointState, isFailing, lastErrorOf } from './webhooks.js'

export function WebhookEndpointPage(props: { id?: string }) {
  const id = props.id!
  const endpoint = useLoad(() => api<WebhookEndpoint>('GET', `/api/v1/webhook_endpoints/${id}`), [id])
  const [round, setRound] = useState(0)
  const enabled = endpoint.data?.enabled
  const failing = useLoad(async () => {
    if (!endpoint.data) return undefined
    const stats = await api<EndpointStats>('GET', `/api/v1/webhook_endpoints/${id}/stats`)
    return isFailing(endpoint.data, stats) ? await lastErrorOf(id) : undefined
  }, [id, round, enabled])
  const changed = () => {
    endpoint.reload()
    setRound((r) => r + 1)
  }
  if (endpoint.error) {
    return (
      <Page title="Webhook endpoint">
        <ErrorNote error={endpoint.error} />
        <Link href="/app/webhooks">Back to webhooks</Link>
      </Page>
    )
  }
  const e = endpoint.data
  if (!e) return <Loading what="the endpoint" />
  return (
    <Page
      title={e.description || 'Webhook endpoint'}
      intro={
        <>
          <code class="break">{e.url}</code> <EndpointState endpoint={e} failing={failing.data} />
        </>
      }
      actions={<EndpointActions endpoint={e} onChange={changed} />}
    >
      <p>
        <Link href="/app/webhooks">← All endpoints</Link>
      </p>
      <Stats id={id} round={round} />
      <Secret id={id} />
      <EndpointForm key={e.updated_at} endpoint={e} onSaved={changed} />
      <Recover id={id} onRecovered={changed} />
      <DeliveryLog endpointId={id} round={round} />
    </Page>
  )
}

function EndpointActions(props: { endpoint: WebhookEndpoint; onChange: () => void }) {
  const e = props.endpoint
  const [message, setMessage] = useState('')
  const toggle = useSubmit(async () => {
    await api('PATCH', `/api/v1/webhook_endpoints/${e.id}`, { enabled: !e.enabled })
    props.onChange()
  })
  const test = useSubmit(async () => {
    const sent = await api<{ event_id: string; delivery_id: string }>('POST', `/api/v1/webhook_endpoints/${e.id}/test`)
    setMessage(`Test event ${sent.event_id} queued: it appears in the delivery log below.`)
    props.onChange()
  })
  return (
    <div class="stack">
      <div class="actions">
        <button type="button" class="secondary" onClick={test.onSubmit} disabled={test.busy || !e.enabled}>
          Send test event
        </button>
        <button type="button" class="secondary" onClick={toggle.onSubmit} disabled={toggle.busy}>
          {e.enabled ? 'Disable' : 'Enable'}
        </button>
        <ConfirmButton
          label="Delete"
          class="danger"
          title="Delete this endpoint?"
          body={<p>It stops receiving events at once, and deliveries still pending for it are dropped.</p>}
          confirmLabel="Delete endpoint"
          onConfirm={async () => {
            await api('DELETE', `/api/v1/webhook_endpoints/${e.id}`)
            navigate('/app/webhooks')
          }}
        />
      </div>
      <p class="small" role="status">
        {message}
      </p>
      <ErrorNote error={toggle.error ?? test.error} />
    </div>
  )
}

function Stats(props: { id: string; round: number }) {
  const stats = useLoad(
    () => api<EndpointStats>('GET', `/api/v1/webhook_endpoints/${props.id}/stats`),
    [props.id, props.round],
  )
  const s = stats.data
  if (!s) return <ErrorNote error={stats.error} />
  return (
    <dl class="stats">
      <div>
        <dt>Success, last 24 h</dt>
        <dd>{successRate(s.last_24h.succeeded, s.last_24h.failed)}</dd>
      </div>
      <div>
        <dt>Last 24 h</dt>
        <dd>
          {s.last_24h.succeeded} ok · {s.last_24h.failed} failed · {s.last_24h.pending} pending
        </dd>
      </div>
      <div>
        <dt>Last 7 days</dt>
        <dd>
          {s.last_7d.succeeded} ok · {s.last_7d.failed} failed · {s.last_7d.pending} pending
        </dd>
      </div>
      <div>
        <dt>Last success</dt>
        <dd>
          <Time iso={s.last_success_at} />
        </dd>
      </div>
      <div>
        <dt>Last failure</dt>
        <dd>
          <Time iso={s.last_failure_at} />
        </dd>
      </div>
    </dl>
  )
}

function Secret(props: { id: string }) {
  const [secret, setSecret] = useState<EndpointSecret | null>(null)
  const reveal = useSubmit(async () =>
    setSecret(await api<EndpointSecret>('GET', `/api/v1/webhook_endpoints/${props.id}/secret`)),
  )
  return (
    <section class="panel" aria-labelledby="secret-title">
      <h2 id="secret-title">Signing secret</h2>
      <p class="muted">
        Verify every delivery with this secret (see the quick start for code). Keep it on your server only.
      </p>
      {secret ? (
        <>
          <div class="secret-row">
            <input aria-label="Signing secret" class="mono" readOnly value={secret.secret} />
            <CopyButton text={secret.secret} label="Copy secret" />
            <button type="button" class="secondary small" onClick={() => setSecret(null)}>
              Hide
            </button>
          </div>
          {secret.previous_secret && (
            <p class="small">
              The previous secret still signs deliveries until <Time iso={secret.previous_secret_expires_at} />, so
              receivers that have not switched yet keep verifying.
            </p>
          )}
        </>
      ) : (
        <button type="button" class="secondary" onClick={reveal.onSubmit} disabled={reveal.busy}>
          Reveal secret
        </button>
      )}{' '}
      <ConfirmButton
        label="Rotate secret"
        class="secondary"
        title="Rotate the signing secret?"
        body={
          <p>
            A new secret signs deliveries from now on. The current one keeps signing too for 24 hours, so you can deploy
            the new one to your receiver without missing events.
          </p>
        }
        confirmLabel="Rotate secret"
        onConfirm={async () =>
          setSecret(await api<EndpointSecret>('POST', `/api/v1/webhook_endpoints/${props.id}/rotate_secret`))
        }
      />
      <ErrorNote error={reveal.error} />
    </section>
  )
}

function Recover(props: { id: string; onRecovered: () => void }) {
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 86_400_000)))
  const [result, setResult] = useState('')
  const submit = useSubmit(async () => {
    const answer = await api<{ recovered: number }>('POST', `/api/v1/webhook_endpoints/${props.id}/recover`, {
      since: fromLocalInput(since),
    })
    setResult(`${answer.recovered} failed ${answer.recovered === 1 ? 'delivery' : 'deliveries'} queued again.`)
    props.onRecovered()
  })
  return (
    <details class="panel">
      <summary>
        <h2>Recover failed deliveries</h2>
      </summary>
      <form onSubmit={submit.onSubmit} class="inline-form">
        <Field label="Failed since" hint="Every delivery that failed since then is sent again.">
          {(id, hint) => (
            <input
              id={id}
              type="datetime-local"
              required
              aria-describedby={hint}
              value={since}
              onInput={(e) => setSince(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={submit.busy}>
          Recover
        </button>
      </form>
      <p role="status">{result}</p>
      <ErrorNote error={submit.error} />
    </details>
  )
}
