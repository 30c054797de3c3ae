import type { ComponentChildren, JSX } from 'preact'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { ApiFailure } from './api.js'
import { formatDateTime } from './format.js'
import { onLinkClick } from './router.js'

/** Shared building blocks of the pages. */

export interface Loaded<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  reload(): void
}

/** Runs `load` when `deps` change (and on reload()), keeping the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true })
  const [round, setRound] = useState(0)
  useEffect(() => {
    let live = true
    setState((s) => ({ ...s, loading: true }))
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    )
    return () => {
      live = false
    }
  }, [...deps, round])
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setRound((r) => r + 1) }
}

export function Page(props: {
  title: string
  intro?: ComponentChildren
  actions?: ComponentChildren
  children: ComponentChildren
}) {
  useEffect(() => {
    document.title = `${props.title} · Rapport`
  }, [props.title])
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            {props.title}
          </h1>
          {props.intro && <p class="intro">{props.intro}</p>}
        </div>
        {props.actions && <div class="actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  )
}

export function Link(props: { href: string; class?: string; children: ComponentChildren; current?: boolean }) {
  return (
    <a href={props.href} class={props.class} onClick={onLinkClick} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  )
}

/** An error from the API (or anything thrown) as an alert, with the request id to quote to support. */
export function ErrorNote(props: { error: unknown }) {
  if (!props.error) return null
  const failure = props.error instanceof ApiFailure ? props.error : undefined
  const message = failure
    ? failure.body.message
    : props.error instanceof Error
      ? props.error.message
      : String(props.error)
  // A detail that only repeats the message (one bad field) is not shown twice.
  const details = (failure?.body.details ?? []).filter((d) => !message.includes(d.message))
  return (
    <div class="note error" role="alert">
      <p>{message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={d.field}>
              <code>{d.field}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
      {failure?.body.request_id && <p class="muted small">Request id: {failure.body.request_id}</p>}
    </div>
  )
}

export function Loading(props: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {props.what}…
    </p>
  )
}

/** A labelled control: `children` receives the id to put on the control and the hint's id. */
export function Field(props: {
  label: string
  hint?: ComponentChildren
  children: (id: string, describedBy: string | undefined) => JSX.Element
}) {
  const id = useId()
  const hintId = props.hint ? `${id}-hint` : undefined
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id, hintId)}
      {props.hint && (
        <p id={hintId} class="hint">
          {props.hint}
        </p>
      )}
    </div>
  )
}

export function CopyButton(props: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch {
      // No clipboard permission: the text stays selectable next to the button.
      setCopied(false)
    }
  }
  return (
    <button type="button" class="secondary small" onClick={copy}>
      <span aria-live="polite">{copied ? 'Copied' : (props.label ?? 'Copy')}</span>
    </button>
  )
}

export function CodeBlock(props: { code: string; label: string }) {
  return (
    <figure class="code">
      <figcaption>
        <span>{props.label}</span>
        <CopyButton text={props.code} label={`Copy ${props.label}`} />
      </figcaption>
      <pre>
        <code>{props.code}</code>
      </pre>
    </figure>
  )
}

export function Time(props: { iso: string | null; empty?: string }) {
  if (!props.iso) return <span class="muted">{props.empty ?? 'Never'}</span>
  return <time dateTime={props.iso}>{formatDateTime(props.iso)}</time>
}

export function Badge(props: { tone: 'ok' | 'bad' | 'warn' | 'neutral'; children: ComponentChildren }) {
  return <span class={`badge ${props.tone}`}>{props.children}</span>
}

/**
 * A button that asks before doing something that cannot be undone, in a modal <dialog> (focus
 * stays in it, Escape cancels).
 */
export function ConfirmButton(props: {
  label: ComponentChildren
  title: string
  body: ComponentChildren
  confirmLabel: string
  onConfirm: () => Promise<unknown>
  class?: string
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const titleId = useId()
  const confirm = async () => {
    setBusy(true)
    setError(null)
    try {
      await props.onConfirm()
      dialog.current?.close()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button type="button" class={props.class ?? 'danger small'} onClick={() => dialog.current?.showModal()}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} class="confirm">
        <h2 id={titleId}>{props.title}</h2>
        <div>{props.body}</div>
        <ErrorNote error={error} />
        <div class="actions">
          <button type="button" class="danger" onClick={confirm} disabled={busy}>
            {props.confirmLabel}
          </button>
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  )
}

/** What a member sees on a page for owners and admins. */
export function AskAnAdmin(props: { what: string }) {
  return (
    <div class="note" role="note">
      <h2>Ask an admin</h2>
      <p>
        Only owners and admins can see {props.what}. Ask an admin of your organization if you need access, or a key for
        an integration.
      </p>
    </div>
  )
}

/** Submits a form through `run`, tracking busy state and the error to show. */
export function useSubmit(run: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const onSubmit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await run()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, onSubmit, setError }
}
