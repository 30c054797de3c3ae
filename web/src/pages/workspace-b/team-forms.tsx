import { useId, useRef, useState } from 'preact/hooks'
import { api } from '../../api.js'
import { useSession } from '../../session.js'
import type { User } from '../../types.js'
import { ErrorNote, Field, useSubmit } from '../../ui.js'

/** The Team screen's forms: a member's role, removing a member, the organization's name, one's own profile. */

export function RoleSelect(props: { user: User; onChanged: (message: string) => void }) {
  const [error, setError] = useState<unknown>(null)
  const id = useId()
  const change = async (role: User['role']) => {
    setError(null)
    try {
      await api('PATCH', `/api/v1/users/${props.user.id}`, { role })
      props.onChanged(`${props.user.name} is now ${role === 'admin' ? 'an' : 'a'} ${role}.`)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <>
      <label for={id} class="sr-only">
        Role of {props.user.name}
      </label>
      <select id={id} value={props.user.role} onChange={(e) => change(e.currentTarget.value as User['role'])}>
        <option value="owner">Owner</option>
        <option value="admin">Admin</option>
        <option value="member">Member</option>
      </select>
      <ErrorNote error={error} />
    </>
  )
}

/** Removes a member after asking who takes over their deals and tasks (or nobody). */
export function RemoveMember(props: { user: User; others: User[]; onRemoved: (message: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [successor, setSuccessor] = useState(props.others[0]?.id ?? '')
  const [keep, setKeep] = useState<'reassign' | 'clear'>(props.others.length > 0 ? 'reassign' : 'clear')
  const submit = useSubmit(async () => {
    const suffix = keep === 'reassign' && successor ? `?reassign_to=${encodeURIComponent(successor)}` : ''
    await api('DELETE', `/api/v1/users/${props.user.id}${suffix}`)
    dialog.current?.close()
    props.onRemoved(`${props.user.name} was removed.`)
  })
  return (
    <>
      <button type="button" class="danger small" onClick={() => dialog.current?.showModal()}>
        Remove<span class="sr-only"> {props.user.name}</span>
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} class="confirm">
        <form onSubmit={submit.onSubmit}>
          <h2 id={titleId}>Remove {props.user.name}?</h2>
          <p>They are signed out at once and can no longer sign in. What happens to their deals and tasks?</p>
          <fieldset>
            <legend class="sr-only">Their deals and tasks</legend>
            {props.others.length > 0 && (
              <label class="choice">
                <input type="radio" name="keep" checked={keep === 'reassign'} onChange={() => setKeep('reassign')} />{' '}
                Give them to someone else
              </label>
            )}
            {keep === 'reassign' && props.others.length > 0 && (
              <Field label="New owner">
                {(id) => (
                  <select id={id} value={successor} onChange={(e) => setSuccessor(e.currentTarget.value)}>
                    {props.others.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <label class="choice">
              <input type="radio" name="keep" checked={keep === 'clear'} onChange={() => setKeep('clear')} /> Keep them,
              with no owner
            </label>
          </fieldset>
          <ErrorNote error={submit.error} />
          <div class="actions">
            <button type="submit" class="danger" disabled={submit.busy}>
              Remove {props.user.name}
            </button>
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  )
}

export function OrganizationName() {
  const { session } = useSession()
  const [name, setName] = useState(session.organization.name)
  const [saved, setSaved] = useState(false)
  const submit = useSubmit(async () => {
    setSaved(false)
    await api('PATCH', '/api/v1/organization', { name })
    setSaved(true)
  })
  return (
    <form onSubmit={submit.onSubmit} class="inline-form">
      <Field label="Organization name">
        {(id) => (
          <input id={id} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        )}
      </Field>
      <button type="submit" disabled={submit.busy}>
        Rename
      </button>
      {saved && (
        <span role="status" class="muted small">
          Renamed.
        </span>
      )}
      <ErrorNote error={submit.error} />
    </form>
  )
}

export function MyProfile() {
  const { session } = useSession()
  const [name, setName] = useState(session.user.name)
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [message, setMessage] = useState('')
  const rename = useSubmit(async () => {
    setMessage('')
    await api('PATCH', '/api/v1/me', { name })
    setMessage('Your name is changed.')
  })
  const password = useSubmit(async () => {
    setMessage('')
    await api('PATCH', '/api/v1/me', { current_password: current, password: next })
    setCurrent('')
    setNext('')
    setMessage('Your password is changed; your other sessions are signed out.')
  })
  return (
    <section class="panel" aria-labelledby="me-title">
      <h2 id="me-title">You</h2>
      <form onSubmit={rename.onSubmit} class="inline-form">
        <Field label="Your name">
          {(id) => (
            <input id={id} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" disabled={rename.busy}>
          Save name
        </button>
      </form>
      <ErrorNote error={rename.error} />
      <form onSubmit={password.onSubmit} class="inline-form">
        <Field label="Present password">
          {(id) => (
            <input
              id={id}
              type="password"
              autoComplete="current-password"
              required
              value={current}
              onInput={(e) => setCurrent(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="New password" hint="10 characters or more">
          {(id, hint) => (
            <input
              id={id}
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
              aria-describedby={hint}
              value={next}
              onInput={(e) => setNext(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={password.busy}>
          Change password
        </button>
      </form>
      <ErrorNote error={password.error} />
      {message && (
        <p role="status" class="muted small">
          {message}
        </p>
      )}
    </section>
  )
}
