import { useEffect, useState } from 'preact/hooks'
import { api, type List, query } from '../../api.js'
import { formatDate } from '../../format.js'
import { useSession } from '../../session.js'
import type { Deal, Pipeline, Task } from '../../types.js'
import { ErrorNote, Field, Link, Loading, Page, useLoad } from '../../ui.js'
import { useLiveEvents } from '../../workspace/live.js'
import { formatMoney } from '../../workspace/money.js'
import { CloseDealDialog, type Closing } from './close-deal-dialog.js'
import { type BoardData, DealBoard } from './deal-board.js'
import { loadAll, loadContactNames, loadUsers } from './lookups.js'
import { StageSettings } from './stage-settings.js'
import './workspace-b.css'

type Stage = Pipeline['stages'][number]
type View = 'board' | 'table'

function param(name: string): string {
  return new URLSearchParams(location.search).get(name) ?? ''
}

/** Keeps the board's choices in the address, so a reload or a shared link shows the same board. */
function setParams(values: Record<string, string>) {
  const search = new URLSearchParams(location.search)
  for (const [k, v] of Object.entries(values)) {
    if (v) search.set(k, v)
    else search.delete(k)
  }
  const text = search.toString()
  history.replaceState(null, '', `${location.pathname}${text ? `?${text}` : ''}`)
}

/** A date input's day as the instant the deal closed: now when it is today, else noon that day. */
function closedAtOf(day: string): string {
  const now = new Date()
  const noon = new Date(`${day}T12:00:00`)
  return noon.toDateString() === now.toDateString() ? now.toISOString() : noon.toISOString()
}

