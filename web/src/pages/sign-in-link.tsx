import { useEffect, useState } from 'preact/hooks'
import { api, query } from '../api.js'
import { navigate } from '../router.js'
import type { SessionView, SignInLinkPreview } from '../types.js'
import { ErrorNote, Field, Loading, useSubmit } from '../ui.js'
import { AuthCard, PasswordField } from './auth.js'

/**
 * A sign-in link's page (an owner's first sign-in, an operator's invite, a password reset): the
 * person sets a password and is signed in. The token is in the fragment, so it never reaches a
 * server log or a Referer.
 */
export function SignInLinkPage(props: { onDone: (s: SessionView) => void }) {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? ''
  const [preview, setPreview] = useState<SignInLinkPreview | 'invalid' | undefined>()
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  useEffect(() => {
    if (!token) return setPreview('invalid')
    api<SignInLinkPreview>('GET', `/api/v1/sign-in-links/preview${query({ token })}`).then(
      (p) => {
        setPreview(p)
        setName(p.name)
      },
      () => setPreview('invalid'),
    )
  }, [token])
  const submit = useSubmit(async () => {
    const session = await api<SessionView>('POST', '/api/v1/sign-in-links/redeem', { token, name, password })
    props.onDone(session)
    navigate('/app', { replace: true })
  })
  if (!preview) return <Loading what="the link" />
  if (preview === 'invalid') {
    return (
      <AuthCard title="This link does not work">
        <p>
          It may have been used already, replaced by a newer one, or it has expired. Ask whoever runs this installation
          for a new one (<code>rapport user reset-password --email …</code>).
        </p>
        <p>
          <a href="/app">Go to sign in</a>
        </p>
      </AuthCard>
    )
  }
  const reset = preview.purpose === 'reset_password'
  return (
    <AuthCard
      title={reset ? 'Choose a new password' : `Welcome to ${preview.organization.name}`}
      intro={
        reset
          ? `For ${preview.email} at ${preview.organization.name}. Your other sessions end when you save it.`
          : 'Check your name and choose a password: you are then signed in.'
      }
    >
      <form onSubmit={submit.onSubmit}>
        <Field label="Email">
          {(id) => <input id={id} type="email" autocomplete="username" value={preview.email} readOnly />}
        </Field>
        {!reset && (
          <Field label="Your name">
            {(id) => (
              <input
                id={id}
                required
                autocomplete="name"
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
              />
            )}
          </Field>
        )}
        <PasswordField
          label={reset ? 'New password' : 'Password'}
          value={password}
          onInput={setPassword}
          autocomplete="new-password"
        />
        <ErrorNote error={submit.error} />
        <button type="submit" disabled={submit.busy}>
          {reset ? 'Save and sign in' : 'Set password and sign in'}
        </button>
      </form>
    </AuthCard>
  )
}
