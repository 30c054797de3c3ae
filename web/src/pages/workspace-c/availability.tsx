import { useEffect, useState } from 'preact/hooks'
import { apiWithEtag } from '../../api.js'
import type { Body, Ok } from '../../types.js'
import { ErrorNote, Field, Loading, useLoad, useSubmit } from '../../ui.js'

type Availability = Ok<'getAvailability'>
type AvailabilityBody = Body<'setAvailability'>
type WeeklyRange = AvailabilityBody['weekly'][number]
type Day = WeeklyRange['day']
type Range = { start: string; end: string }
type Override = { date: string; ranges: Range[] }

const DAYS: { day: Day; label: string }[] = [
  { day: 'mon', label: 'Monday' },
  { day: 'tue', label: 'Tuesday' },
  { day: 'wed', label: 'Wednesday' },
  { day: 'thu', label: 'Thursday' },
  { day: 'fri', label: 'Friday' },
  { day: 'sat', label: 'Saturday' },
  { day: 'sun', label: 'Sunday' },
]

/**
 * A host's weekly ranges and date overrides, edited here and saved in one `PUT` with the `ETag` read
 * (`If-Match`): a change saved meanwhile elsewhere is a 412 instead of being overwritten.
 */
export function AvailabilityEditor(props: { userId: string; onSaved: () => void }) {
  const loaded = useLoad(
    () => apiWithEtag<Availability>('GET', `/api/v1/users/${props.userId}/availability`),
    [props.userId],
  )
  const [weekly, setWeekly] = useState<WeeklyRange[]>([])
  const [overrides, setOverrides] = useState<Override[]>([])
  const [etag, setEtag] = useState<string | null>(null)
  useEffect(() => {
    if (!loaded.data) return
    setWeekly(loaded.data.data.weekly.map((r) => ({ ...r })))
    setOverrides(
      (loaded.data.data.overrides ?? []).map((o) => ({ date: o.date, ranges: o.ranges.map((r) => ({ ...r })) })),
    )
    setEtag(loaded.data.etag)
  }, [loaded.data])

  const submit = useSubmit(async () => {
    const saved = await apiWithEtag<Availability>(
      'PUT',
      `/api/v1/users/${props.userId}/availability`,
      { weekly, overrides },
      etag ? { 'if-match': etag } : {},
    )
    setEtag(saved.etag)
    props.onSaved()
  })

  if (loaded.error) return <ErrorNote error={loaded.error} />
  if (!loaded.data) return <Loading what="availability" />
  const setWeeklyAt = (i: number, change: Partial<WeeklyRange>) =>
    setWeekly(weekly.map((r, j) => (j === i ? { ...r, ...change } : r)))
  const setOverrideAt = (i: number, change: Partial<Override>) =>
    setOverrides(overrides.map((o, j) => (j === i ? { ...o, ...change } : o)))

  return (
    <form onSubmit={submit.onSubmit} class="availability">
      <p class="muted">Times are in your time zone, {loaded.data.data.timezone}. 24:00 ends a day.</p>
      <fieldset>
        <legend>Weekly hours</legend>
        {weekly.length === 0 && <p class="muted">No weekly hours: guests can book nothing.</p>}
        <ul class="plain range-list">
          {weekly.map((r, i) => (
            <li key={i} class="range-row">
              <Field label="Day">
                {(id) => (
                  <select id={id} value={r.day} onChange={(e) => setWeeklyAt(i, { day: e.currentTarget.value as Day })}>
                    {DAYS.map((d) => (
                      <option key={d.day} value={d.day}>
                        {d.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <TimeRange range={r} onChange={(change) => setWeeklyAt(i, change)} />
              <button type="button" class="secondary small" onClick={() => setWeekly(weekly.filter((_, j) => j !== i))}>
                Remove<span class="sr-only"> range {i + 1}</span>
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          class="secondary small"
          onClick={() => setWeekly([...weekly, { day: 'mon', start: '09:00', end: '17:00' }])}
        >
          Add weekly hours
        </button>
      </fieldset>
      <fieldset>
        <legend>Date overrides</legend>
        <p class="muted small">A date with no hours is closed; hours given replace the weekly ones that day.</p>
        <ul class="plain range-list">
          {overrides.map((o, i) => (
            <li key={i} class="override-row">
              <Field label="Date">
                {(id) => (
                  <input
                    id={id}
                    type="date"
                    required
                    value={o.date}
                    onInput={(e) => setOverrideAt(i, { date: e.currentTarget.value })}
                  />
                )}
              </Field>
              {o.ranges.length === 0 && <span class="muted small">Closed</span>}
              {o.ranges.map((r, k) => (
                <div key={k} class="range-row">
                  <TimeRange
                    range={r}
                    onChange={(change) =>
                      setOverrideAt(i, { ranges: o.ranges.map((x, m) => (m === k ? { ...x, ...change } : x)) })
                    }
                  />
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() => setOverrideAt(i, { ranges: o.ranges.filter((_, m) => m !== k) })}
                  >
                    Remove hours
                    <span class="sr-only">
                      {' '}
                      {k + 1} of {o.date}
                    </span>
                  </button>
                </div>
              ))}
              <div class="actions">
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => setOverrideAt(i, { ranges: [...o.ranges, { start: '09:00', end: '12:00' }] })}
                >
                  Add hours<span class="sr-only"> to {o.date || 'this date'}</span>
                </button>
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => setOverrides(overrides.filter((_, j) => j !== i))}
                >
                  Remove date<span class="sr-only"> {o.date}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
        <button
          type="button"
          class="secondary small"
          onClick={() => setOverrides([...overrides, { date: '', ranges: [] }])}
        >
          Add a date override
        </button>
      </fieldset>
      <div>
        <button type="submit" disabled={submit.busy}>
          Save availability
        </button>
      </div>
      <ErrorNote error={submit.error} />
    </form>
  )
}

function TimeRange(props: { range: Range; onChange: (change: Partial<Range>) => void }) {
  return (
    <>
      <Field label="From">
        {(id) => (
          <input
            id={id}
            type="time"
            required
            value={props.range.start}
            onInput={(e) => props.onChange({ start: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field label="To" hint={props.range.end === '24:00' ? 'End of the day' : undefined}>
        {(id, hint) => (
          <input
            id={id}
            required
            pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00"
            inputMode="numeric"
            aria-describedby={hint}
            value={props.range.end}
            onInput={(e) => props.onChange({ end: e.currentTarget.value })}
          />
        )}
      </Field>
    </>
  )
}
