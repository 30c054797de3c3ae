import { useState } from 'preact/hooks'
import { api } from '../../api.js'
import { ConfirmButton, ErrorNote, Field, Loading, Page, useLoad, useSubmit } from '../../ui.js'
import { EmailNav, firstPage, HtmlFrame, type Rendered, type Template, useDebounced } from './shared.js'
import { TestSend } from './test-send.js'

/*
 * /app/email/templates: the templates; one opens in an editor (name, subject, HTML, optional text)
 * with a live preview rendered by the API for a sample contact, a test send of the saved template
 * to an address, and deletion.
 */

export function TemplatesPage() {
  const templates = useLoad(() => firstPage<Template>('/api/v1/email-templates'), [])
  const [editing, setEditing] = useState<Template | 'new' | null>(null)
  const closeAndReload = () => {
    setEditing(null)
    templates.reload()
  }
  return (
    <Page
      title="Email templates"
      intro="Subject and body in Liquid: {{ contact.first_name }}, {{ organization.name }}…"
    >
      <EmailNav />
      <ErrorNote error={templates.error} />
      {!templates.data && !templates.error && <Loading what="templates" />}
      {templates.data?.data.length === 0 && <p class="muted">No template yet.</p>}
      <ul class="plain email-list" aria-label="Templates">
        {templates.data?.data.map((t) => (
          <li key={t.id}>
            <button
              type="button"
              class="link"
              aria-pressed={editing !== 'new' && editing?.id === t.id}
              onClick={() => setEditing(t)}
            >
              {t.name}
            </button>{' '}
            <span class="muted small">{t.subject}</span>
          </li>
        ))}
      </ul>
      <div class="email-actions">
        <button type="button" class="secondary" onClick={() => setEditing('new')}>
          New template
        </button>
      </div>
      {editing && (
        <TemplateEditor
          key={editing === 'new' ? 'new' : editing.id}
          template={editing === 'new' ? undefined : editing}
          onSaved={(saved) => {
            setEditing(saved)
            templates.reload()
          }}
          onDeleted={closeAndReload}
        />
      )}
    </Page>
  )
}

function TemplateEditor(props: { template?: Template; onSaved(saved: Template): void; onDeleted(): void }) {
  const t = props.template
  const [name, setName] = useState(t?.name ?? '')
  const [subject, setSubject] = useState(t?.subject ?? '')
  const [html, setHtml] = useState(t?.html ?? '')
  const [text, setText] = useState(t?.text ?? '')
  const [note, setNote] = useState('')
  const content = useDebounced(JSON.stringify({ subject, html, text }), 300)
  const preview = useLoad(() => {
    const c = JSON.parse(content) as { subject: string; html: string; text: string }
    if (!c.subject.trim() || (!c.html && !c.text)) return Promise.resolve(undefined)
    return api<Rendered>('POST', '/api/v1/email-templates/preview', {
      subject: c.subject,
      ...(c.html ? { html: c.html } : {}),
      ...(c.text ? { text: c.text } : {}),
    })
  }, [content])
  const submit = useSubmit(async () => {
    const body = t
      ? { name, subject, html: html || null, text: text || null }
      : { name, subject, ...(html ? { html } : {}), ...(text ? { text } : {}) }
    const saved = t
      ? await api<Template>('PATCH', `/api/v1/email-templates/${t.id}`, body)
      : await api<Template>('POST', '/api/v1/email-templates', body)
    setNote(`Template ${saved.name} saved.`)
    props.onSaved(saved)
  })
  const unsaved =
    t !== undefined && (name !== t.name || subject !== t.subject || html !== (t.html ?? '') || text !== (t.text ?? ''))
  return (
    <section aria-label={t ? `Template ${t.name}` : 'New template'}>
      <h2>{t ? `Edit ${t.name}` : 'New template'}</h2>
      <div class="email-split">
        <form class="email-form" onSubmit={submit.onSubmit} aria-label="Template">
          <Field label="Template name">
            {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label="Subject">
            {(id) => <input id={id} required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />}
          </Field>
          <Field label="HTML">
            {(id) => <textarea id={id} value={html} onInput={(e) => setHtml(e.currentTarget.value)} />}
          </Field>
          <Field label="Plain text" hint="Empty: derived from the HTML">
            {(id, hint) => (
              <textarea
                id={id}
                class="email-short"
                aria-describedby={hint}
                value={text}
                onInput={(e) => setText(e.currentTarget.value)}
              />
            )}
          </Field>
          <ErrorNote error={submit.error} />
          <p class="muted email-status" role="status">
            {note}
          </p>
          <div class="email-actions">
            <button type="submit" disabled={submit.busy}>
              Save template
            </button>
            {t && (
              <ConfirmButton
                label="Delete template"
                title={`Delete the template ${t.name}?`}
                body={<p>Messages already sent from it keep their content.</p>}
                confirmLabel="Delete template"
                onConfirm={async () => {
                  await api('DELETE', `/api/v1/email-templates/${t.id}`)
                  props.onDeleted()
                }}
              />
            )}
          </div>
        </form>
        <section aria-labelledby="template-preview">
          <h3 id="template-preview">Preview</h3>
          <p class="hint">Rendered for a sample contact as you type.</p>
          <ErrorNote error={preview.error} />
          {preview.data && (
            <>
              <p data-testid="preview-subject">
                <strong>{preview.data.subject}</strong>
              </p>
              {preview.data.html ? (
                <HtmlFrame html={preview.data.html} title="Template preview" />
              ) : (
                <pre class="email-text">{preview.data.text}</pre>
              )}
            </>
          )}
        </section>
      </div>
      {t && (
        <TestSend
          hint={unsaved ? 'The test sends the saved template: save your changes first.' : undefined}
          send={async (to) => (await api<{ id: string }>('POST', `/api/v1/email-templates/${t.id}/test`, { to })).id}
        />
      )}
    </section>
  )
}
