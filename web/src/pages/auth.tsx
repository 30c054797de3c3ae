import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ApiFailure, api, query } from '../api.js'
import { navigate } from '../router.js'
import type { InvitePreview, SessionView } from '../types.js'
import { ErrorNote, Field, Loading, useSubmit } from '../ui.js'
import { ForgotPassword } from './email/forgot-password.js'

/** First run, sign-in and invite acceptance: the pages before a session exists. */

const MIN_PASSWORD = 10

export function AuthCard(props: { title: string; intro?: ComponentChildren; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${props.title} · Rapport`
  }, [props.title])
  return (
    <main class="auth">
      <div class="card">
        <p class="brand">
          <span class="logo" aria-hidden="true">
            R
          </span>
          Rapport
        </p>
        <h1>{props.title}</h1>
        {props.intro && <p class="intro">{props.intro}</p>}
        {props.children}
      </div>
    </main>
  )
}

export function PasswordField(props: {
  value: string
  onInput: (v: string) => void
  label?: string
  autocomplete: string
}) {
  return (
    <Field label={props.label ?? 'Password'} hint={`At least ${MIN_PASSWORD} characters.`}>
      {(id, hint) => (
        <input
          id={id}
          type="password"
          required
          minLength={MIN_PASSWORD}
          autocomplete={props.autocomplete}
          aria-describedby={hint}
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
    </Field>
  )
}

export function SetupPage(props: { onDone: (s: SessionView) => void }) {
  const [form, setForm] = useState({ organization_name: '', name: '', email: '', password: '' })
  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }))
  const submit = useSubmit(async () => {
    try {
      props.onDone(await api<SessionView>('POST', '/api/v1/setup', form))
    } catch (err) {
      // Someone else finished the setup meanwhile: sign in instead.
      if (err instanceof ApiFailure && err.body.code === 'setup_complete') location.assign('/app')
      throw err
    }
  })
  return (
    <AuthCard
      title="Create your organization and owner account"
      intro="This installation has no organization yet. The account you create here owns it and can invite others."
    >
      <form onSubmit={submit.onSubmit}>
        <Field label="Organization name">
          {(id) => (
            <input
              id={id}
              required
              autocomplete="organization"
              value={form.organization_name}
              onInput={(e) => set('organization_name')(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Your name">
          {(id) => (
            <input
              id={id}
              required
              autocomplete="name"
              value={form.name}
              onInput={(e) => set('name')(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Email">
          {(id) => (
            <input
              id={id}
              type="email"
              required
              autocomplete="email"
              value={form.email}
              onInput={(e) => set('email')(e.currentTarget.value)}
            />
          )}
        </Field>
        <PasswordField value={form.password} onInput={set('password')} autocomplete="new-password" />
        <ErrorNote error={submit.error} />
        <button type="submit" disabled={submit.busy}>
          Create organization
        </button>
      </form>
    </AuthCard>
  )
}

export function LoginPage(props: { onDone: (s: SessionView) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const submit = useSubmit(async () => {
    try {
      props.onDone(await api<SessionView>('POST', '/api/v1/session', { email, password }))
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) throw new Error('The email or the password is not right.')
      if (err instanceof ApiFailure && err.status === 429) {
        throw new Error(`Too many attempts. Try again in ${err.retryAfterSec ?? 60} seconds.`)
      }
      throw err
    }
  })
  return (
    <AuthCard title="Sign in">
      <form onSubmit={submit.onSubmit}>
        <Field label="Email">
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
        <Field label="Password">
          {(id) => (
            <input
              id={id}
              type="password"
              required
              autocomplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <ErrorNote error={submit.error} />
        <button type="submit" disabled={submit.busy}>
          Sign in
        </button>
      </form>
      <p class="muted small">No account? Ask an admin of your organization for an invite.</p>
      <ForgotPassword email={email} />
    </AuthCard>
  )
}

/** The invite link's page: the token is in the fragment, so it never reaches a server log or a Referer. */
export function InvitePage(props: { onDone: (s: SessionView) => void }) {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? ''
  const [preview, setPreview] = useState<InvitePreview | 'invalid' | undefined>()
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  useEffect(() => {
    if (!token) return setPreview('invalid')
    api<InvitePreview>('GET', `/api/v1/invites/preview${query({ token })}`).then(setPreview, () =>
      setPreview('invalid'),
    )
  }, [token])
  const submit = useSubmit(async () => {
    const session = await api<SessionView>('POST', '/api/v1/invites/accept', { token, name, password })
    props.onDone(session)
    navigate('/app', { replace: true })
  })
  if (!preview) return <Loading what="the invite" />
  if (preview === 'invalid') {
    return (
      <AuthCard title="This invite link does not work">
        <p>It may have been used already, revoked, or it has expired. Ask the person who invited you for a new link.</p>
        <p>
          <a href="/app">Go to sign in</a>
        </p>
      </AuthCard>
    )
  }
  return (
    <AuthCard
      title={`Join ${preview.organization.name}`}
      intro={`You were invited as ${preview.role === 'admin' ? 'an admin' : 'a member'}. Choose your name and a password to finish.`}
    >
      <form onSubmit={submit.onSubmit}>
        <Field label="Email">{(id) => <input id={id} type="email" value={preview.email} readOnly />}</Field>
        <Field label="Your name">
          {(id) => (
            <input id={id} required autocomplete="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <PasswordField value={password} onInput={setPassword} autocomplete="new-password" />
        <ErrorNote error={submit.error} />
        <button type="submit" disabled={submit.busy}>
          Join {preview.organization.name}
        </button>
      </form>
    </AuthCard>
  )
}
