import { useEffect, useState } from 'preact/hooks'
import { api, type List } from '../../api.js'
import { formatDateTime } from '../../format.js'
import { navigate } from '../../router.js'
import { useSession } from '../../session.js'
import { Badge, ErrorNote, Field, Link, Loading, Page, useLoad, useSubmit } from '../../ui.js'
import './email.css'

/*
 * The Email area: senders and the transport, the development mailbox, templates with a live
 * preview, lists and segments, campaigns (compose, test send, schedule, progress, stats). Each
 * screen reads and writes through the email API (docs/email.md); admin-only calls (senders,
 * settings) are shown to owners and admins only.
 */

interface Sender {
  id: string
  email: string
  name: string | null
  reply_to: string | null
  is_default: boolean
}
interface Settings {
  transport: 'smtp' | 'mailbox'
}
interface EmailListView {
  id: string
  name: string
  description: string | null
  member_count: number
  pending_count: number
  unsubscribed_count: number
}
interface Segment {
  id: string
  name: string
  contact_count: number
  member_count: number
}
interface Template {
  id: string
  name: string
  subject: string
  html: string | null
  text: string | null
}
interface MailboxMessage {
  id: string
  from: string
  to: string
  subject: string
  html: string | null
  text: string
  created_at: string
}
interface Stats {
  recipients: number
  pending: number
  queued: number
  sent: number
  delivered: number
  failed: number
  skipped: number
  opens: number
  human_opens: number
  unique_opens: number
  unique_human_opens: number
  clicks: number
  human_clicks: number
  unique_clicks: number
}
interface Campaign {
  id: string
  name: string
  status: string
  subject: string | null
  template_id: string | null
  from: string | null
  list_ids: string[]
  segment_ids: string[]
  scheduled_at: string | null
  completed_at: string | null
  stats: Stats
}
interface LinkStat {
  url: string
  clicks: number
  human_clicks: number
  unique_clicks: number
  unique_human_clicks: number
}

function EmailNav() {
  return (
    <nav class="email-nav" aria-label="Email">
      <Link href="/app/email">Senders and audiences</Link>
      <Link href="/app/email/campaigns">Campaigns</Link>
      <Link href="/app/email/templates">Templates</Link>
      <Link href="/app/email/mailbox">Development mailbox</Link>
    </nav>
  )
}

/** An email's HTML, shown in a sandboxed frame: no scripts, no forms, no navigation of this page. */
function HtmlFrame(props: { html: string; title: string }) {
  return <iframe class="email-frame" title={props.title} sandbox="" srcdoc={props.html} />
}

