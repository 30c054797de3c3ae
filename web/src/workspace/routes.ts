import type { FunctionComponent } from 'preact'

/** A page of the dashboard: it receives the `:id` part of its path when it has one. */
export type PageComponent = FunctionComponent<{ id?: string }>

export interface Route {
  /** `/app/contacts/:id`: a `:name` segment matches one path segment, passed to the page as `id`. */
  path: string
  /** Puts the page in the navigation under this label; pages without one are reached by links. */
  label?: string
  /** Workspace pages come first in the navigation; developer pages are grouped under "Developers". */
  group: 'workspace' | 'developers'
  /** Loads the page's code on first visit (a dynamic import), so the first screen stays small. */
  load: () => Promise<PageComponent>
  /** Owners and admins only; a member opening it is told what it is and whom to ask. */
  adminOnly?: string
  /** Single-key shortcut after `g` (`g c` opens Contacts), listed under `?`. */
  goKey?: string
}

export interface Match {
  route: Route
  id?: string
}

/** The route a path belongs to, with its `:id` part; exact paths win over patterns. */
export function matchRoute(routes: Route[], path: string): Match | undefined {
  const exact = routes.find((r) => r.path === path)
  if (exact) return { route: exact }
  for (const route of routes) {
    if (!route.path.includes('/:')) continue
    const pattern = new RegExp(`^${route.path.replace(/:[a-z_]+/g, '([\\w-]+)')}$`)
    const found = pattern.exec(path)
    if (found) return { route, id: found[1] }
  }
  return undefined
}

/** The navigation item a path is under: itself, or the longest item whose path prefixes it. */
export function navItemOf(routes: Route[], path: string): Route | undefined {
  let best: Route | undefined
  for (const route of routes) {
    if (!route.label) continue
    const under = route.path === path || (route.path !== '/app' && path.startsWith(`${route.path}/`))
    if (under && (!best || route.path.length > best.path.length)) best = route
  }
  return best
}
