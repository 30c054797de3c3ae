import { useId, useState } from 'preact/hooks'
import type { Contact } from '../../types.js'

/*
 * A segment's filter in the contact search grammar (docs/import-and-search.md): conditions matched
 * all or any, each offering only the operators its field takes; or the filter as JSON, for nested
 * groups (`and` / `or` / `not`) the condition list cannot show.
 */

export type Filter = Record<string, unknown>

export interface Condition {
  field: string
  /** The key after `custom_fields.` when `field` is `custom`. */
  key: string
  op: string
  value: string
}

const TEXT_OPS = ['eq', 'neq', 'contains', 'in', 'lt', 'gt', 'exists']
const FIELDS: { field: string; label: string; ops: string[] }[] = [
  { field: 'tags', label: 'Tags', ops: ['contains', 'in', 'exists'] },
  { field: 'status', label: 'Status', ops: ['eq', 'neq', 'in'] },
  { field: 'source', label: 'Source', ops: ['eq', 'neq', 'in'] },
  { field: 'email', label: 'Email', ops: TEXT_OPS },
  { field: 'name', label: 'Name', ops: TEXT_OPS },
  { field: 'company', label: 'Company', ops: TEXT_OPS },
  { field: 'phone', label: 'Phone', ops: TEXT_OPS },
  { field: 'external_id', label: 'External id', ops: TEXT_OPS },
  { field: 'created_at', label: 'Created', ops: ['gt', 'lt', 'eq', 'neq'] },
  { field: 'updated_at', label: 'Updated', ops: ['gt', 'lt', 'eq', 'neq'] },
  { field: 'custom', label: 'Custom field…', ops: TEXT_OPS },
]
const OP_LABEL: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  in: 'is one of',
  lt: 'is less than (before)',
  gt: 'is greater than (after)',
  exists: 'has a value',
}
const STATUSES: Contact['status'][] = ['lead', 'prospect', 'customer', 'churned']
const SOURCES: Contact['source'][] = ['manual', 'api', 'form', 'import', 'booking', 'lead_capture']

const opsOf = (field: string) => FIELDS.find((f) => f.field === field)?.ops ?? TEXT_OPS

/** A condition as the grammar has it: `in` takes a comma-separated list, `exists` no value. */
function conditionFilter(c: Condition): Filter {
  const field = c.field === 'custom' ? `custom_fields.${c.key.trim()}` : c.field
  if (c.op === 'exists') return { field, op: 'exists' }
  if (c.op === 'in') return { field, op: 'in', value: c.value.split(',').map((v) => v.trim()) }
  // A custom field compared with lt / gt as a number compares numerically (as imports store numbers as text).
  if (c.field === 'custom' && (c.op === 'lt' || c.op === 'gt') && /^-?\d+(\.\d+)?$/.test(c.value.trim())) {
    return { field, op: c.op, value: Number(c.value) }
  }
  return { field, op: c.op, value: c.value }
}

/** The filter the conditions make: none, one condition, or an `and` / `or` group. */
export function conditionsFilter(match: 'and' | 'or', conditions: Condition[]): Filter | null {
  const nodes = conditions.filter((c) => c.field !== 'custom' || c.key.trim()).map(conditionFilter)
  if (nodes.length === 0) return null
  return nodes.length === 1 ? (nodes[0] as Filter) : { [match]: nodes }
}

/** The conditions of a filter that is one condition or a flat `and` / `or` of them; else undefined. */
export function conditionsOf(filter: unknown): { match: 'and' | 'or'; conditions: Condition[] } | undefined {
  if (!filter || typeof filter !== 'object') return { match: 'and', conditions: [] }
  const f = filter as Filter
  const match = 'or' in f ? 'or' : 'and'
  const list = Array.isArray(f[match]) ? (f[match] as unknown[]) : [f]
  const conditions: Condition[] = []
  for (const node of list) {
    const c = node as { field?: unknown; op?: unknown; value?: unknown }
    if (typeof c.field !== 'string' || typeof c.op !== 'string') return undefined
    const value = Array.isArray(c.value) ? c.value.join(', ') : c.value === undefined ? '' : String(c.value)
    const custom = c.field.startsWith('custom_fields.')
    // A field or operator the condition list does not offer stays in JSON, where it is shown as it is.
    if (!custom && !FIELDS.some((f) => f.field === c.field && f.ops.includes(c.op as string))) return undefined
    conditions.push({
      field: custom ? 'custom' : c.field,
      key: custom ? c.field.slice('custom_fields.'.length) : '',
      op: c.op,
      value,
    })
  }
  return { match, conditions }
}

export interface FilterState {
  asJson: boolean
  match: 'and' | 'or'
  conditions: Condition[]
  json: string
}

export function initialFilterState(filter: unknown): FilterState {
  const simple = conditionsOf(filter)
  return {
    asJson: !simple,
    match: simple?.match ?? 'and',
    conditions: simple?.conditions.length ? simple.conditions : [{ field: 'tags', key: '', op: 'contains', value: '' }],
    json: filter ? JSON.stringify(filter, null, 2) : '',
  }
}

