import { useState } from 'preact/hooks'
import { api, type List } from '../api.js'
import { parseLines } from '../format.js'
import { useSession } from '../session.js'
import type { ApiKey, Scope } from '../types.js'
import { Badge, ConfirmButton, CopyButton, ErrorNote, Field, Loading, Page, Time, useLoad, useSubmit } from '../ui.js'

const SCOPES: { scope: Scope; what: string }[] = [
  { scope: 'read', what: 'read contacts, deals and everything else' },
  { scope: 'write', what: 'create, change and delete them (pro plan and above)' },
  { scope: 'leads', what: 'capture leads: form responses, the lead webhook, domains' },
  { scope: 'keys', what: 'manage API keys' },
  { scope: 'admin', what: 'manage pipelines, users and scheduling (teams plan)' },
  { scope: 'webhooks', what: 'manage webhook endpoints (teams plan)' },
]

export const loadKeys = () => api<List<ApiKey>>('GET', '/api/v1/api_keys?limit=100')

export function ApiKeysPage() {
  const keys = useLoad(loadKeys, [])
  const [created, setCreated] = useState<ApiKey | null>(null)
  return (
    <Page
      title="API keys"
      intro="Secret keys call the API from your servers. Publishable keys are for lead-capture forms on your websites, from the origins you allow."
    >
      {created?.key && <NewKey apiKey={created} onDismiss={() => setCreated(null)} />}
      <CreateKeyForm
        onCreated={(k) => {
          setCreated(k)
          keys.reload()
        }}
      />
      <h2>Your keys</h2>
      <ErrorNote error={keys.error} />
      {!keys.data && !keys.error && <Loading what="keys" />}
      {keys.data && <KeyTable keys={keys.data.data} onChange={keys.reload} />}
    </Page>
  )
}

function NewKey(props: { apiKey: ApiKey; onDismiss: () => void }) {
  const key = props.apiKey.key!
  return (
    <div class="note warn new-key" role="alert">
      <h2>Copy your new key now</h2>
      <p>
        This is the only time <strong>{props.apiKey.name}</strong> is shown in full. Rapport keeps only a hash of it: if
        you lose it, revoke it and create another.
      </p>
      <div class="secret-row">
        <input aria-label="New API key" class="mono" readOnly value={key} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={key} label="Copy key" />
      </div>
      <button type="button" class="secondary small" onClick={props.onDismiss}>
        I have stored it safely
      </button>
    </div>
  )
}

function CreateKeyForm(props: { onCreated: (k: ApiKey) => void }) {
  const { mode, session } = useSession()
  const [name, setName] = useState('')
  const [type, setType] = useState<ApiKey['type']>('secret')
  const [keyMode, setKeyMode] = useState<ApiKey['mode']>(mode)
  // The free plan grants no write: a default it allows.
  const [scopes, setScopes] = useState<Scope[]>(
    session.organization.plan === 'free' ? ['read', 'leads'] : ['read', 'write', 'leads'],
  )
  const [origins, setOrigins] = useState('')
  const [expires, setExpires] = useState('')
  const submit = useSubmit(async () => {
    const body: Record<string, unknown> = { name, type, mode: keyMode }
    if (type === 'secret') body.scopes = scopes
    else body.allowed_origins = parseLines(origins)
    // The key works through the whole chosen day, in the browser's time zone.
    if (expires) body.expires_at = new Date(`${expires}T23:59:59`).toISOString()
    props.onCreated(await api<ApiKey>('POST', '/api/v1/api_keys', body))
    setName('')
    setOrigins('')
    setExpires('')
  })
  const toggleScope = (scope: Scope, on: boolean) =>
    setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)))
  return (
    <details class="panel" open>
      <summary>
        <h2>Create a key</h2>
      </summary>
      <form onSubmit={submit.onSubmit} class="grid-form">
        <Field label="Name" hint="What uses it: a server, an integration, a website.">
          {(id, hint) => (
            <input
              id={id}
              required
              maxLength={100}
              aria-describedby={hint}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <fieldset>
          <legend>Type</legend>
          <label class="choice">
            <input type="radio" name="key-type" checked={type === 'secret'} onChange={() => setType('secret')} /> Secret
            key
          </label>
          <label class="choice">
            <input
              type="radio"
              name="key-type"
              checked={type === 'publishable'}
              onChange={() => setType('publishable')}
            />{' '}
            Publishable key (websites)
          </label>
        </fieldset>
        <Field label="Mode" hint="Test keys see only test data, and their events go only to test endpoints.">
          {(id, hint) => (
            <select
              id={id}
              aria-describedby={hint}
              value={keyMode}
              onChange={(e) => setKeyMode(e.currentTarget.value as ApiKey['mode'])}
            >
              <option value="live">Live</option>
              <option value="test">Test</option>
            </select>
          )}
        </Field>
        {type === 'secret' ? (
          <fieldset>
            <legend>Scopes</legend>
            {SCOPES.map(({ scope, what }) => (
              <label class="choice" key={scope}>
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) => toggleScope(scope, e.currentTarget.checked)}
                />{' '}
                <code>{scope}</code> <span class="muted">{what}</span>
              </label>
            ))}
          </fieldset>
        ) : (
          <Field
            label="Allowed origins"
            hint="One per line, like https://www.example.com. Forms accept the key only from these."
          >
            {(id, hint) => (
              <textarea
                id={id}
                required
                rows={3}
                aria-describedby={hint}
                value={origins}
                onInput={(e) => setOrigins(e.currentTarget.value)}
              />
            )}
          </Field>
        )}
        <Field label="Expires on (optional)" hint="Leave empty for a key that does not expire.">
          {(id, hint) => (
            <input
              id={id}
              type="date"
              aria-describedby={hint}
              value={expires}
              onInput={(e) => setExpires(e.currentTarget.value)}
            />
          )}
        </Field>
        <ErrorNote error={submit.error} />
        <div>
          <button type="submit" disabled={submit.busy}>
            Create key
          </button>
        </div>
      </form>
    </details>
  )
}

