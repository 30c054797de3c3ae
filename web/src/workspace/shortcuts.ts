import { tinykeys } from 'tinykeys'
import { navigate } from '../router.js'
import type { Route } from './routes.js'

export interface Shortcut {
  keys: string
  what: string
}

/** The shortcuts the `?` dialog lists: the fixed ones, then `g <key>` for each page that has one. */
export function shortcutList(routes: Route[]): Shortcut[] {
  return [
    { keys: 'Ctrl K / ⌘ K', what: 'Open the command palette: find a contact or deal, create, go to a page' },
    { keys: '?', what: 'Show these shortcuts' },
    { keys: '/', what: 'Search the contacts table (on Contacts)' },
    ...routes.filter((r) => r.goKey && r.label).map((r) => ({ keys: `g ${r.goKey}`, what: `Go to ${r.label}` })),
  ]
}

/**
 * Binds the workspace's keys (tinykeys). The palette key works everywhere, even while typing;
 * the others are ignored inside inputs so that typing `g` or `?` in a field stays typing.
 */
export function bindShortcuts(routes: Route[], actions: { openPalette(): void; openShortcuts(): void }): () => void {
  const palette = tinykeys(
    window,
    {
      '$mod+KeyK': (event) => {
        event.preventDefault()
        actions.openPalette()
      },
    },
    { ignore: () => false },
  )
  const goTo: Record<string, (event: KeyboardEvent) => void> = {}
  for (const route of routes) {
    if (route.goKey) goTo[`g ${route.goKey}`] = () => navigate(route.path)
  }
  const others = tinykeys(window, {
    ...goTo,
    '[Shift]+?': (event) => {
      event.preventDefault()
      actions.openShortcuts()
    },
  })
  return () => {
    palette()
    others()
  }
}
