import { useEffect, useState } from 'preact/hooks'
import { api } from '../../api.js'
import type { Ok } from '../../types.js'
import { Badge, ErrorNote, useSubmit } from '../../ui.js'

/*
 * "Send a test to …": queues one message through the given call, then follows that message
 * (GET /api/v1/emails/:id) until it leaves or fails, so the sender sees it went out.
 */

type Email = Ok<'getEmail'>
const FOLLOW_MS = 1000
const FOLLOW_TIMES = 60
const TONE = { queued: 'neutral', sent: 'ok', delivered: 'ok', failed: 'bad' } as const
const SAID = {
  queued: 'queued',
  sent: 'sent',
  delivered: 'delivered to the mail server',
  failed: 'failed',
} as const

/** The status of a queued message, read again every second while it is queued. */
function useEmailStatus(emailId: string | null): Email | undefined {
  const [email, setEmail] = useState<Email>()
  useEffect(() => {
    setEmail(undefined)
    if (!emailId) return
    let live = true
    let times = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const read = async () => {
      try {
        const found = await api<Email>('GET', `/api/v1/emails/${emailId}`)
        if (!live) return
        setEmail(found)
        if (found.status !== 'queued') return
      } catch {
        if (!live) return
      }
      if (++times < FOLLOW_TIMES) timer = setTimeout(read, FOLLOW_MS)
    }
    void read()
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [emailId])
  return email
}

export function TestSend(props: {
  /** Queues the test to `to`; resolves to the queued message's id. */
  send(to: string): Promise<string>
  hint?: string
}) {
  const [to, setTo] = useState('')
  const [sent, setSent] = useState<{ id: string; to: string } | null>(null)
  const email = useEmailStatus(sent?.id ?? null)
  const submit = useSubmit(async () => {
    setSent(null)
    const id = await props.send(to)
    setSent({ id, to })
  })
  return (
    <form class="email-actions email-test" onSubmit={submit.onSubmit} aria-label="Test send">
      <label>
        Send a test to{' '}
        <input type="email" required autoComplete="email" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      <button type="submit" class="secondary" disabled={submit.busy}>
        Send test
      </button>
      {props.hint && <p class="hint">{props.hint}</p>}
      <p role="status" class="email-status" data-testid="test-send-status">
        {sent && (
          <>
            Test message to {sent.to}:{' '}
            {email ? <Badge tone={TONE[email.status]}>{SAID[email.status]}</Badge> : 'queued'}
            {email?.status === 'failed' && email.last_error ? ` (${email.last_error})` : ''}
          </>
        )}
      </p>
      <ErrorNote error={submit.error} />
    </form>
  )
}
