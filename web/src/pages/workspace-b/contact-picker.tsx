import { useEffect, useState } from 'preact/hooks'
import { api, type List, query } from '../../api.js'
import type { Contact } from '../../types.js'
import { Field } from '../../ui.js'
import { contactName } from './lookups.js'

/**
 * Chooses a contact: a search box (name, email…, through the API's `q`) and a select of the first
 * ten matches. `value` is the chosen contact id, '' for none.
 */
export function ContactPicker(props: { value: string; onChange: (id: string) => void }) {
  const [text, setText] = useState('')
  const [matches, setMatches] = useState<Contact[]>([])
  useEffect(() => {
    const term = text.trim()
    if (term.length < 2) {
      setMatches([])
      return
    }
    let live = true
    const timer = setTimeout(() => {
      api<List<Contact>>('GET', `/api/v1/contacts${query({ q: term, limit: 10 })}`).then(
        (list) => {
          if (!live) return
          setMatches(list.data)
          if (list.data[0] && !props.value) props.onChange(list.data[0].id)
        },
        () => live && setMatches([]),
      )
    }, 200)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [text])
  return (
    <>
      <Field label="Find a contact" hint="Type two letters or more of a name or email">
        {(id, hint) => (
          <input
            id={id}
            type="search"
            aria-describedby={hint}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Contact">
        {(id) => (
          <select id={id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
            <option value="">None</option>
            {matches.map((c) => (
              <option key={c.id} value={c.id}>
                {contactName(c)}
                {c.email && c.name ? ` (${c.email})` : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  )
}
