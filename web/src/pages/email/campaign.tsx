import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../../api.js'
import { formatDateTime, fromLocalInput } from '../../format.js'
import { navigate } from '../../router.js'
import { Badge, ConfirmButton, ErrorNote, Loading, Page, useLoad } from '../../ui.js'
import { useLiveEvents } from '../../workspace/live.js'
import { CampaignForm } from './campaigns.js'
import {
  type Campaign,
  type EmailList,
  EmailNav,
  firstPage,
  HtmlFrame,
  type LinkStat,
  type Rendered,
  type Segment,
  type Sender,
  STATUS_TONE,
  senderLabel,
  type Template,
} from './shared.js'
import { TestSend } from './test-send.js'

/*
 * /app/email/campaigns/:id: a campaign's state and what can be done in it (edit and delete a
 * draft, test send, send now or schedule, pause, resume, cancel, resend to those who failed), its
 * progress while sending, its stats (people and machines apart) and the clicks per link.
 *
 * Progress follows the live event stream (campaign.* and the email.* events of its messages,
 * at most one reload a second); a slower poll covers a stream that is not there.
 */

const RELOAD_MIN_MS = 1000
const POLL_MS = 5000
const ACTIVE = new Set(['sending', 'scheduled'])

export function CampaignPage(props: { id?: string }) {
  const id = props.id ?? ''
  const campaign = useLoad(() => api<Campaign>('GET', `/api/v1/campaigns/${id}`), [id])
  const links = useLoad(() => firstPage<LinkStat>(`/api/v1/campaigns/${id}/links`), [id])
  const [actionError, setActionError] = useState<unknown>(null)
  const [note, setNote] = useState('')
  const [editing, setEditing] = useState(false)
  const status = campaign.data?.status
  const lastReload = useRef(0)
  const pendingReload = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const reloadAll = () => {
    campaign.reload()
    links.reload()
  }
  /** Reloads now, or once when the last reload is less than a second old. */
  const reloadSoon = () => {
    if (pendingReload.current) return
    const waitMs = Math.max(0, lastReload.current + RELOAD_MIN_MS - Date.now())
    pendingReload.current = setTimeout(() => {
      pendingReload.current = undefined
      lastReload.current = Date.now()
      reloadAll()
    }, waitMs)
  }
  useEffect(() => () => clearTimeout(pendingReload.current), [])
  useLiveEvents(['campaign.', 'email.'], (event) => {
    if (event.data.id === id || event.data.campaign_id === id) reloadSoon()
  })
  useEffect(() => {
    if (!status || !ACTIVE.has(status)) return
    const timer = setInterval(reloadAll, POLL_MS)
    return () => clearInterval(timer)
  }, [status])

  const act = async (path: string, done: string, body: unknown = {}) => {
    setActionError(null)
    try {
      await api('POST', `/api/v1/campaigns/${id}/${path}`, body)
      setNote(done)
      campaign.reload()
    } catch (error) {
      setActionError(error)
    }
  }
  const c = campaign.data
  return (
    <Page title={c ? `Campaign: ${c.name}` : 'Campaign'}>
      <EmailNav />
      <ErrorNote error={campaign.error ?? actionError} />
      <div class="sr-only" role="status" aria-live="polite">
        {note}
      </div>
      {!c && !campaign.error && <Loading what="the campaign" />}
      {c && (
        <>
          <p>
            <Badge tone={STATUS_TONE[c.status]}>{c.status}</Badge> <span data-testid="campaign-status">{c.status}</span>
            {c.scheduled_at && c.status === 'scheduled' && <> · sends {formatDateTime(c.scheduled_at)}</>}
            {c.started_at && <> · started {formatDateTime(c.started_at)}</>}
            {c.completed_at && <> · completed {formatDateTime(c.completed_at)}</>}
            {c.cancelled_at && <> · cancelled {formatDateTime(c.cancelled_at)}</>}
          </p>
          {c.status === 'paused' && c.paused_reason && (
            <div class="note warn" role="note">
              <p>
                Paused automatically:{' '}
                {c.paused_reason === 'hard_bounce_rate'
                  ? 'too many hard bounces'
                  : c.paused_reason === 'complaint_rate'
                    ? 'too many spam complaints'
                    : c.paused_reason}
                . Check the list before resuming.
              </p>
            </div>
          )}
          {note && <p class="muted">{note}</p>}
          <div class="email-actions">
            {c.status === 'draft' && (
              <button type="button" onClick={() => act('schedule', 'Sending now.')}>
                Send now
              </button>
            )}
            {(c.status === 'sending' || c.status === 'scheduled') && (
              <button type="button" class="secondary" onClick={() => act('pause', 'Paused.')}>
                Pause
              </button>
            )}
            {c.status === 'paused' && (
              <button type="button" onClick={() => act('resume', 'Resumed.')}>
                Resume
              </button>
            )}
            {c.stats.failed > 0 && ['sending', 'paused', 'completed'].includes(c.status) && (
              <button
                type="button"
                class="secondary"
                onClick={() => act('resend-failed', 'Failed recipients queued again.')}
              >
                Resend to those who failed ({c.stats.failed})
              </button>
            )}
            {(c.status === 'draft' || c.status === 'scheduled') && (
              <button type="button" class="secondary" aria-expanded={editing} onClick={() => setEditing(!editing)}>
                {editing ? 'Close the editor' : 'Edit'}
              </button>
            )}
            {c.status === 'draft' && (
              <ConfirmButton
                label="Delete draft"
                class="danger"
                title={`Delete the draft ${c.name}?`}
                body={<p>The draft and its content are deleted.</p>}
                confirmLabel="Delete draft"
                onConfirm={async () => {
                  await api('DELETE', `/api/v1/campaigns/${c.id}`)
                  navigate('/app/email/campaigns')
                }}
              />
            )}
            {['scheduled', 'sending', 'paused'].includes(c.status) && (
              <ConfirmButton
                label="Cancel campaign"
                class="danger"
                title={`Cancel ${c.name}?`}
                body={<p>Recipients not sent to yet never will be. A cancelled campaign cannot be resumed.</p>}
                confirmLabel="Cancel campaign"
                onConfirm={() => act('cancel', 'Cancelled.')}
              />
            )}
          </div>
          {c.status === 'draft' && (
            <ScheduleLater
              onSchedule={(at) => act('schedule', `Scheduled for ${formatDateTime(at)}.`, { send_at: at })}
            />
          )}
          {editing && (c.status === 'draft' || c.status === 'scheduled') && (
            <section aria-label="Edit campaign">
              <h2>Edit</h2>
              <CampaignForm
                campaign={c}
                onSaved={() => {
                  setEditing(false)
                  setNote('Campaign saved.')
                  campaign.reload()
                }}
              />
            </section>
          )}
          <TestSend
            send={async (to) =>
              (await api<{ email_id: string }>('POST', `/api/v1/campaigns/${id}/test-send`, { to })).email_id
            }
          />
          {!editing && <Summary campaign={c} />}
          {c.status !== 'draft' && <Progress campaign={c} />}
          {c.status !== 'draft' && <h2>Clicks per link</h2>}
          {c.status !== 'draft' && links.data?.data.length === 0 && <p class="muted">No click yet.</p>}
          {links.data && links.data.data.length > 0 && (
            <div class="email-table-wrap">
              <table data-testid="campaign-links">
                <thead>
                  <tr>
                    <th scope="col">Link</th>
                    <th scope="col">Clicks by people</th>
                    <th scope="col">All clicks</th>
                    <th scope="col">Messages clicked</th>
                  </tr>
                </thead>
                <tbody>
                  {links.data.data.map((l) => (
                    <tr key={l.url}>
                      <td class="email-url">{l.url}</td>
                      <td>{l.human_clicks}</td>
                      <td>{l.clicks}</td>
                      <td>{l.unique_clicks}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Page>
  )
}

/** What the campaign sends, from whom, to whom: names instead of ids, and its content rendered for a sample contact. */
function Summary(props: { campaign: Campaign }) {
  const c = props.campaign
  const names = useLoad(async () => {
    const [senders, lists, segments, templates] = await Promise.all([
      firstPage<Sender>('/api/v1/senders'),
      firstPage<EmailList>('/api/v1/email-lists'),
      firstPage<Segment>('/api/v1/email-segments'),
      firstPage<Template>('/api/v1/email-templates'),
    ])
    return { senders: senders.data, lists: lists.data, segments: segments.data, templates: templates.data }
  }, [c.updated_at])
  const rendered = useLoad(() => {
    if (c.template_id) {
      return api<Rendered>('POST', `/api/v1/email-templates/${c.template_id}/preview`, {}).catch(() => undefined)
    }
    if (!c.subject || (!c.html && !c.text)) return Promise.resolve(undefined)
    return api<Rendered>('POST', '/api/v1/email-templates/preview', {
      subject: c.subject,
      ...(c.html ? { html: c.html } : {}),
      ...(c.text ? { text: c.text } : {}),
    }).catch(() => undefined)
  }, [c.updated_at])
  const n = names.data
  const sender = n?.senders.find((s) => s.id === c.from) ?? (c.from ? undefined : n?.senders.find((s) => s.is_default))
  const audience = [
    ...c.list_ids.map((lid) => `List: ${n?.lists.find((l) => l.id === lid)?.name ?? lid}`),
    ...c.segment_ids.map((sid) => `Segment: ${n?.segments.find((s) => s.id === sid)?.name ?? sid}`),
  ]
  const template = c.template_id ? n?.templates.find((t) => t.id === c.template_id) : undefined
  return (
    <section aria-labelledby="campaign-summary">
      <h2 id="campaign-summary">Message</h2>
      <dl class="email-facts" data-testid="campaign-summary">
        <div>
          <dt>From</dt>
          <dd>{sender ? senderLabel(sender) : c.from ? c.from : 'The default sender (none yet)'}</dd>
        </div>
        <div>
          <dt>{c.template_id ? 'Template' : 'Subject'}</dt>
          <dd>{c.template_id ? (template?.name ?? c.template_id) : (c.subject ?? 'None yet')}</dd>
        </div>
        <div>
          <dt>Audience</dt>
          <dd>{audience.length > 0 ? audience.join(', ') : 'None yet'}</dd>
        </div>
        <div>
          <dt>Tracking</dt>
          <dd>
            {[c.track_opens ? 'opens' : '', c.track_clicks ? 'clicks' : ''].filter(Boolean).join(' and ') || 'none'}
          </dd>
        </div>
      </dl>
      {rendered.data && (
        <details class="email-preview">
          <summary>Preview for a sample contact: {rendered.data.subject}</summary>
          {rendered.data.html ? (
            <HtmlFrame html={rendered.data.html} title="Campaign preview" />
          ) : (
            <pre class="email-text">{rendered.data.text}</pre>
          )}
        </details>
      )}
    </section>
  )
}

function Progress(props: { campaign: Campaign }) {
  const s = props.campaign.stats
  const toSend = Math.max(s.recipients - s.skipped - s.cancelled, 0)
  const done = s.sent + s.failed
  const skipped = Object.entries(s.skipped_by_reason)
  return (
    <>
      <h2>Progress</h2>
      <progress max={Math.max(toSend, 1)} value={done} aria-label="Sent so far" />
      <p class="muted small">
        {done} of {toSend} handled
        {skipped.length > 0 && ` · skipped: ${skipped.map(([reason, n]) => `${n} ${reason}`).join(', ')}`}
      </p>
      <dl class="email-stats" data-testid="campaign-stats">
        <Stat label="Recipients" value={s.recipients} />
        <Stat label="Sent" value={s.sent} />
        <Stat label="Delivered" value={s.delivered} />
        <Stat label="Failed" value={s.failed} />
        <Stat label="Skipped" value={s.skipped} />
        <Stat label="Pending" value={s.pending + s.queued} />
        <Stat label="Opens (people)" value={s.human_opens} />
        <Stat label="Opens (all, with machines)" value={s.opens} />
        <Stat label="Readers (people)" value={s.unique_human_opens} />
        <Stat label="Clicks (people)" value={s.human_clicks} />
        <Stat label="Clicks (all, with machines)" value={s.clicks} />
        <Stat label="Clickers" value={s.unique_clicks} />
      </dl>
    </>
  )
}

function Stat(props: { label: string; value: number }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  )
}

function ScheduleLater(props: { onSchedule(at: string): void }) {
  const [at, setAt] = useState('')
  return (
    <form
      class="email-actions"
      aria-label="Schedule"
      onSubmit={(e) => {
        e.preventDefault()
        const iso = fromLocalInput(at)
        if (iso) props.onSchedule(iso)
      }}
    >
      <label>
        Send at <input type="datetime-local" required value={at} onInput={(e) => setAt(e.currentTarget.value)} />
      </label>
      <button type="submit" class="secondary">
        Schedule
      </button>
    </form>
  )
}
