import type { FunctionComponent } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiFailure, api, currentMode, type Mode, setCsrfToken, setMode, whenSessionLost } from './api.js'
import { ApiKeysPage } from './pages/api-keys.js'
import { AuditLogPage } from './pages/audit-log.js'
import { InvitePage, LoginPage, SetupPage } from './pages/auth.js'
import { LeadCapturePage } from './pages/lead-capture.js'
import { MembersPage } from './pages/members.js'
import { QuickStartPage } from './pages/quick-start.js'
import { SignInLinkPage } from './pages/sign-in-link.js'
import { UsagePage } from './pages/usage.js'
import { WebhookEndpointPage } from './pages/webhook-endpoint.js'
import { WebhooksPage } from './pages/webhooks.js'
import { navigate, usePath } from './router.js'
import { SessionContext, type SessionState } from './session.js'
import type { SessionView } from './types.js'
import { AskAnAdmin, ErrorNote, Link, Loading } from './ui.js'

type Boot =
  | { state: 'loading' }
  | { state: 'setup' }
  | { state: 'signed-out' }
  | { state: 'signed-in'; session: SessionView }
  | { state: 'error'; error: unknown }

interface NavItem {
  href: string
  label: string
  page: FunctionComponent<{ id?: string }>
  /** Owners and admins only; a member opening it is told what it is and whom to ask. */
  adminOnly?: string
}

const NAV: NavItem[] = [
  { href: '/app', label: 'Quick start', page: QuickStartPage },
  { href: '/app/keys', label: 'API keys', page: ApiKeysPage, adminOnly: 'API keys' },
  { href: '/app/webhooks', label: 'Webhooks', page: WebhooksPage, adminOnly: 'webhook endpoints and their secrets' },
  { href: '/app/lead-capture', label: 'Lead capture', page: LeadCapturePage },
  { href: '/app/audit-log', label: 'Audit log', page: AuditLogPage, adminOnly: 'the audit log' },
  { href: '/app/usage', label: 'Usage', page: UsagePage, adminOnly: 'usage' },
  { href: '/app/members', label: 'Members', page: MembersPage },
]

/** The nav item a path belongs to (a webhook endpoint's page belongs to Webhooks), and its id part. */
function routeOf(path: string): { item: NavItem; id?: string } | undefined {
  const endpoint = /^\/app\/webhooks\/([\w-]+)$/.exec(path)
  if (endpoint) return { item: { ...NAV[2]!, page: WebhookEndpointPage }, id: endpoint[1] }
  const item = NAV.find((n) => n.href === path)
  return item && { item }
}

export function App() {
  const path = usePath()
  const [boot, setBoot] = useState<Boot>({ state: 'loading' })

  const signedIn = (session: SessionView) => {
    setCsrfToken(session.csrf_token)
    setBoot({ state: 'signed-in', session })
  }
  const signedOut = () => {
    setCsrfToken('')
    setBoot({ state: 'signed-out' })
  }

  useEffect(() => {
    whenSessionLost(signedOut)
    ;(async () => {
      try {
        const setup = await api<{ setup_required: boolean }>('GET', '/api/v1/setup')
        if (setup.setup_required) return setBoot({ state: 'setup' })
        signedIn(await api<SessionView>('GET', '/api/v1/session'))
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) signedOut()
        else setBoot({ state: 'error', error })
      }
    })()
  }, [])

  if (boot.state === 'loading') return <Loading what="Rapport" />
  if (boot.state === 'error') {
    return (
      <main class="center">
        <h1>Rapport is not reachable</h1>
        <ErrorNote error={boot.error} />
      </main>
    )
  }
  if (boot.state === 'setup') return <SetupPage onDone={signedIn} />
  if (path === '/app/invite') return <InvitePage onDone={signedIn} />
  if (path === '/app/sign-in-link') return <SignInLinkPage onDone={signedIn} />
  if (boot.state === 'signed-out') return <LoginPage onDone={signedIn} />
  return <Shell session={boot.session} path={path} onSignedOut={signedOut} />
}

function Shell(props: { session: SessionView; path: string; onSignedOut: () => void }) {
  const { session, path } = props
  const [mode, setModeState] = useState<Mode>(currentMode())
  const isAdmin = session.user.role === 'owner' || session.user.role === 'admin'
  const firstRender = useRef(true)

  useEffect(() => {
    if (path === '/app/login' || path === '/app/setup') navigate('/app', { replace: true })
  }, [path])
  // Moves focus to the new page's heading after a navigation, as a page load would.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false
      return
    }
    document.getElementById('page-title')?.focus()
  }, [path])

  const state: SessionState = {
    session,
    isAdmin,
    mode,
    signOut: async () => {
      await api('DELETE', '/api/v1/session')
      props.onSignedOut()
      navigate('/app')
    },
  }
  const route = routeOf(path)
  const switchMode = (test: boolean) => {
    const next: Mode = test ? 'test' : 'live'
    setMode(next)
    setModeState(next)
  }
  const Current = route?.item.page
  return (
    <SessionContext.Provider value={state}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class={`top${mode === 'test' ? ' test' : ''}`}>
        <div class="brand">
          <span class="logo" aria-hidden="true">
            R
          </span>
          <span>{session.organization.name}</span>
        </div>
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={mode === 'test'}
            checked={mode === 'test'}
            onChange={(e) => switchMode(e.currentTarget.checked)}
          />
          <span>Test mode</span>
        </label>
        <div class="me">
          <span class="muted small">
            {session.user.name} · {session.user.role}
          </span>
          <button type="button" class="secondary small" onClick={() => state.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {mode === 'test' && (
        <p class="test-banner" role="status">
          Test mode: you are seeing and changing test data. Test keys start with <code>rk_test_</code>.
        </p>
      )}
      <div class="layout">
        <nav aria-label="Dashboard">
          <ul>
            {NAV.filter((n) => isAdmin || !n.adminOnly).map((n) => (
              <li key={n.href}>
                <Link href={n.href} current={route?.item.href === n.href}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" key={mode}>
          {!route || !Current ? (
            <section class="page">
              <h1 id="page-title" tabIndex={-1}>
                Page not found
              </h1>
              <p>
                There is no dashboard page at <code>{path}</code>. <Link href="/app">Go to the quick start</Link>.
              </p>
            </section>
          ) : route.item.adminOnly && !isAdmin ? (
            <section class="page">
              <h1 id="page-title" tabIndex={-1}>
                {route.item.label}
              </h1>
              <AskAnAdmin what={route.item.adminOnly} />
            </section>
          ) : (
            <Current id={route.id} />
          )}
        </main>
      </div>
    </SessionContext.Provider>
  )
}
