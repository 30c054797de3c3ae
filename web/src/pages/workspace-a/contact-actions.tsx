import { useState } from 'preact/hooks'
import { api } from '../../api.js'
import { ErrorNote, Field, useSubmit } from '../../ui.js'

type Kind = 'note' | 'call' | 'task' | 'deal'
const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'note', label: 'Note' },
  { kind: 'call', label: 'Call' },
  { kind: 'task', label: 'Task' },
  { kind: 'deal', label: 'Deal' },
]

/** Add a note, log a call, or create a task or a deal for the contact. */
export function AddToContact(props: { contactId: string; onAdded(): void }) {
  const [kind, setKind] = useState<Kind>('note')
  const [text, setText] = useState('')
  const [extra, setExtra] = useState('')
  const [done, setDone] = useState('')
  const { busy, error, onSubmit } = useSubmit(async () => {
    const contact_id = props.contactId
    if (kind === 'note') await api('POST', '/api/v1/notes', { body: text, contact_id })
    else if (kind === 'call') {
      await api('POST', '/api/v1/activities', {
        type: 'call',
        summary: text,
        contact_id,
        ...(extra ? { duration_minutes: Number(extra) } : {}),
      })
    } else if (kind === 'task') {
      await api('POST', '/api/v1/tasks', {
        title: text,
        contact_id,
        ...(extra ? { due_at: new Date(`${extra}T17:00:00`).toISOString() } : {}),
      })
    } else await api('POST', '/api/v1/deals', { title: text, contact_id, ...(extra ? { value: Number(extra) } : {}) })
    setDone(`${KINDS.find((k) => k.kind === kind)?.label} added.`)
    setText('')
    setExtra('')
    props.onAdded()
  })
  const labels: Record<Kind, [string, string | null, string]> = {
    note: ['Note', null, 'text'],
    call: ['Call summary', 'Duration in minutes (optional)', 'number'],
    task: ['Task title', 'Due date (optional)', 'date'],
    deal: ['Deal title', 'Value (optional)', 'number'],
  }
  const [main, second, secondType] = labels[kind]
  return (
    <div>
      <div class="segmented" role="group" aria-label="What to add">
        {KINDS.map((k) => (
          <button
            key={k.kind}
            type="button"
            class={kind === k.kind ? 'small' : 'secondary small'}
            aria-pressed={kind === k.kind}
            onClick={() => {
              setKind(k.kind)
              setDone('')
            }}
          >
            {k.label}
          </button>
        ))}
      </div>
      <form onSubmit={onSubmit}>
        <Field label={main}>
          {(id) =>
            kind === 'note' ? (
              <textarea id={id} required rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
            ) : (
              <input id={id} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
            )
          }
        </Field>
        {second && (
          <Field label={second}>
            {(id) => (
              <input
                id={id}
                type={secondType as 'number'}
                value={extra}
                onInput={(e) => setExtra(e.currentTarget.value)}
              />
            )}
          </Field>
        )}
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          Add {kind}
        </button>
        {done && (
          <span class="muted" role="status">
            {' '}
            {done}
          </span>
        )}
      </form>
    </div>
  )
}
