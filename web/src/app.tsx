import { useEffect, useState } from 'preact/hooks'
import { ApiFailure, api, setCsrfToken, whenSessionLost } from './api.js'
import { InvitePage, LoginPage, SetupPage } from './pages/auth.js'
import { SignInLinkPage } from './pages/sign-in-link.js'
import { usePath } from './router.js'
import type { SessionView } from './types.js'
import { ErrorNote, Loading } from './ui.js'
import type { Route } from './workspace/routes.js'
import { Shell } from './workspace/shell.js'

type Boot =
  | { state: 'loading' }
  | { state: 'setup' }
  | { state: 'signed-out' }
  | { state: 'signed-in'; session: SessionView }
  | { state: 'error'; error: unknown }

/*
 * The dashboard's pages. PAGES REGISTER HERE: add one line per page to this list (its place in
 * the list is its place in the navigation). `label` shows it in the navigation, `group` puts it
 * with the workspace pages (first) or under "Developers", `:id` in a path matches one segment,
 * `goKey` adds a `g <key>` shortcut, and `load` imports the page on first visit (code splitting:
 * the first screen stays under its size budget).
 */
const ROUTES: Route[] = [
  {
    path: '/app',
    label: 'Home',
    group: 'workspace',
    goKey: 'h',
    load: () => import('./pages/workspace-a/home.js').then((m) => m.HomePage),
  },
  {
    path: '/app/contacts',
    label: 'Contacts',
    group: 'workspace',
    goKey: 'c',
    load: () => import('./pages/workspace-a/contacts.js').then((m) => m.ContactsPage),
  },
  {
    path: '/app/contacts/:id',
    group: 'workspace',
    load: () => import('./pages/workspace-a/contact.js').then((m) => m.ContactPage),
  },
  {
    path: '/app/deals',
    label: 'Deals',
    group: 'workspace',
    goKey: 'd',
    load: () => import('./pages/workspace-b/deals.js').then((m) => m.DealsPage),
  },
  {
    path: '/app/tasks',
    label: 'Tasks',
    group: 'workspace',
    goKey: 't',
    load: () => import('./pages/workspace-b/tasks.js').then((m) => m.TasksPage),
  },
  {
    path: '/app/import',
    label: 'Import',
    group: 'workspace',
    load: () => import('./pages/workspace-b/import.js').then((m) => m.ImportPage),
  },
  {
    path: '/app/bookings',
    label: 'Bookings',
    group: 'workspace',
    load: () => import('./pages/workspace-c/bookings.js').then((m) => m.BookingsPage),
  },
  {
    path: '/app/forms',
    label: 'Forms',
    group: 'workspace',
    load: () => import('./pages/workspace-c/forms.js').then((m) => m.FormsPage),
  },
  {
    path: '/app/lead-capture',
    label: 'Lead capture',
    group: 'workspace',
    load: () => import('./pages/lead-capture.js').then((m) => m.LeadCapturePage),
  },
  {
    path: '/app/email',
    label: 'Email',
    group: 'workspace',
    load: () => import('./pages/email/email.js').then((m) => m.EmailPage),
  },
  {
    path: '/app/email/campaigns',
    group: 'workspace',
    load: () => import('./pages/email/email.js').then((m) => m.CampaignsPage),
  },
  {
    path: '/app/email/campaigns/:id',
    group: 'workspace',
    load: () => import('./pages/email/email.js').then((m) => m.CampaignPage),
  },
  {
    path: '/app/email/templates',
    group: 'workspace',
    load: () => import('./pages/email/email.js').then((m) => m.TemplatesPage),
  },
  {
    path: '/app/email/mailbox',
    group: 'workspace',
    load: () => import('./pages/email/email.js').then((m) => m.MailboxPage),
  },
  {
    path: '/app/email/deliverability',
    group: 'workspace',
    load: () => import('./pages/email/deliverability.js').then((m) => m.DeliverabilityPage),
  },
  {
    path: '/app/email/lists/:id',
    group: 'workspace',
    load: () => import('./pages/email/email.js').then((m) => m.ListPage),
  },
  {
    path: '/app/email/segments/:id',
    group: 'workspace',
    load: () => import('./pages/email/email.js').then((m) => m.SegmentPage),
  },
  {
    path: '/app/email/settings',
    group: 'workspace',
    load: () => import('./pages/email/email.js').then((m) => m.EmailSettingsPage),
  },
  {
    path: '/app/members',
    label: 'Team',
    group: 'workspace',
    load: () => import('./pages/members.js').then((m) => m.MembersPage),
  },
  {
    path: '/app/quick-start',
    label: 'Quick start',
    group: 'developers',
    load: () => import('./pages/quick-start.js').then((m) => m.QuickStartPage),
  },
  {
    path: '/app/keys',
    label: 'API keys',
    group: 'developers',
    adminOnly: 'API keys',
    load: () => import('./pages/api-keys.js').then((m) => m.ApiKeysPage),
  },
  {
    path: '/app/webhooks',
    label: 'Webhooks',
    group: 'developers',
    adminOnly: 'webhook endpoints and their secrets',
    load: () => import('./pages/webhooks.js').then((m) => m.WebhooksPage),
  },
  {
    path: '/app/webhooks/:id',
    group: 'developers',
    adminOnly: 'webhook endpoints and their secrets',
    load: () => import('./pages/webhook-endpoint.js').then((m) => m.WebhookEndpointPage),
  },
  {
    path: '/app/audit-log',
    label: 'Audit log',
    group: 'developers',
    adminOnly: 'the audit log',
    load: () => import('./pages/audit-log.js').then((m) => m.AuditLogPage),
  },
  {
    path: '/app/usage',
    label: 'Usage',
    group: 'developers',
    adminOnly: 'usage',
    load: () => import('./pages/usage.js').then((m) => m.UsagePage),
  },
]

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
  return <Shell session={boot.session} path={path} routes={ROUTES} onSignedOut={signedOut} />
}
