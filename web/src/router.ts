import { useEffect, useState } from 'preact/hooks'

/** Client-side routing on location.pathname under /app, with the History API. */

const listeners = new Set<() => void>()

function notify() {
  for (const listener of listeners) listener()
}

window.addEventListener('popstate', notify)

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  notify()
  window.scrollTo(0, 0)
}

/** The current path (without a trailing slash), re-rendering on navigation. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath)
  useEffect(() => {
    const update = () => setPath(currentPath())
    listeners.add(update)
    return () => {
      listeners.delete(update)
    }
  }, [])
  return path
}

function currentPath(): string {
  return location.pathname.replace(/\/+$/, '') || '/'
}

/** Routes a left click on an in-app link through navigate(); other clicks (new tab…) stay the browser's. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  navigate(anchor.pathname + anchor.search)
}