/** The filter a state stands for; a JSON text that does not parse is an error to show. */
export function filterOfState(state: FilterState): { filter: Filter | null; error?: string } {
  if (!state.asJson) return { filter: conditionsFilter(state.match, state.conditions) }
  if (!state.json.trim()) return { filter: null }
  try {
    return { filter: JSON.parse(state.json) as Filter }
  } catch {
    return { filter: null, error: 'The filter is not valid JSON.' }
  }
}

export function FilterBuilder(props: { state: FilterState; onChange(state: FilterState): void }) {
  const { state } = props
  const id = useId()
  const [jsonNote, setJsonNote] = useState('')
  const update = (patch: Partial<FilterState>) => props.onChange({ ...state, ...patch })
  const set = (i: number, patch: Partial<Condition>) =>
    update({ conditions: state.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) })
  const toggleJson = (asJson: boolean) => {
    setJsonNote('')
    if (asJson) {
      const filter = conditionsFilter(state.match, state.conditions)
      return update({ asJson, json: filter ? JSON.stringify(filter, null, 2) : '' })
    }
    const parsed = filterOfState(state)
    const simple = parsed.error ? undefined : conditionsOf(parsed.filter)
    if (!simple) return setJsonNote('This filter has nested groups: it can only be edited as JSON.')
    update({ asJson, match: simple.match, conditions: simple.conditions })
  }
  return (
    <fieldset class="email-filter">
      <legend>Contacts in the segment</legend>
      <label class="inline-check">
        <input type="checkbox" checked={state.asJson} onChange={(e) => toggleJson(e.currentTarget.checked)} /> Edit as
        JSON (nested and / or / not)
      </label>
      {jsonNote && (
        <p class="bad-text" role="alert">
          {jsonNote}
        </p>
      )}
      {state.asJson ? (
        <>
          <label for={`${id}-json`}>Filter (contact search grammar)</label>
          <textarea
            id={`${id}-json`}
            rows={8}
            value={state.json}
            onInput={(e) => update({ json: e.currentTarget.value })}
          />
        </>
      ) : (
        <>
          <label>
            Match{' '}
            <select value={state.match} onChange={(e) => update({ match: e.currentTarget.value as 'and' | 'or' })}>
              <option value="and">all conditions</option>
              <option value="or">any condition</option>
            </select>
          </label>
          {state.conditions.map((c, i) => (
            <ConditionRow
              key={i}
              n={i + 1}
              condition={c}
              onChange={(patch) => set(i, patch)}
              onRemove={() => update({ conditions: state.conditions.filter((_, j) => j !== i) })}
            />
          ))}
          <div>
            <button
              type="button"
              class="secondary small"
              onClick={() =>
                update({ conditions: [...state.conditions, { field: 'status', key: '', op: 'eq', value: 'customer' }] })
              }
            >
              Add condition
            </button>
          </div>
        </>
      )}
    </fieldset>
  )
}

function ConditionRow(props: {
  n: number
  condition: Condition
  onChange(patch: Partial<Condition>): void
  onRemove(): void
}) {
  const c = props.condition
  const ops = opsOf(c.field)
  const choices = c.field === 'status' ? STATUSES : c.field === 'source' ? SOURCES : undefined
  const isDate = c.field === 'created_at' || c.field === 'updated_at'
  return (
    <fieldset class="email-condition">
      <legend class="sr-only">Condition {props.n}</legend>
      <select
        aria-label={`Field of condition ${props.n}`}
        value={c.field}
        onChange={(e) => {
          const field = e.currentTarget.value
          const fieldOps = opsOf(field)
          props.onChange({ field, op: fieldOps.includes(c.op) ? c.op : (fieldOps[0] as string), value: '' })
        }}
      >
        {FIELDS.map((f) => (
          <option key={f.field} value={f.field}>
            {f.label}
          </option>
        ))}
      </select>
      {c.field === 'custom' && (
        <input
          aria-label={`Custom field key of condition ${props.n}`}
          placeholder="key, e.g. plan"
          required
          value={c.key}
          onInput={(e) => props.onChange({ key: e.currentTarget.value })}
        />
      )}
      <select
        aria-label={`Operator of condition ${props.n}`}
        value={c.op}
        onChange={(e) => props.onChange({ op: e.currentTarget.value })}
      >
        {ops.map((op) => (
          <option key={op} value={op}>
            {OP_LABEL[op] ?? op}
          </option>
        ))}
      </select>
      {c.op !== 'exists' &&
        (choices && c.op !== 'in' ? (
          <select
            aria-label={`Value of condition ${props.n}`}
            value={c.value}
            onChange={(e) => props.onChange({ value: e.currentTarget.value })}
          >
            <option value="">Choose…</option>
            {choices.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        ) : isDate ? (
          <input
            aria-label={`Value of condition ${props.n}`}
            type="date"
            value={c.value}
            onInput={(e) => props.onChange({ value: e.currentTarget.value })}
          />
        ) : (
          <input
            aria-label={`Value of condition ${props.n}`}
            placeholder={c.op === 'in' ? 'a, b, c' : 'value'}
            value={c.value}
            onInput={(e) => props.onChange({ value: e.currentTarget.value })}
          />
        ))}
      <button type="button" class="secondary small" aria-label={`Remove condition ${props.n}`} onClick={props.onRemove}>
        Remove
      </button>
    </fieldset>
  )
}
