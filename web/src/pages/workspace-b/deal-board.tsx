import { useEffect, useRef, useState } from 'preact/hooks'
import Sortable from 'sortablejs'
import { formatDate } from '../../format.js'
import type { Deal, Pipeline, Task, User } from '../../types.js'
import { Link } from '../../ui.js'
import { formatMoney } from '../../workspace/money.js'

type Stage = Pipeline['stages'][number]

export interface BoardData {
  pipeline: Pipeline
  deals: Deal[]
  users: Map<string, User>
  contacts: Map<string, string>
  /** The next open task of each deal (earliest due). */
  nextTasks: Map<string, Task>
}

/** Sum of deal values per currency, formatted ("$1,200.00 + €300.00"). */
export function totalOf(deals: Deal[]): string {
  const sums = new Map<string, number>()
  for (const d of deals) sums.set(d.currency, (sums.get(d.currency) ?? 0) + Number(d.value))
  if (sums.size === 0) return formatMoney('0', 'USD')
  return [...sums].map(([currency, sum]) => formatMoney(String(sum), currency)).join(' + ')
}

/**
 * The deal board: a column per stage, deals as cards. Cards move by pointer or touch (SortableJS,
 * in its fallback mode so mouse and touch behave alike) and by keyboard (a card's Move button picks
 * it up, arrow keys choose the stage, Enter drops, Escape cancels), each move announced in a live
 * region. The board never moves a card itself: `onMove` decides, the next render shows the result.
 */
export function DealBoard(props: {
  data: BoardData
  onMove: (deal: Deal, stage: Stage) => void
  announce: (message: string) => void
}) {
  const { pipeline, deals, users, contacts, nextTasks } = props.data
  const stages = pipeline.stages
  const board = useRef<HTMLDivElement>(null)
  const [carrying, setCarrying] = useState<{ deal: Deal; stageIndex: number } | null>(null)
  const onMove = useRef(props.onMove)
  onMove.current = props.onMove
  const dealsRef = useRef(deals)
  dealsRef.current = deals

  useEffect(() => {
    const lists = [...(board.current?.querySelectorAll<HTMLElement>('ul.deal-cards') ?? [])]
    const sortables = lists.map((list) =>
      Sortable.create(list, {
        group: `pipeline-${pipeline.id}`,
        forceFallback: true,
        fallbackOnBody: true,
        // Touch: a short hold starts a drag, so a swipe still scrolls the board.
        delayOnTouchOnly: true,
        delay: 180,
        draggable: 'li.deal-card',
        filter: 'a, button, input, select, textarea',
        preventOnFilter: false,
        ghostClass: 'deal-ghost',
        chosenClass: 'deal-chosen',
        dragClass: 'deal-dragging',
        onEnd: (event) => {
          const { item, from, to, oldIndex } = event
          // Put the DOM back as Preact rendered it; the move happens through state.
          from.insertBefore(item, from.children[oldIndex ?? 0] ?? null)
          if (from === to) return
          const deal = dealsRef.current.find((d) => d.id === item.dataset.dealId)
          const stage = stages.find((s) => s.id === to.dataset.stageId)
          if (deal && stage) onMove.current(deal, stage)
        },
      }),
    )
    return () => {
      for (const s of sortables) s.destroy()
    }
  }, [pipeline.id, stages.map((s) => s.id).join()])

  const pickUp = (deal: Deal) => {
    const stageIndex = stages.findIndex((s) => s.id === deal.stage_id)
    setCarrying({ deal, stageIndex })
    props.announce(
      `Picked up ${deal.title}, in ${stages[stageIndex]?.name}. Left and right arrows choose a stage, Enter drops, Escape cancels.`,
    )
  }
  const onCarryKey = (event: KeyboardEvent) => {
    if (!carrying) return
    const step =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? -1
          : 0
    if (step !== 0) {
      event.preventDefault()
      const stageIndex = Math.min(stages.length - 1, Math.max(0, carrying.stageIndex + step))
      setCarrying({ ...carrying, stageIndex })
      props.announce(`Over ${stages[stageIndex]!.name}.`)
      document
        .getElementById(`stage-${stages[stageIndex]!.id}`)
        ?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
    } else if (event.key === 'Escape') {
      event.preventDefault()
      setCarrying(null)
      props.announce(`${carrying.deal.title} stays in ${carrying.deal.stage}.`)
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      const target = stages[carrying.stageIndex]!
      setCarrying(null)
      if (target.id === carrying.deal.stage_id) props.announce(`${carrying.deal.title} stays in ${target.name}.`)
      else props.onMove(carrying.deal, target)
    }
  }

  return (
    <div class="deal-board" ref={board}>
      {stages.map((stage, index) => {
        const inStage = deals.filter((d) => d.stage_id === stage.id)
        const target = carrying?.stageIndex === index
        return (
          <section
            key={stage.id}
            id={`stage-${stage.id}`}
            class={`deal-column${target ? ' drop-target' : ''} kind-${stage.kind}`}
            aria-labelledby={`stage-title-${stage.id}`}
          >
            <header class="deal-column-head">
              <h2 id={`stage-title-${stage.id}`}>{stage.name}</h2>
              <p class="muted small">
                <span>
                  {inStage.length} {inStage.length === 1 ? 'deal' : 'deals'}
                </span>{' '}
                · <span>{totalOf(inStage)}</span>
              </p>
            </header>
            <ul class="deal-cards plain" data-stage-id={stage.id} aria-label={`Deals in ${stage.name}`}>
              {inStage.map((deal) => {
                const owner = deal.owner_id ? users.get(deal.owner_id) : undefined
                const contact = deal.contact_id ? contacts.get(deal.contact_id) : undefined
                const task = nextTasks.get(deal.id)
                const held = carrying?.deal.id === deal.id
                return (
                  <li
                    key={deal.id}
                    class={`deal-card${deal.rotting ? ' rotting' : ''}${held ? ' held' : ''}`}
                    data-deal-id={deal.id}
                  >
                    <div class="deal-card-head">
                      <strong class="deal-title">{deal.title}</strong>
                      <button
                        type="button"
                        class="secondary small move-button"
                        aria-pressed={held}
                        aria-describedby="board-help"
                        onClick={() => (held ? setCarrying(null) : pickUp(deal))}
                        onKeyDown={held ? onCarryKey : undefined}
                        onBlur={() => held && setCarrying(null)}
                      >
                        Move<span class="sr-only"> {deal.title}</span>
                      </button>
                    </div>
                    <p class="deal-value">{formatMoney(deal.value, deal.currency)}</p>
                    {contact && deal.contact_id && (
                      <p class="small">
                        <Link href={`/app/contacts/${deal.contact_id}`}>{contact}</Link>
                      </p>
                    )}
                    <p class="small muted">{owner ? owner.name : 'No owner'}</p>
                    {task && (
                      <p class="small">
                        Next: {task.title}
                        {task.due_at && <span class="muted"> · {formatDate(task.due_at)}</span>}
                      </p>
                    )}
                    {deal.rotting && <p class="small rotting-note">No activity for over {stage.rotting_days} days</p>}
                  </li>
                )
              })}
            </ul>
          </section>
        )
      })}
    </div>
  )
}
