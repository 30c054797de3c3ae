import { useState } from 'preact/hooks'
import { api } from '../../api.js'
import type { Pipeline } from '../../types.js'
import { ErrorNote, useSubmit } from '../../ui.js'

/** Per stage: after how many idle days an open deal there counts as rotting (empty: never). */
export function StageSettings(props: { pipeline: Pipeline; onSaved: () => void }) {
  const open = props.pipeline.stages.filter((s) => s.kind === 'open')
  const [days, setDays] = useState<Record<string, string>>(() =>
    Object.fromEntries(open.map((s) => [s.id, s.rotting_days === null ? '' : String(s.rotting_days)])),
  )
  const [saved, setSaved] = useState(false)
  const submit = useSubmit(async () => {
    setSaved(false)
    for (const stage of open) {
      const text = days[stage.id] ?? ''
      const value = text === '' ? null : Number(text)
      if (value !== stage.rotting_days) await api('PATCH', `/api/v1/stages/${stage.id}`, { rotting_days: value })
    }
    setSaved(true)
    props.onSaved()
  })
  return (
    <details class="panel stage-settings">
      <summary>Rotting deals: days without activity per stage</summary>
      <form onSubmit={submit.onSubmit}>
        <p class="muted small">
          An open deal with no change, activity, note or completed task for longer than its stage allows shows red.
          Leave empty for never.
        </p>
        <div class="stage-days">
          {open.map((s) => (
            <div class="field" key={s.id}>
              <label for={`rot-${s.id}`}>{s.name}</label>
              <input
                id={`rot-${s.id}`}
                type="number"
                min={1}
                max={3650}
                inputMode="numeric"
                value={days[s.id] ?? ''}
                onInput={(e) => setDays({ ...days, [s.id]: e.currentTarget.value })}
              />
            </div>
          ))}
        </div>
        <button type="submit" disabled={submit.busy}>
          Save rotting days
        </button>
        {saved && (
          <span role="status" class="muted small">
            {' '}
            Saved.
          </span>
        )}
        <ErrorNote error={submit.error} />
      </form>
    </details>
  )
}
