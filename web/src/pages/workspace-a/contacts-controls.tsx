import { useEffect, useId, useState } from 'preact/hooks'
import { BASE_COLUMNS, type Condition, columnLabel, conditionFilter, type Filter, OPS } from './contacts-query.js'

/** Conditions of a filter when it is a flat `and` / `or` of simple conditions; else undefined. */
function conditionsOf(filter: Filter | null): { match: 'and' | 'or'; conditions: Condition[] } | undefined {
  if (!filter) return { match: 'and', conditions: [] }
  const match = 'or' in filter ? 'or' : 'and'
  const list = (filter[match] as unknown[] | undefined) ?? [filter]
  const conditions: Condition[] = []
  for (const node of list) {
    const c = node as { field?: unknown; op?: unknown; value?: unknown }
    if (typeof c.field !== 'string' || typeof c.op !== 'string') return undefined
    const value = Array.isArray(c.value) ? c.value.join(', ') : c.value === undefined ? '' : String(c.value)
    conditions.push({ field: c.field, op: c.op, value })
  }
  return { match, conditions }
}

/**
 * Filters in the structured-search grammar: a list of conditions matched all or any, or the
 * filter as JSON for nesting (`and` / `or` / `not`), as POST /api/v1/contacts/search takes it.
 */
export function FilterEditor(props: { filter: Filter | null; onApply(filter: Filter | null): void }) {
  const simple = conditionsOf(props.filter)
  const [match, setMatch] = useState<'and' | 'or'>(simple?.match ?? 'and')
  const [conditions, setConditions] = useState<Condition[]>(simple?.conditions ?? [])
  const [json, setJson] = useState(props.filter ? JSON.stringify(props.filter, null, 2) : '')
  const [asJson, setAsJson] = useState(!simple)
  const [error, setError] = useState('')
  const id = useId()
  useEffect(() => {
    const s = conditionsOf(props.filter)
    setAsJson(!s)
    if (s) {
      setMatch(s.match)
      setConditions(s.conditions)
    }
    setJson(props.filter ? JSON.stringify(props.filter, null, 2) : '')
  }, [props.filter])

  const apply = (event: Event) => {
    event.preventDefault()
    setError('')
    if (asJson) {
      if (!json.trim()) return props.onApply(null)
      try {
        return props.onApply(JSON.parse(json) as Filter)
      } catch {
        return setError('The filter is not valid JSON.')
      }
    }
    const nodes = conditions.filter((c) => c.field).map(conditionFilter)
    props.onApply(nodes.length === 0 ? null : nodes.length === 1 ? (nodes[0] as Filter) : { [match]: nodes })
  }
  const set = (i: number, patch: Partial<Condition>) =>
    setConditions(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)))
  const count = simple ? simple.conditions.length : 1
  return (
    <details class="tool">
      <summary>Filters{props.filter ? ` (${count})` : ''}</summary>
      <form onSubmit={apply} class="filter-form">
        <label class="inline-check">
          <input type="checkbox" checked={asJson} onChange={(e) => setAsJson(e.currentTarget.checked)} /> Edit as JSON
        </label>
        {asJson ? (
          <>
            <label for={`${id}-json`}>Filter (search grammar)</label>
            <textarea id={`${id}-json`} rows={6} value={json} onInput={(e) => setJson(e.currentTarget.value)} />
          </>
        ) : (
          <>
            <label>
              Match{' '}
              <select value={match} onChange={(e) => setMatch(e.currentTarget.value as 'and' | 'or')}>
                <option value="and">all conditions</option>
                <option value="or">any condition</option>
              </select>
            </label>
            <datalist id={`${id}-fields`}>
              {[...BASE_COLUMNS, 'id'].map((f) => (
                <option key={f} value={f} />
              ))}
            </datalist>
            {conditions.map((c, i) => (
              <fieldset key={i} class="condition">
                <legend class="sr-only">Condition {i + 1}</legend>
                <input
                  aria-label={`Field of condition ${i + 1}`}
                  list={`${id}-fields`}
                  placeholder="field, or custom_fields.key"
                  value={c.field}
                  onInput={(e) => set(i, { field: e.currentTarget.value })}
                />
                <select
                  aria-label={`Operator of condition ${i + 1}`}
                  value={c.op}
                  onChange={(e) => set(i, { op: e.currentTarget.value })}
                >
                  {OPS.map((op) => (
                    <option key={op} value={op}>
                      {op}
                    </option>
                  ))}
                </select>
                {c.op !== 'exists' && (
                  <input
                    aria-label={`Value of condition ${i + 1}`}
                    placeholder={c.op === 'in' ? 'a, b, c' : 'value'}
                    value={c.value}
                    onInput={(e) => set(i, { value: e.currentTarget.value })}
                  />
                )}
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Remove condition ${i + 1}`}
                  onClick={() => setConditions(conditions.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </fieldset>
            ))}
            <button
              type="button"
              class="secondary small"
              onClick={() => setConditions([...conditions, { field: 'status', op: 'eq', value: '' }])}
            >
              Add condition
            </button>
          </>
        )}
        {error && (
          <p class="bad-text" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="small">
            Apply filters
          </button>
          <button
            type="button"
            class="secondary small"
            onClick={() => {
              setConditions([])
              setJson('')
              props.onApply(null)
            }}
          >
            Clear
          </button>
        </div>
      </form>
    </details>
  )
}

/** Which columns show and in which order; custom fields are added by key. */
export function ColumnsEditor(props: { columns: string[]; onChange(columns: string[]): void }) {
  const [custom, setCustom] = useState('')
  const all = [...props.columns, ...BASE_COLUMNS.filter((c) => !props.columns.includes(c))]
  const move = (col: string, by: number) => {
    const list = [...props.columns]
    const i = list.indexOf(col)
    const j = i + by
    if (i < 0 || j < 0 || j >= list.length) return
    ;[list[i], list[j]] = [list[j] as string, list[i] as string]
    props.onChange(list)
  }
  const toggle = (col: string, on: boolean) =>
    props.onChange(on ? [...props.columns, col] : props.columns.filter((c) => c !== col))
  return (
    <details class="tool">
      <summary>Columns</summary>
      <ul class="plain columns-list">
        {all.map((col) => {
          const shown = props.columns.includes(col)
          return (
            <li key={col}>
              <label class="inline-check">
                <input
                  type="checkbox"
                  checked={shown}
                  disabled={shown && props.columns.length === 1}
                  onChange={(e) => toggle(col, e.currentTarget.checked)}
                />{' '}
                {columnLabel(col)}
              </label>
              {shown && (
                <span class="move">
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={`Move ${columnLabel(col)} left`}
                    onClick={() => move(col, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={`Move ${columnLabel(col)} right`}
                    onClick={() => move(col, 1)}
                  >
                    ↓
                  </button>
                </span>
              )}
            </li>
          )
        })}
      </ul>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault()
          const key = custom.trim()
          if (key && !props.columns.includes(`custom_fields.${key}`))
            props.onChange([...props.columns, `custom_fields.${key}`])
          setCustom('')
        }}
      >
        <input
          aria-label="Custom field key"
          placeholder="custom field key"
          value={custom}
          onInput={(e) => setCustom(e.currentTarget.value)}
        />
        <button type="submit" class="secondary small">
          Add column
        </button>
      </form>
    </details>
  )
}
