import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { api, type List, query } from '../api.js'
import { navigate } from '../router.js'
import type { Contact, Deal } from '../types.js'
import { ErrorNote, Field, useSubmit } from '../ui.js'
import type { Route } from './routes.js'

interface Option {
  id: string
  label: string
  hint: string
  run(): void
}

type Creating = 'contact' | 'deal' | 'task' | null

/**
 * The command palette (Ctrl+K / ⌘K): a combobox over pages, create actions and the contacts and
 * deals whose name matches what is typed (GET /api/v1/contacts?q= and /api/v1/deals?q=).
 */
export function CommandPalette(props: { open: boolean; routes: Route[]; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const input = useRef<HTMLInputElement>(null)
  const [text, setText] = useState('')
  const [active, setActive] = useState(0)
  const [found, setFound] = useState<{ contacts: Contact[]; deals: Deal[] }>({ contacts: [], deals: [] })
  const [creating, setCreating] = useState<Creating>(null)
  const listId = useId()
  const titleId = useId()

  useEffect(() => {
    const d = dialog.current
    if (!d) return
    if (props.open && !d.open) {
      setText('')
      setCreating(null)
      setActive(0)
      d.showModal()
      input.current?.focus()
    } else if (!props.open && d.open) d.close()
  }, [props.open])

  useEffect(() => {
    const q = text.trim()
    if (!q) return setFound({ contacts: [], deals: [] })
    let live = true
    const timer = setTimeout(async () => {
      const [contacts, deals] = await Promise.all([
        api<List<Contact>>('GET', `/api/v1/contacts${query({ q, limit: 5 })}`).catch(() => undefined),
        api<List<Deal>>('GET', `/api/v1/deals${query({ q, limit: 5 })}`).catch(() => undefined),
      ])
      if (live) setFound({ contacts: contacts?.data ?? [], deals: deals?.data ?? [] })
    }, 120)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [text])

  const go = (to: string) => {
    props.onClose()
    navigate(to)
  }
  const needle = text.trim().toLowerCase()
  const options: Option[] = [
    ...found.contacts.map((c) => ({
      id: c.id,
      label: c.name ?? c.email ?? c.phone ?? c.id,
      hint: `Contact${c.company ? ` · ${c.company}` : ''}`,
      run: () => go(`/app/contacts/${c.id}`),
    })),
    ...found.deals.map((d) => ({
      id: d.id,
      label: d.title,
      hint: 'Deal',
      run: () => go(`/app/deals${query({ deal: d.id })}`),
    })),
    ...(['contact', 'deal', 'task'] as const)
      .map((kind) => ({ id: `create-${kind}`, label: `Create ${kind}`, hint: 'Action', run: () => setCreating(kind) }))
      .filter((o) => !needle || o.label.toLowerCase().includes(needle)),
    ...props.routes
      .filter((r) => r.label && (!needle || r.label.toLowerCase().includes(needle)))
      .map((r) => ({ id: `page-${r.path}`, label: `Go to ${r.label}`, hint: 'Page', run: () => go(r.path) })),
  ]
  const current = Math.min(active, Math.max(options.length - 1, 0))

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setActive((current + 1) % Math.max(options.length, 1))
    else if (event.key === 'ArrowUp') setActive((current - 1 + options.length) % Math.max(options.length, 1))
    else if (event.key === 'Enter') options[current]?.run()
    else return
    event.preventDefault()
  }

  return (
    <dialog ref={dialog} class="palette" aria-labelledby={titleId} onClose={props.onClose}>
      <h2 id={titleId} class="sr-only">
        Command palette
      </h2>
      {creating ? (
        <QuickCreate kind={creating} onDone={go} onBack={() => setCreating(null)} />
      ) : (
        <>
          <input
            ref={input}
            type="text"
            role="combobox"
            aria-label="Find a contact or deal, create, or go to a page"
            aria-expanded="true"
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={options[current] ? `${listId}-${current}` : undefined}
            placeholder="Find a contact or deal, create, go to…"
            value={text}
            onInput={(e) => {
              setText(e.currentTarget.value)
              setActive(0)
            }}
            onKeyDown={onKeyDown}
          />
          <div id={listId} role="listbox" aria-label="Results" class="palette-results">
            {options.map((o, i) => (
              <div
                key={o.id}
                id={`${listId}-${i}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === current}
                class={i === current ? 'active' : undefined}
                onClick={() => o.run()}
                onKeyDown={(e) => e.key === 'Enter' && o.run()}
              >
                <span>{o.label}</span>
                <span class="muted small">{o.hint}</span>
              </div>
            ))}
            {options.length === 0 && <p class="muted">Nothing matches “{text}”</p>}
          </div>
        </>
      )}
    </dialog>
  )
}

/** A small form in the palette that creates a contact, deal or task and opens what it made. */
function QuickCreate(props: { kind: 'contact' | 'deal' | 'task'; onDone(to: string): void; onBack(): void }) {
  const [first, setFirst] = useState('')
  const [second, setSecond] = useState('')
  const firstInput = useRef<HTMLInputElement>(null)
  useEffect(() => firstInput.current?.focus(), [])
  const { busy, error, onSubmit } = useSubmit(async () => {
    if (props.kind === 'contact') {
      const made = await api<Contact>('POST', '/api/v1/contacts', { name: first, ...(second ? { email: second } : {}) })
      props.onDone(`/app/contacts/${made.id}`)
    } else if (props.kind === 'deal') {
      await api('POST', '/api/v1/deals', { title: first, ...(second ? { value: Number(second) } : {}) })
      props.onDone('/app/deals')
    } else {
      await api('POST', '/api/v1/tasks', {
        title: first,
        ...(second ? { due_at: new Date(`${second}T17:00:00`).toISOString() } : {}),
      })
      props.onDone('/app/tasks')
    }
  })
  const labels = (
    {
      contact: ['Name', 'Email (optional)', 'email'],
      deal: ['Title', 'Value (optional)', 'number'],
      task: ['Title', 'Due date (optional)', 'date'],
    } as const
  )[props.kind]
  return (
    <form class="quick-create" onSubmit={onSubmit}>
      <h3>Create {props.kind}</h3>
      <Field label={labels[0]}>
        {(id) => (
          <input id={id} required value={first} ref={firstInput} onInput={(e) => setFirst(e.currentTarget.value)} />
        )}
      </Field>
      <Field label={labels[1]}>
        {(id) => (
          <input id={id} type={labels[2] as 'email'} value={second} onInput={(e) => setSecond(e.currentTarget.value)} />
        )}
      </Field>
      <ErrorNote error={error} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          Create {props.kind}
        </button>
        <button type="button" class="secondary" onClick={props.onBack}>
          Back
        </button>
      </div>
    </form>
  )
}
