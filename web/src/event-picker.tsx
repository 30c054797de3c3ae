import { useMemo, useState } from 'preact/hooks'
import { api } from './api.js'
import { exampleDelivery } from './event-example.js'
import { groupTitle } from './format.js'
import type { EventType } from './types.js'
import { ErrorNote, Loading, useLoad } from './ui.js'

let catalog: Promise<{ data: EventType[] }> | undefined

/** The event catalog, fetched once per visit (it changes only with a new Rapport version). */
export function loadCatalog() {
  catalog ??= api<{ data: EventType[] }>('GET', '/api/v1/event_types')
  catalog.catch(() => {
    catalog = undefined
  })
  return catalog
}

/** Picks the events an endpoint subscribes to: everything (`*`), or names from the catalog. */
export function EventPicker(props: { value: string[]; onChange: (events: string[]) => void }) {
  const events = useLoad(loadCatalog, [])
  const [filter, setFilter] = useState('')
  const all = props.value.includes('*')
  const groups = useMemo(() => {
    const byGroup = new Map<string, EventType[]>()
    const needle = filter.trim().toLowerCase()
    for (const e of events.data?.data ?? []) {
      if (needle && !`${e.name} ${e.description} ${e.aliases.join(' ')}`.toLowerCase().includes(needle)) continue
      const group = e.name.split('.')[0]!
      byGroup.set(group, [...(byGroup.get(group) ?? []), e])
    }
    return [...byGroup]
  }, [events.data, filter])
  const toggle = (name: string, on: boolean) =>
    props.onChange(on ? [...props.value.filter((v) => v !== '*'), name] : props.value.filter((v) => v !== name))
  return (
    <fieldset class="event-picker">
      <legend>Events</legend>
      <label class="choice">
        <input type="checkbox" checked={all} onChange={(e) => props.onChange(e.currentTarget.checked ? ['*'] : [])} />{' '}
        <strong>All events</strong>
        <span class="muted">, including those added in future versions</span>
      </label>
      {!all && (
        <>
          <p class="muted small" aria-live="polite">
            {props.value.length} selected
          </p>
          <label class="filter">
            <span>Filter events</span>
            <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
          </label>
          <ErrorNote error={events.error} />
          {events.loading && !events.data && <Loading what="the event catalog" />}
          <div class="event-groups">
            {groups.map(([group, list]) => (
              <div key={group} class="event-group">
                <h3>{groupTitle(group)}</h3>
                {list.map((e) => (
                  <div key={e.name} class="event">
                    <label class="choice">
                      <input
                        type="checkbox"
                        checked={props.value.includes(e.name)}
                        onChange={(ev) => toggle(e.name, ev.currentTarget.checked)}
                      />{' '}
                      <code>{e.name}</code>
                    </label>
                    <p class="muted small">
                      {e.description}
                      {e.aliases.length > 0 && <> (also: {e.aliases.join(', ')})</>}
                    </p>
                    <details>
                      <summary>
                        Example payload<span class="sr-only"> of {e.name}</span>
                      </summary>
                      <pre>
                        <code>{exampleDelivery(e.name, e.schema)}</code>
                      </pre>
                    </details>
                  </div>
                ))}
              </div>
            ))}
          </div>
        </>
      )}
    </fieldset>
  )
}
