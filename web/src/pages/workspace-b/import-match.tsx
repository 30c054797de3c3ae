import { useRef } from 'preact/hooks'

/**
 * Which existing contacts an import updates. The import API (POST /api/v1/imports) finds a row's
 * contact by its email, and only for a row without an email by its external id; a row with neither
 * creates a contact. It takes no "match on" parameter, so the key is what the mapping imports: this
 * choice edits the mapping (it leaves the email column, or both key columns, out of the import) and
 * says which columns that leaves out.
 */

export type MatchKey = 'email' | 'external_id' | 'none'

/** A column's target in the mapping: a field, `custom`, or '' to ignore the column. */
export type Mapping = Record<string, string>

/** The key an import with this mapping matches on, as the API applies it. */
export function matchKeyOf(mapping: Mapping): MatchKey {
  const targets = Object.values(mapping)
  if (targets.includes('email')) return 'email'
  if (targets.includes('external_id')) return 'external_id'
  return 'none'
}

/**
 * The mapping that makes the import match on `key`: an ignored column suggested for the field the
 * key needs is mapped back (`suggested`: each header's target as suggested, or as the user last
 * mapped it), the fields it must not send are ignored. Undefined when no column can hold the key.
 */
export function mappingFor(key: MatchKey, mapping: Mapping, suggested: Mapping): Mapping | undefined {
  const next: Mapping = { ...mapping }
  const headers = Object.keys(mapping)
  const restore = (field: string) => {
    if (headers.some((h) => next[h] === field)) return true
    // Only an ignored column is taken back: one the user mapped to another field stays as it is.
    const column = headers.find((h) => suggested[h] === field && next[h] === '')
    if (column === undefined) return false
    next[column] = field
    return true
  }
  const drop = (field: string) => {
    for (const h of headers) if (next[h] === field) next[h] = ''
  }
  if (key === 'email') return restore('email') ? next : undefined
  drop('email')
  if (key === 'external_id') return restore('external_id') ? next : undefined
  drop('external_id')
  return next
}

const OPTIONS: { key: MatchKey; label: string; hint: string }[] = [
  {
    key: 'email',
    label: 'Email',
    hint: 'A row updates the contact with the same email (compared without case); a row without an email, the contact with the same external id.',
  },
  {
    key: 'external_id',
    label: 'External id',
    hint: 'A row updates the contact with the same external id, even when its email changed. The email column is then not imported.',
  },
  {
    key: 'none',
    label: 'None: always create',
    hint: 'Every row creates a contact. Email and external id columns are not imported (both are unique: a second contact cannot share them).',
  },
]

/** The choice of key, as radio buttons; choosing one rewrites the mapping through `onMapping`. */
export function MatchChoice(props: { mapping: Mapping; suggested: Mapping; onMapping(mapping: Mapping): void }) {
  // The columns the user mapped to a key field: choosing that key again maps them back.
  const chosen = useRef<Mapping>({})
  for (const [h, target] of Object.entries(props.mapping)) {
    if (target === 'email' || target === 'external_id') chosen.current[h] = target
    else if (target !== '') delete chosen.current[h]
  }
  const suggested = { ...props.suggested, ...chosen.current }
  const current = matchKeyOf(props.mapping)
  const left = Object.keys(props.mapping).filter(
    (h) =>
      props.mapping[h] === '' &&
      ((current !== 'email' && suggested[h] === 'email') || (current === 'none' && suggested[h] === 'external_id')),
  )
  return (
    <fieldset class="match-choice">
      <legend>Match existing contacts by</legend>
      <ul class="plain">
        {OPTIONS.map((o) => {
          const next = mappingFor(o.key, props.mapping, suggested)
          const id = `match-${o.key}`
          return (
            <li key={o.key}>
              <label class="inline-check" for={id}>
                <input
                  id={id}
                  type="radio"
                  name="match-key"
                  value={o.key}
                  checked={current === o.key}
                  disabled={next === undefined}
                  aria-describedby={`${id}-hint`}
                  onChange={() => next && props.onMapping(next)}
                />
                {o.label}
              </label>
              <p id={`${id}-hint`} class="muted small">
                {o.hint}
                {next === undefined && ` The file has no column for it: map one to ${o.key.replace('_', ' ')} first.`}
              </p>
            </li>
          )
        })}
      </ul>
      {left.length > 0 && (
        <p class="note" role="status">
          Not imported, to match by {current === 'none' ? 'nothing' : 'external id'}:{' '}
          {left.map((h) => `“${h}”`).join(', ')}.
        </p>
      )}
    </fieldset>
  )
}
