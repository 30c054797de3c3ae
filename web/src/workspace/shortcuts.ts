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

/** Whether the key went to a field: there, `g` or `?` is typing, not a shortcut. */
function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null
  return !!target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
}

/** Runs `handler` unless the key was typed into a field. */
export function outsideFields(handler: (event: KeyboardEvent) => void): (event: KeyboardEvent) => void {
  return (event) => {
    if (!isTyping(event)) handler(event)
  }
}

/**
 * Binds the workspace's keys (tinykeys 3: version 4 needs Node 22 to install, and ours is 20). The
 * palette key works everywhere, even while typing; the others are ignored inside fields so that
 * typing `g` or `?` in a field stays typing.
 */
export function bindShortcuts(routes: Route[], actions: { openPalette(): void; openShortcuts(): void }): () => void {
  const goTo: Record<string, (event: KeyboardEvent) => void> = {}
  for (const route of routes) {
    if (route.goKey) goTo[`g ${route.goKey}`] = outsideFields(() => navigate(route.path))
  }
  const openShortcuts = outsideFields((event) => {
    event.preventDefault()
    actions.openShortcuts()
  })
  return tinykeys(window, {
    '$mod+KeyK': (event) => {
      event.preventDefault()
      actions.openPalette()
    },
    ...goTo,
    // `?` is Shift+/ on most layouts and a key of its own on others.
    'Shift+?': openShortcuts,
    '?': openShortcuts,
  })
}
