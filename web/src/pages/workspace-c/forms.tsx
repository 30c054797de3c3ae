import { useId, useState } from 'preact/hooks'
import { api, type List, query } from '../../api.js'
import { formatDateTime } from '../../format.js'
import { useSession } from '../../session.js'
import type { Body, Form, FormResponse, Notification } from '../../types.js'
import { CodeBlock, ErrorNote, Field, Link, Loading, Page, useLoad, useSubmit } from '../../ui.js'
import { useLiveEvents } from '../../workspace/live.js'
import { loadKeys } from '../api-keys.js'
import { formSnippet } from '../lead-capture.js'
import { loadContactNames } from '../workspace-b/lookups.js'
import './workspace-c.css'

type FormField = NonNullable<Body<'createForm'>['fields']>[number]
type FieldType = FormField['type']
type Theme = 'auto' | 'light' | 'dark'

const TYPES: { type: FieldType; label: string }[] = [
  { type: 'text', label: 'Text' },
  { type: 'email', label: 'Email' },
  { type: 'phone', label: 'Phone' },
  { type: 'textarea', label: 'Long text' },
  { type: 'select', label: 'Choice list' },
  { type: 'checkbox', label: 'Checkbox' },
  { type: 'consent', label: 'Consent' },
]

const NEW = 'new'

