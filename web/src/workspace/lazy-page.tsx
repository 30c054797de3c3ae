import { useEffect, useState } from 'preact/hooks'
import { ErrorNote, Loading } from '../ui.js'
import type { PageComponent, Route } from './routes.js'

const loaded = new Map<Route['load'], PageComponent>()
let titleFocusPending = false

/**
 * Moves focus to the page's heading, as a page load would: now if the page is drawn, else as soon
 * as its code has loaded and it is.
 */
export function focusPageTitle(): void {
  const title = document.getElementById('page-title')
  titleFocusPending = !title
  title?.focus()
}

/** Renders a route's page, loading its code first on the first visit. */
export function LazyPage(props: { route: Route; id?: string }) {
  const { load } = props.route
  const [page, setPage] = useState<{ load: Route['load']; component?: PageComponent; error?: unknown }>(() => ({
    load,
    component: loaded.get(load),
  }))
  useEffect(() => {
    if (loaded.has(load)) return setPage({ load, component: loaded.get(load) })
    let live = true
    load().then(
      (component) => {
        loaded.set(load, component)
        if (live) setPage({ load, component })
      },
      (error: unknown) => live && setPage({ load, error }),
    )
    return () => {
      live = false
    }
  }, [load])
  const Component = page.load === load ? (page.component ?? loaded.get(load)) : loaded.get(load)
  useEffect(() => {
    if (Component && titleFocusPending) focusPageTitle()
  }, [Component])
  if (Component) return <Component id={props.id} />
  if (page.load === load && page.error) return <ErrorNote error={page.error} />
  return <Loading what={props.route.label ?? 'the page'} />
}
