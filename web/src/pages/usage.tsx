import { useState } from 'preact/hooks'
import { api } from '../api.js'
import type { Usage } from '../types.js'
import { ErrorNote, Field, Loading, Page, useLoad } from '../ui.js'

const DAYS = 30
const SESSIONS = 'sessions'

interface Day {
  date: string
  calls: number
  rateLimited: number
}

/** The last `DAYS` UTC dates, oldest first, each with the calls of the chosen key (or of all). */
function series(usage: Usage, keyFilter: string): Day[] {
  const byDate = new Map<string, Day>()
  const today = new Date()
  for (let i = DAYS - 1; i >= 0; i--) {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i))
      .toISOString()
      .slice(0, 10)
    byDate.set(date, { date, calls: 0, rateLimited: 0 })
  }
  for (const row of usage.days) {
    if (keyFilter === SESSIONS ? row.key_id !== null : keyFilter && row.key_id !== keyFilter) continue
    const day = byDate.get(row.date)
    if (!day) continue
    day.calls += row.calls
    day.rateLimited += row.rate_limited
  }
  return [...byDate.values()]
}

export function UsagePage() {
  const usage = useLoad(() => api<Usage>('GET', `/api/v1/usage?days=${DAYS}`), [])
  const [keyFilter, setKeyFilter] = useState('')
  const u = usage.data
  return (
    <Page
      title="Usage"
      intro={`API calls per day over the last ${DAYS} days (UTC), and the calls refused by rate limits.`}
    >
      <ErrorNote error={usage.error} />
      {!u && !usage.error && <Loading what="usage" />}
      {u && (
        <>
          <Field label="Calls of">
            {(id) => (
              <select id={id} value={keyFilter} onChange={(e) => setKeyFilter(e.currentTarget.value)}>
                <option value="">Every key and the dashboard</option>
                {u.keys.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.name} ({k.mode})
                  </option>
                ))}
                <option value={SESSIONS}>The dashboard (signed-in people)</option>
              </select>
            )}
          </Field>
          <Chart days={series(u, keyFilter)} />
          <KeyTotals usage={u} />
        </>
      )}
    </Page>
  )
}

const WIDTH = 720
const HEIGHT = 220
const AXIS = 28

/** Bars of calls per day, rate-limited calls stacked on top in another color. */
function Chart(props: { days: Day[] }) {
  const max = Math.max(1, ...props.days.map((d) => d.calls + d.rateLimited))
  const slot = (WIDTH - AXIS) / props.days.length
  const scale = (n: number) => (n / max) * (HEIGHT - 20)
  const total = props.days.reduce((n, d) => n + d.calls, 0)
  const limited = props.days.reduce((n, d) => n + d.rateLimited, 0)
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
        role="img"
        aria-label={`${total} API calls and ${limited} rate-limited calls over ${props.days.length} days`}
      >
        <line class="axis" x1={AXIS} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} />
        <text class="tick" x={AXIS - 4} y={HEIGHT - scale(max) + 4} text-anchor="end">
          {max}
        </text>
        <text class="tick" x={AXIS - 4} y={HEIGHT} text-anchor="end">
          0
        </text>
        {props.days.map((d, i) => {
          const x = AXIS + i * slot + slot * 0.15
          const w = slot * 0.7
          const h = scale(d.calls)
          const hl = scale(d.rateLimited)
          return (
            <g key={d.date}>
              <title>
                {d.date}: {d.calls} calls, {d.rateLimited} rate-limited
              </title>
              <rect class="bar" x={x} y={HEIGHT - h} width={w} height={h} />
              {d.rateLimited > 0 && <rect class="bar limited" x={x} y={HEIGHT - h - hl} width={w} height={hl} />}
              {i % 5 === 0 && (
                <text class="tick" x={x + w / 2} y={HEIGHT + 14} text-anchor="middle">
                  {d.date.slice(5)}
                </text>
              )}
            </g>
          )
        })}
      </svg>
      <figcaption>
        <span class="legend calls">API calls</span> <span class="legend limited">Rate-limited (429)</span> · {total}{' '}
        calls, {limited} rate-limited
      </figcaption>
    </figure>
  )
}

function KeyTotals(props: { usage: Usage }) {
  const totals = new Map<string, { calls: number; limited: number }>()
  for (const row of props.usage.days) {
    const id = row.key_id ?? SESSIONS
    const t = totals.get(id) ?? { calls: 0, limited: 0 }
    t.calls += row.calls
    t.limited += row.rate_limited
    totals.set(id, t)
  }
  const names = new Map(props.usage.keys.map((k) => [k.id, `${k.name} (${k.mode})`]))
  const rows = [...totals].sort((a, b) => b[1].calls - a[1].calls)
  if (rows.length === 0) return <p class="muted">No API calls in this period.</p>
  return (
    <div class="table-wrap">
      <table>
        <caption>Totals over {DAYS} days</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Calls</th>
            <th scope="col">Rate-limited</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, t]) => (
            <tr key={id}>
              <th scope="row">{id === SESSIONS ? 'Dashboard (signed-in people)' : (names.get(id) ?? id)}</th>
              <td>{t.calls}</td>
              <td>{t.limited}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
