import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { ErrorNote } from '../../ui.js'
import { todayInput } from './lookups.js'

export interface Closing {
  kind: 'won' | 'lost'
  dealTitle: string
  stageName: string
}

/**
 * Asks why and when a deal was won or lost before it moves into the won or lost stage. A modal
 * <dialog>: focus stays in it, Escape cancels (and the deal stays where it was).
 */
export function CloseDealDialog(props: {
  closing: Closing | null
  onConfirm: (reason: string, closedOn: string) => Promise<void>
  onCancel: () => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const reasonId = useId()
  const dateId = useId()
  const [reason, setReason] = useState('')
  const [date, setDate] = useState(todayInput())
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const { closing } = props

  useEffect(() => {
    if (!closing) return
    setReason('')
    setDate(todayInput())
    setError(null)
    dialog.current?.showModal()
  }, [closing])

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await props.onConfirm(reason.trim(), date)
      dialog.current?.close()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const won = closing?.kind === 'won'
  return (
    <dialog ref={dialog} aria-labelledby={titleId} class="confirm" onClose={() => !busy && props.onCancel()}>
      {closing && (
        <form onSubmit={submit}>
          <h2 id={titleId}>
            Mark “{closing.dealTitle}” as {won ? 'won' : 'lost'}
          </h2>
          <div class="field">
            <label for={reasonId}>{won ? 'Why was it won?' : 'Why was it lost?'}</label>
            <textarea
              id={reasonId}
              rows={3}
              maxLength={500}
              required={!won}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for={dateId}>{won ? 'Won on' : 'Lost on'}</label>
            <input id={dateId} type="date" required value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          </div>
          <ErrorNote error={error} />
          <div class="actions">
            <button type="submit" disabled={busy}>
              Move to {closing.stageName}
            </button>
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </dialog>
  )
}
