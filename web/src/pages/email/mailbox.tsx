import { useState } from 'preact/hooks'
import { api } from '../../api.js'
import { formatDateTime } from '../../format.js'
import { ErrorNote, Loading, Page, useLoad } from '../../ui.js'
import { EmailNav, firstPage, HtmlFrame, type MailboxMessage } from './shared.js'

/** /app/email/mailbox: the messages kept instead of sent; one opens with its HTML in a sandboxed frame. */
export function MailboxPage() {
  const [openId, setOpenId] = useState<string | null>(null)
  const list = useLoad(() => firstPage<MailboxMessage>('/api/v1/mailbox'), [])
  const open = useLoad(
    () => (openId ? api<MailboxMessage>('GET', `/api/v1/mailbox/${openId}`) : Promise.resolve(undefined)),
    [openId],
  )
  return (
    <Page
      title="Development mailbox"
      intro="Messages kept here instead of being sent: test-mode mail, and all mail when no SMTP server is set."
    >
      <EmailNav />
      <ErrorNote error={list.error ?? open.error} />
      {!list.data && !list.error && <Loading what="the mailbox" />}
      <div class="email-split">
        <div>
          {list.data?.data.length === 0 && <p class="muted">The mailbox is empty.</p>}
          <ul class="plain email-list" aria-label="Kept messages">
            {list.data?.data.map((m) => (
              <li key={m.id}>
                <button type="button" class="link" aria-pressed={openId === m.id} onClick={() => setOpenId(m.id)}>
                  {m.subject}
                </button>
                <div class="muted small">
                  To {m.to} · {formatDateTime(m.created_at)}
                </div>
              </li>
            ))}
          </ul>
        </div>
        <div>
          {open.data && (
            <article aria-label="Message">
              <h2>{open.data.subject}</h2>
              <p class="small">
                From {open.data.from} to {open.data.to}
              </p>
              {open.data.html ? (
                <HtmlFrame html={open.data.html} title={`Message: ${open.data.subject}`} />
              ) : (
                <pre class="email-text">{open.data.text}</pre>
              )}
            </article>
          )}
        </div>
      </div>
    </Page>
  )
}
