import { useEffect, useRef, useState } from 'preact/hooks'
import { api, currentMode, type Mode, setMode } from '../api.js'
import { navigate } from '../router.js'
import { SessionContext, type SessionState } from '../session.js'
import type { SessionView } from '../types.js'
import { AskAnAdmin, Link } from '../ui.js'
import { focusPageTitle, LazyPage } from './lazy-page.js'
import { CommandPalette } from './palette.js'
import { matchRoute, navItemOf, type Route } from './routes.js'
import { bindShortcuts, shortcutList } from './shortcuts.js'

/** The signed-in frame: top bar, navigation (workspace first, then "Developers"), the page, the palette. */
export function Shell(props: { session: SessionView; path: string; routes: Route[]; onSignedOut: () => void }) {
  const { session, path } = props
  const [mode, setModeState] = useState<Mode>(currentMode())
  const [paletteOpen, setPaletteOpen] = useState(false)
  const shortcutsDialog = useRef<HTMLDialogElement>(null)
  const isAdmin = session.user.role === 'owner' || session.user.role === 'admin'
  const routes = props.routes.filter((r) => isAdmin || !r.adminOnly)
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
    focusPageTitle()
  }, [path])
  useEffect(
    () =>
      bindShortcuts(routes, {
        openPalette: () => setPaletteOpen(true),
        openShortcuts: () => shortcutsDialog.current?.showModal(),
      }),
    [isAdmin],
  )

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
  const match = matchRoute(props.routes, path)
  const current = navItemOf(routes, path)
  const switchMode = (test: boolean) => {
    const next: Mode = test ? 'test' : 'live'
    setMode(next)
    setModeState(next)
  }
  const navList = (group: Route['group']) => (
    <ul>
      {routes
        .filter((r) => r.label && r.group === group)
        .map((r) => (
          <li key={r.path}>
            <Link href={r.path} current={current === r}>
              {r.label}
            </Link>
          </li>
        ))}
    </ul>
  )
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
        <button type="button" class="secondary small palette-button" onClick={() => setPaletteOpen(true)}>
          Search or jump… <kbd>Ctrl K</kbd>
        </button>
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
          {navList('workspace')}
          <h2 class="nav-group">Developers</h2>
          {navList('developers')}
        </nav>
        <main id="main" key={mode}>
          {!match ? (
            <section class="page">
              <h1 id="page-title" tabIndex={-1}>
                Page not found
              </h1>
              <p>
                There is no dashboard page at <code>{path}</code>. <Link href="/app">Go to Home</Link>.
              </p>
            </section>
          ) : match.route.adminOnly && !isAdmin ? (
            <section class="page">
              <h1 id="page-title" tabIndex={-1}>
                {match.route.label}
              </h1>
              <AskAnAdmin what={match.route.adminOnly} />
            </section>
          ) : (
            <LazyPage key={match.route.path} route={match.route} id={match.id} />
          )}
        </main>
      </div>
      <CommandPalette open={paletteOpen} routes={routes} onClose={() => setPaletteOpen(false)} />
      <dialog ref={shortcutsDialog} class="shortcuts" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <dl>
          {shortcutList(routes).map((s) => (
            <div key={s.keys}>
              <dt>
                <kbd>{s.keys}</kbd>
              </dt>
              <dd>{s.what}</dd>
            </div>
          ))}
        </dl>
        <div class="actions">
          <button type="button" onClick={() => shortcutsDialog.current?.close()}>
            Close
          </button>
        </div>
      </dialog>
    </SessionContext.Provider>
  )
}
