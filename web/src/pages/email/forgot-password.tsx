import { useState } from 'preact/hooks'
import { ApiFailure, api } from '../../api.js'
import { ErrorNote, Field, useSubmit } from '../../ui.js'

/**
 * "Forgot your password?" under the sign-in form: asks for a reset email. The answer is the same
 * whether or not the address signs in here, so the page says so instead of confirming an account.
 */
export function ForgotPassword(props: { email: string }) {
  const [open, setOpen] = useState(false)
  const [email, setEmail] = useState(props.email)
  const [sentTo, setSentTo] = useState<string | null>(null)
  const submit = useSubmit(async () => {
    try {
      await api('POST', '/api/v1/password-resets', { email })
      setSentTo(email)
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 429) {
        throw new Error(`Too many requests. Try again in ${err.retryAfterSec ?? 60} seconds.`)
      }
      throw err
    }
  })
  if (!open) {
    return (
      <p class="muted small">
        <button
          type="button"
          class="secondary small"
          onClick={() => {
            setEmail(props.email)
            setOpen(true)
          }}
        >
          Forgot your password?
        </button>
      </p>
    )
  }
  if (sentTo) {
    return (
      <p class="muted small" role="status">
        If {sentTo} signs in here, a link to choose a new password is on its way. It works once, for one hour.
      </p>
    )
  }
  return (
    <form onSubmit={submit.onSubmit} aria-label="Reset your password">
      <Field label="Email for the reset link">
        {(id) => (
          <input
            id={id}
            type="email"
            required
            autocomplete="username"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        )}
      </Field>
      <ErrorNote error={submit.error} />
      <button type="submit" disabled={submit.busy}>
        Email me a reset link
      </button>
    </form>
  )
}