export function DealsPage() {
  const { session, isAdmin } = useSession()
  const [pipelineId, setPipelineId] = useState(param('pipeline'))
  const [owner, setOwner] = useState(param('owner'))
  const [view, setView] = useState<View>(param('view') === 'table' ? 'table' : 'board')
  const [announcement, setAnnouncement] = useState('')
  const [closing, setClosing] = useState<(Closing & { deal: Deal; stage: Stage }) | null>(null)
  const [moveError, setMoveError] = useState<unknown>(null)

  const pipelines = useLoad(() => api<List<Pipeline>>('GET', '/api/v1/pipelines?limit=100'), [])
  const pipeline =
    pipelines.data?.data.find((p) => p.id === pipelineId) ??
    pipelines.data?.data.find((p) => p.is_default) ??
    pipelines.data?.data[0]

  const board = useLoad<BoardData | undefined>(async () => {
    if (!pipeline) return undefined
    const [deals, users, tasks] = await Promise.all([
      loadAll<Deal>(`/api/v1/deals${query({ pipeline_id: pipeline.id, owner_id: owner, sort: '-updated_at' })}`),
      loadUsers(),
      api<List<Task>>('GET', `/api/v1/tasks${query({ status: 'open', sort: 'due_at', limit: 100 })}`),
    ])
    const contacts = await loadContactNames(deals.flatMap((d) => (d.contact_id ? [d.contact_id] : [])))
    const nextTasks = new Map<string, Task>()
    for (const t of tasks.data) if (t.deal_id && !nextTasks.has(t.deal_id)) nextTasks.set(t.deal_id, t)
    return { pipeline, deals, users, contacts, nextTasks }
  }, [pipeline?.id, pipeline?.updated_at, owner])

  useLiveEvents(['deal.', 'task.', 'pipeline.', 'stage.'], () => board.reload())
  useEffect(
    () => setParams({ pipeline: pipelineId, owner, view: view === 'table' ? 'table' : '' }),
    [pipelineId, owner, view],
  )

  const move = async (deal: Deal, stage: Stage, closingFields: Record<string, string> = {}) => {
    setMoveError(null)
    await api('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: stage.id, ...closingFields })
    setAnnouncement(`${deal.title} moved from ${deal.stage} to ${stage.name}.`)
    board.reload()
  }
  const onMove = (deal: Deal, stage: Stage) => {
    if (stage.kind === 'won' || stage.kind === 'lost') {
      setClosing({ kind: stage.kind, dealTitle: deal.title, stageName: stage.name, deal, stage })
      return
    }
    move(deal, stage).catch((error) => {
      setMoveError(error)
      setAnnouncement(`${deal.title} could not be moved.`)
    })
  }

  const users = board.data?.users
  return (
    <Page
      title="Deals"
      intro="Your pipeline by stage. Drag a card to another stage, or use its Move button and the arrow keys."
    >
      <div class="filters board-toolbar">
        {pipelines.data && pipelines.data.data.length > 1 && (
          <Field label="Pipeline">
            {(id) => (
              <select id={id} value={pipeline?.id} onChange={(e) => setPipelineId(e.currentTarget.value)}>
                {pipelines.data!.data.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Owner">
          {(id) => (
            <select id={id} value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
              <option value="">Everyone</option>
              <option value={session.user.id}>Me</option>
              {[...(users?.values() ?? [])]
                .filter((u) => u.id !== session.user.id)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <fieldset class="view-switch">
          <legend class="sr-only">View</legend>
          <button
            type="button"
            class="secondary small"
            aria-pressed={view === 'board'}
            onClick={() => setView('board')}
          >
            Board
          </button>
          <button
            type="button"
            class="secondary small"
            aria-pressed={view === 'table'}
            onClick={() => setView('table')}
          >
            Table
          </button>
        </fieldset>
      </div>
      <p id="board-help" class="sr-only">
        Press Move to pick the deal up, then the arrow keys to choose a stage, Enter to drop it there, Escape to cancel.
      </p>
      <div class="sr-only" role="status" aria-live="assertive" aria-atomic="true" data-testid="board-announcer">
        {announcement}
      </div>
      <ErrorNote error={pipelines.error ?? board.error ?? moveError} />
      {!board.data && !board.error && <Loading what="deals" />}
      {board.data &&
        (view === 'board' ? (
          <DealBoard data={board.data} onMove={onMove} announce={setAnnouncement} />
        ) : (
          <DealTable data={board.data} />
        ))}
      {board.data && isAdmin && <StageSettings pipeline={board.data.pipeline} onSaved={pipelines.reload} />}
      <CloseDealDialog
        closing={closing}
        onCancel={() => {
          if (closing) setAnnouncement(`${closing.deal.title} stays in ${closing.deal.stage}.`)
          setClosing(null)
        }}
        onConfirm={async (reason, day) => {
          if (!closing) return
          const reasonField = closing.kind === 'won' ? 'won_reason' : 'lost_reason'
          await move(closing.deal, closing.stage, {
            closed_at: closedAtOf(day),
            ...(reason ? { [reasonField]: reason } : {}),
          })
          setClosing(null)
        }}
      />
    </Page>
  )
}

function DealTable(props: { data: BoardData }) {
  const { deals, users, contacts, pipeline } = props.data
  const order = new Map(pipeline.stages.map((s, i) => [s.id, i]))
  const rows = [...deals].sort((a, b) => (order.get(a.stage_id) ?? 0) - (order.get(b.stage_id) ?? 0))
  if (rows.length === 0) return <p class="muted">No deals in this pipeline yet.</p>
  return (
    <div class="table-wrap">
      <table>
        <caption class="sr-only">Deals of {pipeline.name}</caption>
        <thead>
          <tr>
            <th scope="col">Deal</th>
            <th scope="col">Stage</th>
            <th scope="col" class="num">
              Value
            </th>
            <th scope="col">Contact</th>
            <th scope="col">Owner</th>
            <th scope="col">Expected close</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} class={d.rotting ? 'rotting' : undefined}>
              <th scope="row">
                {d.title}
                {d.rotting && <span class="badge bad">rotting</span>}
              </th>
              <td>{d.stage}</td>
              <td class="num">{formatMoney(d.value, d.currency)}</td>
              <td>
                {d.contact_id && contacts.get(d.contact_id) ? (
                  <Link href={`/app/contacts/${d.contact_id}`}>{contacts.get(d.contact_id)}</Link>
                ) : (
                  <span class="muted">None</span>
                )}
              </td>
              <td>{d.owner_id ? (users.get(d.owner_id)?.name ?? d.owner_id) : <span class="muted">None</span>}</td>
              <td>{d.expected_close_date ? formatDate(d.expected_close_date) : <span class="muted">Unknown</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
