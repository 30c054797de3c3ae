import { useState } from 'preact/hooks'
import { api } from '../../api.js'
import { navigate } from '../../router.js'
import { useSession } from '../../session.js'
import { Badge, ErrorNote, Field, Link, Loading, Page, useLoad, useSubmit } from '../../ui.js'
import { SendersSection, TransportSection } from './senders.js'
import { type EmailList, EmailNav, type EmailSettings, firstPage, type Segment, type Sender } from './shared.js'

/** /app/email: the transport, the senders, and the audiences (lists and segments) with their counts. */
export function EmailPage() {
  const { isAdmin } = useSession()
  const data = useLoad(async () => {
    const [senders, lists, segments, settings] = await Promise.all([
      firstPage<Sender>('/api/v1/senders'),
      firstPage<EmailList>('/api/v1/email-lists'),
      firstPage<Segment>('/api/v1/email-segments'),
      api<EmailSettings>('GET', '/api/v1/email-settings').catch(() => undefined),
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
          <TransportSection settings={data.data.settings} isAdmin={isAdmin} />
          <SendersSection senders={data.data.senders.data} isAdmin={isAdmin} onChanged={data.reload} />
          <h2>Lists</h2>
          <ListsTable lists={data.data.lists.data} />
          <NewList />
          <h2>Segments</h2>
          <SegmentsTable segments={data.data.segments.data} />
          <div class="email-actions">
            <Link href="/app/email/segments/new" class="email-button-link">
              New segment
            </Link>
          </div>
        </>
      )}
    </Page>
  )
}

function ListsTable(props: { lists: EmailList[] }) {
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
              <td>
                <Link href={`/app/email/lists/${l.id}`}>{l.name}</Link>{' '}
                {l.double_opt_in && <Badge tone="neutral">double opt-in</Badge>}
              </td>
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

function SegmentsTable(props: { segments: Segment[] }) {
  if (props.segments.length === 0) {
    return <p class="muted">No segment yet. A segment is a saved contact filter, evaluated when a campaign sends.</p>
  }
  return (
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
          {props.segments.map((s) => (
            <tr key={s.id}>
              <td>
                <Link href={`/app/email/segments/${s.id}`}>{s.name}</Link>
              </td>
              <td>{s.contact_count}</td>
              <td>{s.member_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Creates a list and opens it, to add its members. */
function NewList() {
  const [name, setName] = useState('')
  const [doubleOptIn, setDoubleOptIn] = useState(false)
  const submit = useSubmit(async () => {
    const list = await api<EmailList>('POST', '/api/v1/email-lists', { name, double_opt_in: doubleOptIn })
    navigate(`/app/email/lists/${list.id}`)
  })
  return (
    <form class="email-form" onSubmit={submit.onSubmit} aria-label="New list">
      <Field label="New list name">
        {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <label class="inline-check">
        <input type="checkbox" checked={doubleOptIn} onChange={(e) => setDoubleOptIn(e.currentTarget.checked)} /> Double
        opt-in: new members confirm by email before they receive campaigns
      </label>
      <ErrorNote error={submit.error} />
      <div>
        <button type="submit" class="secondary" disabled={submit.busy}>
          Create list
        </button>
      </div>
    </form>
  )
}