/** Forms (builder with live preview), their responses with the contact, and the notifications inbox. */
export function FormsPage() {
  const [formId, setFormId] = useState('')
  const [announcement, setAnnouncement] = useState('')
  const forms = useLoad(() => api<List<Form>>('GET', '/api/v1/forms?limit=100'), [])
  const list = forms.data?.data ?? []
  const chosen = formId === NEW ? undefined : (list.find((f) => f.id === formId) ?? list[0])
  return (
    <Page title="Forms" intro="Build the forms of your websites, read what visitors sent, and follow new leads.">
      <div class="sr-only" role="status" aria-live="polite" data-testid="forms-announcer">
        {announcement}
      </div>
      <ErrorNote error={forms.error} />
      {!forms.data && !forms.error && <Loading what="forms" />}
      {forms.data && (
        <div class="filters">
          <Field label="Form">
            {(id) => (
              <select id={id} value={chosen?.id ?? NEW} onChange={(e) => setFormId(e.currentTarget.value)}>
                {list.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
                <option value={NEW}>New form…</option>
              </select>
            )}
          </Field>
        </div>
      )}
      {forms.data && (
        <FormBuilder
          key={chosen ? `${chosen.id}-${chosen.updated_at}` : NEW}
          form={chosen}
          onSaved={(f, created) => {
            setAnnouncement(`${created ? 'Created' : 'Saved'}: ${f.name}.`)
            setFormId(f.id)
            forms.reload()
          }}
        />
      )}
      {chosen && <Responses form={chosen} />}
      <Inbox />
    </Page>
  )
}

function FormBuilder(props: { form: Form | undefined; onSaved: (form: Form, created: boolean) => void }) {
  const f = props.form
  const [name, setName] = useState(f?.name ?? '')
  const [fields, setFields] = useState<FormField[]>(
    f?.fields.map((x) => ({ ...x, options: x.options ?? undefined })) ?? [
      { key: 'email', label: 'Email', type: 'email', required: true },
    ],
  )
  const [success, setSuccess] = useState(f?.success_message ?? '')
  const [theme, setTheme] = useState<Theme>('auto')
  const submit = useSubmit(async () => {
    const body = {
      name,
      fields: fields.map((x) => ({ ...x, options: x.type === 'select' ? (x.options ?? []) : undefined })),
      success_message: success || null,
    }
    const saved = f
      ? await api<Form>('PATCH', `/api/v1/forms/${f.id}`, body)
      : await api<Form>('POST', '/api/v1/forms', body)
    props.onSaved(saved, !f)
  })
  const setAt = (i: number, change: Partial<FormField>) =>
    setFields(fields.map((x, j) => (j === i ? { ...x, ...change } : x)))
  const move = (i: number, by: -1 | 1) => {
    const next = [...fields]
    const [moved] = next.splice(i, 1)
    next.splice(i + by, 0, moved!)
    setFields(next)
  }
  return (
    <section aria-labelledby="builder-heading" class="panel">
      <h2 id="builder-heading">{f ? `Edit “${f.name}”` : 'New form'}</h2>
      <div class="builder">
        <form onSubmit={submit.onSubmit} class="builder-form">
          <Field label="Form name">
            {(id) => (
              <input id={id} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
            )}
          </Field>
          <fieldset>
            <legend>Fields</legend>
            <ol class="plain field-list">
              {fields.map((x, i) => (
                <li key={i} class="field-row" data-field={x.key}>
                  <FieldEditor field={x} onChange={(change) => setAt(i, change)} />
                  <div class="actions">
                    <button type="button" class="secondary small" disabled={i === 0} onClick={() => move(i, -1)}>
                      Up<span class="sr-only"> {x.label || `field ${i + 1}`}</span>
                    </button>
                    <button
                      type="button"
                      class="secondary small"
                      disabled={i === fields.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      Down<span class="sr-only"> {x.label || `field ${i + 1}`}</span>
                    </button>
                    <button
                      type="button"
                      class="secondary small"
                      onClick={() => setFields(fields.filter((_, j) => j !== i))}
                    >
                      Remove<span class="sr-only"> {x.label || `field ${i + 1}`}</span>
                    </button>
                  </div>
                </li>
              ))}
            </ol>
            <button
              type="button"
              class="secondary small"
              onClick={() =>
                setFields([...fields, { key: `field_${fields.length + 1}`, label: '', type: 'text', required: false }])
              }
            >
              Add a field
            </button>
          </fieldset>
          <Field label="Success message" hint="Shown in place of the form once sent.">
            {(id, hint) => (
              <textarea
                id={id}
                aria-describedby={hint}
                maxLength={1000}
                value={success}
                onInput={(e) => setSuccess(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label="Theme" hint="The widget's data-theme: auto follows the visitor's system setting.">
            {(id, hint) => (
              <select
                id={id}
                aria-describedby={hint}
                value={theme}
                onChange={(e) => setTheme(e.currentTarget.value as Theme)}
              >
                <option value="auto">Auto</option>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
              </select>
            )}
          </Field>
          <div>
            <button type="submit" disabled={submit.busy}>
              {f ? 'Save form' : 'Create form'}
            </button>
          </div>
          <ErrorNote error={submit.error} />
        </form>
        <FormPreview name={name} fields={fields} success={success} theme={theme} />
      </div>
      {f && <EmbedCode formId={f.id} theme={theme} />}
    </section>
  )
}

function FieldEditor(props: { field: FormField; onChange: (change: Partial<FormField>) => void }) {
  const x = props.field
  return (
    <div class="field-editor">
      <Field label={x.type === 'consent' ? 'Consent text' : 'Label'}>
        {(id) => (
          <input
            id={id}
            required
            maxLength={1000}
            value={x.label}
            onInput={(e) => props.onChange({ label: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field label="Key" hint="The name it is stored under.">
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            required
            maxLength={64}
            value={x.key}
            onInput={(e) => props.onChange({ key: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field label="Type">
        {(id) => (
          <select id={id} value={x.type} onChange={(e) => props.onChange({ type: e.currentTarget.value as FieldType })}>
            {TYPES.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {x.type === 'select' && (
        <Field label="Options" hint="One per line.">
          {(id, hint) => (
            <textarea
              id={id}
              aria-describedby={hint}
              required
              value={(x.options ?? []).join('\n')}
              onInput={(e) => props.onChange({ options: e.currentTarget.value.split('\n') })}
            />
          )}
        </Field>
      )}
      <label class="check">
        <input
          type="checkbox"
          checked={x.required ?? false}
          onChange={(e) => props.onChange({ required: e.currentTarget.checked })}
        />{' '}
        Required
      </label>
    </div>
  )
}

/** What the widget will show, drawn as the fields are edited (the widget itself needs a publishable key and an allowed origin). */
function FormPreview(props: { name: string; fields: FormField[]; success: string; theme: Theme }) {
  const base = useId()
  const [sent, setSent] = useState(false)
  return (
    <section class={`form-preview theme-${props.theme}`} aria-labelledby={`${base}-h`}>
      <p class="preview-tag">Preview</p>
      <h3 id={`${base}-h`}>{props.name || 'Untitled form'}</h3>
      {sent ? (
        <p role="status">{props.success || 'Thank you! Your message has been sent.'}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            setSent(true)
          }}
        >
          {props.fields.map((x, i) => {
            const id = `${base}-${i}`
            const label = (
              <>
                {x.label || x.key}
                {x.required && <span aria-hidden="true"> *</span>}
              </>
            )
            if (x.type === 'checkbox' || x.type === 'consent') {
              return (
                <div key={id} class="preview-field">
                  <label>
                    <input type="checkbox" required={x.required} /> {label}
                  </label>
                </div>
              )
            }
            return (
              <div key={id} class="preview-field">
                <label for={id}>{label}</label>
                {x.type === 'textarea' ? (
                  <textarea id={id} required={x.required} />
                ) : x.type === 'select' ? (
                  <select id={id} required={x.required}>
                    <option value="">Choose…</option>
                    {(x.options ?? []).filter(Boolean).map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : (
                  <PreviewInput id={id} field={x} />
                )}
              </div>
            )
          })}
          <button type="submit">Send</button>
        </form>
      )}
      {sent && (
        <button type="button" class="secondary small" onClick={() => setSent(false)}>
          Show the form again
        </button>
      )}
    </section>
  )
}

function EmbedCode(props: { formId: string; theme: Theme }) {
  const { isAdmin, mode } = useSession()
  const keys = useLoad(() => (isAdmin ? loadKeys() : Promise.resolve(undefined)), [isAdmin])
  const key = (keys.data?.data ?? []).find((k) => k.type === 'publishable' && k.mode === mode && k.prefix.length > 12)
  const snippet = formSnippet(window.location.origin, key?.prefix ?? `pk_${mode}_…`, props.formId).replace(
    'data-theme="auto"',
    `data-theme="${props.theme}"`,
  )
  return (
    <div class="embed">
      <CodeBlock label="Embed code" code={snippet} />
      {!key && (
        <p class="muted small">
          Put a publishable key in place of <code>pk_{mode}_…</code>: keys and their allowed sites are on{' '}
          <Link href="/app/lead-capture">Lead capture</Link>.
        </p>
      )}
    </div>
  )
}

function Responses(props: { form: Form }) {
  const responses = useLoad(async () => {
    const list = await api<List<FormResponse>>(
      'GET',
      `/api/v1/form_responses${query({ form_id: props.form.id, limit: 50 })}`,
    )
    const contacts = await loadContactNames(list.data.flatMap((r) => (r.lead_id ? [r.lead_id] : [])))
    return { list, contacts }
  }, [props.form.id])
  useLiveEvents(['form_response.'], () => responses.reload())
  return (
    <section aria-labelledby="responses-heading" class="panel">
      <h2 id="responses-heading">Responses to “{props.form.name}”</h2>
      <ErrorNote error={responses.error} />
      {!responses.data && !responses.error && <Loading what="responses" />}
      {responses.data?.list.data.length === 0 && <p class="muted">No responses yet.</p>}
      {responses.data && responses.data.list.data.length > 0 && (
        <ul class="plain response-list">
          {responses.data.list.data.map((r) => (
            <li key={r.id} class="response-row">
              <div class="response-head">
                {r.lead_id ? (
                  <Link href={`/app/contacts/${r.lead_id}`}>
                    {responses.data!.contacts.get(r.lead_id) ?? 'Contact'}
                  </Link>
                ) : (
                  <span class="muted">No contact</span>
                )}
                <span class="muted small">{formatDateTime(r.created_at)}</span>
              </div>
              <dl class="response-data">
                {Object.entries(r.form_data as Record<string, unknown>)
                  .filter(([k]) => !k.startsWith('_'))
                  .map(([k, v]) => (
                    <div key={k}>
                      <dt>{props.form.fields.find((x) => x.key === k)?.label ?? k}</dt>
                      <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
                    </div>
                  ))}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function Inbox() {
  const [unreadOnly, setUnreadOnly] = useState(true)
  const [actionError, setActionError] = useState<unknown>(null)
  const inbox = useLoad(
    () =>
      api<List<Notification>>(
        'GET',
        `/api/v1/notifications${query({ unread: unreadOnly ? 'true' : undefined, limit: 50 })}`,
      ),
    [unreadOnly],
  )
  useLiveEvents(['form_response.', 'lead.', 'callback.'], () => inbox.reload())
  const act = async (run: () => Promise<unknown>) => {
    setActionError(null)
    try {
      await run()
      inbox.reload()
    } catch (error) {
      setActionError(error)
    }
  }
  const items = inbox.data?.data ?? []
  return (
    <section aria-labelledby="inbox-heading" class="panel">
      <h2 id="inbox-heading">Notifications</h2>
      <div class="filters">
        <fieldset class="view-switch">
          <legend class="sr-only">Which notifications</legend>
          <button type="button" class="secondary small" aria-pressed={unreadOnly} onClick={() => setUnreadOnly(true)}>
            Unread
          </button>
          <button type="button" class="secondary small" aria-pressed={!unreadOnly} onClick={() => setUnreadOnly(false)}>
            All
          </button>
        </fieldset>
        <button
          type="button"
          class="secondary small"
          disabled={!items.some((n) => !n.read)}
          onClick={() => act(() => api('POST', '/api/v1/notifications/read_all'))}
        >
          Mark all read
        </button>
      </div>
      <ErrorNote error={inbox.error ?? actionError} />
      {!inbox.data && !inbox.error && <Loading what="notifications" />}
      {inbox.data && items.length === 0 && <p class="muted">{unreadOnly ? 'Nothing unread.' : 'No notifications.'}</p>}
      <ul class="plain inbox-list">
        {items.map((n) => (
          <li key={n.id} class={`inbox-row${n.read ? '' : ' unread'}`}>
            <div>
              <strong>{n.title}</strong>
              {n.body && <p class="small">{n.body}</p>}
              <span class="muted small">
                {formatDateTime(n.created_at)}
                {n.contact_id && (
                  <>
                    {' · '}
                    <Link href={`/app/contacts/${n.contact_id}`}>Contact</Link>
                  </>
                )}
              </span>
            </div>
            {!n.read && (
              <button
                type="button"
                class="secondary small"
                onClick={() => act(() => api('POST', `/api/v1/notifications/${n.id}/read`))}
              >
                Mark read<span class="sr-only"> {n.title}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

function PreviewInput(props: { id: string; field: FormField }) {
  const { id, field } = props
  if (field.type === 'email') return <input id={id} required={field.required} type="email" />
  if (field.type === 'phone') return <input id={id} required={field.required} type="tel" />
  return <input id={id} required={field.required} type="text" />
}