function KeyTable(props: { keys: ApiKey[]; onChange: () => void }) {
  if (props.keys.length === 0) return <p class="muted">No keys yet.</p>
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Mode</th>
            <th scope="col">Scopes or origins</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.keys.map((k) => (
            <tr key={k.id}>
              <th scope="row">{k.name}</th>
              <td>
                <code>{k.prefix}…</code>
                {k.type === 'publishable' && (
                  <>
                    {' '}
                    <Badge tone="neutral">publishable</Badge>
                  </>
                )}
              </td>
              <td>
                <Badge tone={k.mode === 'live' ? 'ok' : 'warn'}>{k.mode}</Badge>
              </td>
              <td>
                {k.type === 'publishable' ? (
                  <OriginsEditor apiKey={k} onSaved={props.onChange} />
                ) : (
                  k.scopes.map((s) => (
                    <code key={s} class="tag">
                      {s}
                    </code>
                  ))
                )}
              </td>
              <td>
                <Time iso={k.created_at} />
              </td>
              <td>
                <Time iso={k.last_used_at} />
              </td>
              <td>
                <Time iso={k.expires_at} empty="Does not expire" />
              </td>
              <td>
                <ConfirmButton
                  label={
                    <>
                      Revoke<span class="sr-only"> {k.name}</span>
                    </>
                  }
                  title={`Revoke ${k.name}?`}
                  body={
                    <p>
                      Every request with <code>{k.prefix}…</code> is refused from now on (within a second). This cannot
                      be undone.
                    </p>
                  }
                  confirmLabel="Revoke key"
                  onConfirm={async () => {
                    await api('DELETE', `/api/v1/api_keys/${k.id}`)
                    props.onChange()
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A publishable key's allowed origins, with an inline editor. */
export function OriginsEditor(props: { apiKey: ApiKey; onSaved: () => void }) {
  const [editing, setEditing] = useState(false)
  const [text, setText] = useState(props.apiKey.allowed_origins.join('\n'))
  const submit = useSubmit(async () => {
    await api('PATCH', `/api/v1/api_keys/${props.apiKey.id}`, { allowed_origins: parseLines(text) })
    setEditing(false)
    props.onSaved()
  })
  if (!editing) {
    return (
      <div class="origins">
        <ul class="plain">
          {props.apiKey.allowed_origins.map((o) => (
            <li key={o}>
              <code>{o}</code>
            </li>
          ))}
        </ul>
        <button type="button" class="secondary small" onClick={() => setEditing(true)}>
          Edit origins<span class="sr-only"> of {props.apiKey.name}</span>
        </button>
      </div>
    )
  }
  return (
    <form onSubmit={submit.onSubmit} class="origins">
      <Field label={`Allowed origins of ${props.apiKey.name}`} hint="One per line.">
        {(id, hint) => (
          <textarea
            id={id}
            rows={3}
            required
            aria-describedby={hint}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        )}
      </Field>
      <ErrorNote error={submit.error} />
      <button type="submit" class="small" disabled={submit.busy}>
        Save origins
      </button>{' '}
      <button type="button" class="secondary small" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  )
}