const all = <T,>(path: string) => api<List<T>>('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100`)

// ---------------------------------------------------------------------------------------------
// Overview: transport, senders, lists, segments

export function EmailPage() {
  const { isAdmin } = useSession()
  const data = useLoad(async () => {
    const [senders, lists, segments, settings] = await Promise.all([
      all<Sender>('/api/v1/senders'),
      all<EmailListView>('/api/v1/email-lists'),
      all<Segment>('/api/v1/email-segments'),
      api<Settings>('GET', '/api/v1/email-settings').catch(() => undefined),
    ])
    return { senders, lists, segments, settings }
  }, [])
  return (
    <Page title="Email" intro="Who you send from, how mail leaves this installation, and who can receive it.">
      <EmailNav />
      <ErrorNote error={data.error} />
      {!data.data && !data.error && <Loading what="email settings" />}
      {data.data && (
        <>
          <h2>Transport</h2>
          <p data-testid="email-transport">
            {data.data.settings?.transport === 'smtp' ? (
              <>
                <Badge tone="ok">SMTP</Badge> Live-mode mail goes out through the SMTP server set by{' '}
                <code>RAPPORT_SMTP_URL</code>. Test-mode mail stays in the development mailbox.
              </>
            ) : data.data.settings?.transport === 'mailbox' ? (
              <>
                <Badge tone="warn">Development mailbox</Badge> No SMTP server is configured: every message is kept in
                the <Link href="/app/email/mailbox">development mailbox</Link> and nothing leaves this machine.
              </>
            ) : (
              'Ask an admin which transport this installation uses.'
            )}
          </p>
          <h2>Senders</h2>
          {data.data.senders.data.length === 0 && <p class="muted">No sender yet: add the address you send from.</p>}
          <ul class="plain email-list">
            {data.data.senders.data.map((s) => (
              <li key={s.id}>
                {s.name ? `${s.name} <${s.email}>` : s.email} {s.is_default && <Badge tone="neutral">default</Badge>}
                {s.reply_to && <span class="muted small"> · replies to {s.reply_to}</span>}
              </li>
            ))}
          </ul>
          {isAdmin && <NewSender onCreated={data.reload} />}
          <h2>Lists</h2>
          <ListsTable lists={data.data.lists.data} />
          <NewList onCreated={data.reload} />
          <h2>Segments</h2>
          {data.data.segments.data.length === 0 ? (
            <p class="muted">No segment yet. Segments are saved contact filters, created over the API.</p>
          ) : (
            <div class="email-table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Segment</th>
                    <th scope="col">Matching contacts</th>
                    <th scope="col">Can receive</th>
                  </tr>
                </thead>
                <tbody>
                  {data.data.segments.data.map((s) => (
                    <tr key={s.id}>
                      <td>{s.name}</td>
                      <td>{s.contact_count}</td>
                      <td>{s.member_count}</td>
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

function ListsTable(props: { lists: EmailListView[] }) {
  if (props.lists.length === 0) return <p class="muted">No list yet.</p>
  return (
    <div class="email-table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">List</th>
            <th scope="col">Subscribed</th>
            <th scope="col">Pending</th>
            <th scope="col">Left</th>
          </tr>
        </thead>
        <tbody>
          {props.lists.map((l) => (
            <tr key={l.id}>
              <td>{l.name}</td>
              <td>{l.member_count}</td>
              <td>{l.pending_count}</td>
              <td>{l.unsubscribed_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function NewSender(props: { onCreated(): void }) {
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const submit = useSubmit(async () => {
    await api('POST', '/api/v1/senders', { email, ...(name ? { name } : {}) })
    setEmail('')
    setName('')
    props.onCreated()
  })
  return (
    <form class="email-form" onSubmit={submit.onSubmit}>
      <Field
        label="Sender address"
        hint="An address your organization owns; its domain's SPF and DKIM must allow the SMTP server."
      >
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            type="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Sender name">
        {(id) => <input id={id} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <ErrorNote error={submit.error} />
      <div>
        <button type="submit" disabled={submit.busy}>
          Add sender
        </button>
      </div>
    </form>
  )
}

function NewList(props: { onCreated(): void }) {
  const [name, setName] = useState('')
  const submit = useSubmit(async () => {
    await api('POST', '/api/v1/email-lists', { name })
    setName('')
    props.onCreated()
  })
  return (
    <form class="email-form" onSubmit={submit.onSubmit}>
      <Field label="New list name">
        {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <ErrorNote error={submit.error} />
      <div>
        <button type="submit" class="secondary" disabled={submit.busy}>
          Create list
        </button>
      </div>
    </form>
  )
}

// ---------------------------------------------------------------------------------------------
// Development mailbox

export function MailboxPage() {
  const [openId, setOpenId] = useState<string | null>(null)
  const list = useLoad(() => all<MailboxMessage>('/api/v1/mailbox'), [])
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
          <ul class="plain email-list">
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
                <pre>{open.data.text}</pre>
              )}
            </article>
          )}
        </div>
      </div>
    </Page>
  )
}

// ---------------------------------------------------------------------------------------------
// Templates with a live preview

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return debounced
}

export function TemplatesPage() {
  const templates = useLoad(() => all<Template>('/api/v1/email-templates'), [])
  const [editing, setEditing] = useState<Template | 'new' | null>(null)
  return (
    <Page
      title="Email templates"
      intro="Subject and body in Liquid: {{ contact.first_name }}, {{ organization.name }}…"
    >
      <EmailNav />
      <ErrorNote error={templates.error} />
      {!templates.data && !templates.error && <Loading what="templates" />}
      <ul class="plain email-list">
        {templates.data?.data.map((t) => (
          <li key={t.id}>
            <button type="button" class="link" onClick={() => setEditing(t)}>
              {t.name}
            </button>{' '}
            <span class="muted small">{t.subject}</span>
          </li>
        ))}
      </ul>
      <div class="email-actions">
        <button type="button" class="secondary" onClick={() => setEditing('new')}>
          New template
        </button>
      </div>
      {editing && (
        <TemplateEditor
          key={editing === 'new' ? 'new' : editing.id}
          template={editing === 'new' ? undefined : editing}
          onSaved={() => {
            setEditing(null)
            templates.reload()
          }}
        />
      )}
    </Page>
  )
}

function TemplateEditor(props: { template?: Template; onSaved(): void }) {
  const [name, setName] = useState(props.template?.name ?? '')
  const [subject, setSubject] = useState(props.template?.subject ?? '')
  const [html, setHtml] = useState(props.template?.html ?? '')
  const content = useDebounced({ subject, html }, 300)
  const preview = useLoad(
    () =>
      content.subject.trim()
        ? api<{ subject: string; html: string | null }>('POST', '/api/v1/email-templates/preview', {
            subject: content.subject,
            ...(content.html ? { html: content.html } : {}),
          })
        : Promise.resolve(undefined),
    [content.subject, content.html],
  )
  const submit = useSubmit(async () => {
    const body = { name, subject, html: html || undefined }
    if (props.template) await api('PATCH', `/api/v1/email-templates/${props.template.id}`, body)
    else await api('POST', '/api/v1/email-templates', body)
    props.onSaved()
  })
  return (
    <div class="email-split">
      <form class="email-form" onSubmit={submit.onSubmit} aria-label="Template">
        <Field label="Template name">
          {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field label="Subject">
          {(id) => <input id={id} required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />}
        </Field>
        <Field label="HTML">
          {(id) => <textarea id={id} value={html} onInput={(e) => setHtml(e.currentTarget.value)} />}
        </Field>
        <ErrorNote error={submit.error} />
        <div>
          <button type="submit" disabled={submit.busy}>
            Save template
          </button>
        </div>
      </form>
      <section aria-label="Preview">
        <h2>Preview</h2>
        <ErrorNote error={preview.error} />
        {preview.data && (
          <>
            <p data-testid="preview-subject">
              <strong>{preview.data.subject}</strong>
            </p>
            {preview.data.html && <HtmlFrame html={preview.data.html} title="Template preview" />}
          </>
        )}
      </section>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------
// Campaigns

const STATUS_TONE: Record<string, 'ok' | 'bad' | 'warn' | 'neutral'> = {
  completed: 'ok',
  sending: 'warn',
  scheduled: 'neutral',
  paused: 'warn',
  cancelled: 'bad',
  draft: 'neutral',
}

export function CampaignsPage() {
  const campaigns = useLoad(() => all<Campaign>('/api/v1/campaigns'), [])
  return (
    <Page title="Campaigns" intro="Compose a message, pick its audience, test it, then send it now or later.">
      <EmailNav />
      <ErrorNote error={campaigns.error} />
      {!campaigns.data && !campaigns.error && <Loading what="campaigns" />}
      {campaigns.data?.data.length === 0 && <p class="muted">No campaign yet.</p>}
      <ul class="plain email-list">
        {campaigns.data?.data.map((c) => (
          <li key={c.id}>
            <Link href={`/app/email/campaigns/${c.id}`}>{c.name}</Link>{' '}
            <Badge tone={STATUS_TONE[c.status] ?? 'neutral'}>{c.status}</Badge>{' '}
            <span class="muted small">
              {c.stats.sent} sent of {c.stats.recipients}
            </span>
          </li>
        ))}
      </ul>
      <h2>New campaign</h2>
      <Compose />
    </Page>
  )
}

function Compose() {
  const options = useLoad(async () => {
    const [senders, templates, lists, segments] = await Promise.all([
      all<Sender>('/api/v1/senders'),
      all<Template>('/api/v1/email-templates'),
      all<EmailListView>('/api/v1/email-lists'),
      all<Segment>('/api/v1/email-segments'),
    ])
    return { senders: senders.data, templates: templates.data, lists: lists.data, segments: segments.data }
  }, [])
  const [name, setName] = useState('')
  const [from, setFrom] = useState('')
  const [templateId, setTemplateId] = useState('')
  const [subject, setSubject] = useState('')
  const [html, setHtml] = useState('')
  const [audience, setAudience] = useState('')
  const submit = useSubmit(async () => {
    const [kind, id] = audience.split(':')
    const created = await api<Campaign>('POST', '/api/v1/campaigns', {
      name,
      ...(from ? { from } : {}),
      ...(templateId ? { template_id: templateId } : { subject, html }),
      ...(kind === 'list' ? { list_ids: [id] } : kind === 'segment' ? { segment_ids: [id] } : {}),
    })
    navigate(`/app/email/campaigns/${created.id}`)
  })
  if (options.error) return <ErrorNote error={options.error} />
  if (!options.data) return <Loading what="senders and audiences" />
  const o = options.data
  return (
    <form class="email-form" onSubmit={submit.onSubmit} aria-label="New campaign">
      <Field label="Campaign name">
        {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <Field label="From">
        {(id) => (
          <select id={id} value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
            <option value="">The default sender</option>
            {o.senders.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name ? `${s.name} <${s.email}>` : s.email}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Content">
        {(id) => (
          <select id={id} value={templateId} onChange={(e) => setTemplateId(e.currentTarget.value)}>
            <option value="">Write a subject and HTML here</option>
            {o.templates.map((t) => (
              <option key={t.id} value={t.id}>
                Template: {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {!templateId && (
        <>
          <Field label="Subject">
            {(id) => <input id={id} required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />}
          </Field>
          <Field
            label="HTML"
            hint="Liquid variables work here; an unsubscribe footer is added unless you place {{ unsubscribe_url }}."
          >
            {(id, hint) => (
              <textarea
                id={id}
                aria-describedby={hint}
                required
                value={html}
                onInput={(e) => setHtml(e.currentTarget.value)}
              />
            )}
          </Field>
        </>
      )}
      <Field label="Audience">
        {(id) => (
          <select id={id} value={audience} onChange={(e) => setAudience(e.currentTarget.value)}>
            <option value="">Choose later</option>
            {o.lists.map((l) => (
              <option key={l.id} value={`list:${l.id}`}>
                List: {l.name} ({l.member_count})
              </option>
            ))}
            {o.segments.map((s) => (
              <option key={s.id} value={`segment:${s.id}`}>
                Segment: {s.name} ({s.member_count})
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorNote error={submit.error} />
      <div>
        <button type="submit" disabled={submit.busy}>
          Save draft
        </button>
      </div>
    </form>
  )
}

export function CampaignPage(props: { id?: string }) {
  const id = props.id ?? ''
  const campaign = useLoad(() => api<Campaign>('GET', `/api/v1/campaigns/${id}`), [id])
  const links = useLoad(() => all<LinkStat>(`/api/v1/campaigns/${id}/links`), [id])
  const [actionError, setActionError] = useState<unknown>(null)
  const [note, setNote] = useState('')
  const status = campaign.data?.status
  // Progress while sending: poll until nothing is left to send.
  useEffect(() => {
    if (status !== 'sending' && status !== 'scheduled') return
    const timer = setInterval(() => {
      campaign.reload()
      links.reload()
    }, 1000)
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
            <Badge tone={STATUS_TONE[c.status] ?? 'neutral'}>{c.status}</Badge>{' '}
            <span data-testid="campaign-status">{c.status}</span>
            {c.scheduled_at && c.status === 'scheduled' && <> · sends {formatDateTime(c.scheduled_at)}</>}
            {c.completed_at && <> · completed {formatDateTime(c.completed_at)}</>}
          </p>
          {note && <p class="muted">{note}</p>}
          <div class="email-actions">
            {c.status === 'draft' && (
              <>
                <button type="button" onClick={() => act('schedule', 'Sending now.')}>
                  Send now
                </button>
                <ScheduleLater
                  onSchedule={(at) => act('schedule', `Scheduled for ${formatDateTime(at)}.`, { send_at: at })}
                />
              </>
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
            {c.stats.failed > 0 && c.status !== 'cancelled' && c.status !== 'draft' && (
              <button
                type="button"
                class="secondary"
                onClick={() => act('resend-failed', 'Failed recipients queued again.')}
              >
                Resend to those who failed
              </button>
            )}
          </div>
          <TestSend id={id} onSent={setNote} />
          <h2>Progress</h2>
          <progress
            max={Math.max(c.stats.recipients - c.stats.skipped, 1)}
            value={c.stats.sent + c.stats.failed}
            aria-label="Sent so far"
          />
          <dl class="email-stats" data-testid="campaign-stats">
            <Stat label="Recipients" value={c.stats.recipients} />
            <Stat label="Sent" value={c.stats.sent} />
            <Stat label="Delivered" value={c.stats.delivered} />
            <Stat label="Failed" value={c.stats.failed} />
            <Stat label="Skipped" value={c.stats.skipped} />
            <Stat label="Pending" value={c.stats.pending + c.stats.queued} />
            <Stat label="Opens (people)" value={c.stats.human_opens} />
            <Stat label="Opens (all, with machines)" value={c.stats.opens} />
            <Stat label="Clicks (people)" value={c.stats.human_clicks} />
            <Stat label="Clicks (all, with machines)" value={c.stats.clicks} />
          </dl>
          <h2>Clicks per link</h2>
          {links.data?.data.length === 0 && <p class="muted">No click yet.</p>}
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
      onSubmit={(e) => {
        e.preventDefault()
        if (at) props.onSchedule(new Date(at).toISOString())
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

function TestSend(props: { id: string; onSent(note: string): void }) {
  const [to, setTo] = useState('')
  const submit = useSubmit(async () => {
    await api('POST', `/api/v1/campaigns/${props.id}/test-send`, { to })
    props.onSent(`Test message queued to ${to}.`)
  })
  return (
    <form class="email-actions" onSubmit={submit.onSubmit} aria-label="Test send">
      <label>
        Send a test to <input type="email" required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      <button type="submit" class="secondary" disabled={submit.busy}>
        Send test
      </button>
      <ErrorNote error={submit.error} />
    </form>
  )
}
