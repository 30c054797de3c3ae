import { useEffect, useState } from 'preact/hooks'
import { api, type List, query } from '../../api.js'
import { formatDate, listTotal, pageOf } from '../../format.js'
import { navigate } from '../../router.js'
import type { Contact } from '../../types.js'
import { Badge, ConfirmButton, ErrorNote, Field, Link, Loading, Page, useLoad, useSubmit } from '../../ui.js'
import { type EmailList, EmailNav, type ListMember } from './shared.js'

/*
 * /app/email/lists/:id: a list's settings (name, description, double opt-in), its counts, its
 * members page by page (by status), contacts found by a search added to it, members removed.
 */

const MEMBERS_PER_PAGE = 25
const MEMBER_TONE = { subscribed: 'ok', pending: 'warn', unsubscribed: 'neutral' } as const

interface MembersChange {
  changed: number
  unchanged: number
  pending: number
}

export function ListPage(props: { id?: string }) {
  const id = props.id ?? ''
  const list = useLoad(() => api<EmailList>('GET', `/api/v1/email-lists/${id}`), [id])
  const [status, setStatus] = useState('')
  const [page, setPage] = useState(1)
  const [note, setNote] = useState('')
  const members = useLoad(
    () =>
      api<List<ListMember>>(
        'GET',
        `/api/v1/email-lists/${id}/members${query({ status, page, limit: MEMBERS_PER_PAGE })}`,
      ),
    [id, status, page],
  )
  const changed = (text: string) => {
    setNote(text)
    list.reload()
    members.reload()
  }
  const l = list.data
  return (
    <Page title={l ? `List: ${l.name}` : 'List'} intro={l?.description ?? undefined}>
      <EmailNav />
      <ErrorNote error={list.error} />
      {!l && !list.error && <Loading what="the list" />}
      {l && (
        <>
          <dl class="email-stats" data-testid="list-counts">
            <div>
              <dt>Subscribed</dt>
              <dd>{l.member_count}</dd>
            </div>
            <div>
              <dt>Pending confirmation</dt>
              <dd>{l.pending_count}</dd>
            </div>
            <div>
              <dt>Left the list</dt>
              <dd>{l.unsubscribed_count}</dd>
            </div>
          </dl>
          <p class="muted email-status" role="status">
            {note}
          </p>
          <h2>Add contacts</h2>
          <AddMembers listId={id} doubleOptIn={l.double_opt_in} onAdded={changed} />
          <h2>Members</h2>
          <div class="email-narrow">
            <Field label="Show">
              {(fieldId) => (
                <select
                  id={fieldId}
                  value={status}
                  onChange={(e) => {
                    setStatus(e.currentTarget.value)
                    setPage(1)
                  }}
                >
                  <option value="">Every member</option>
                  <option value="subscribed">Subscribed</option>
                  <option value="pending">Pending confirmation</option>
                  <option value="unsubscribed">Left the list</option>
                </select>
              )}
            </Field>
          </div>
          <ErrorNote error={members.error} />
          {members.data && (
            <MembersTable
              listId={id}
              members={members.data}
              page={page}
              onPage={setPage}
              onRemoved={(who) => changed(`${who} was removed from the list.`)}
            />
          )}
          <h2>List settings</h2>
          <ListSettings key={l.updated_at} list={l} onSaved={() => changed('List saved.')} />
        </>
      )}
    </Page>
  )
}

function MembersTable(props: {
  listId: string
  members: List<ListMember>
  page: number
  onPage(page: number): void
  onRemoved(who: string): void
}) {
  const { data, pagination } = props.members
  const [error, setError] = useState<unknown>(null)
  if (data.length === 0) return <p class="muted">No member here yet.</p>
  const remove = async (m: ListMember) => {
    setError(null)
    try {
      await api('POST', `/api/v1/email-lists/${props.listId}/members/remove`, { contact_ids: [m.contact_id] })
      props.onRemoved(m.name ?? m.email ?? m.contact_id)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <>
      <ErrorNote error={error} />
      <div class="email-table-wrap">
        <table data-testid="list-members">
          <thead>
            <tr>
              <th scope="col">Contact</th>
              <th scope="col">Status</th>
              <th scope="col" class="email-wide-only">
                Added
              </th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((m) => (
              <tr key={m.contact_id}>
                <td>
                  <Link href={`/app/contacts/${m.contact_id}`}>{m.name ?? m.email ?? m.contact_id}</Link>
                  <div class="muted small email-url">{m.email ?? 'No email'}</div>
                </td>
                <td>
                  <Badge tone={MEMBER_TONE[m.status]}>{m.status}</Badge>
                </td>
                <td class="email-wide-only">{formatDate(m.created_at)}</td>
                <td>
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={`Remove ${m.name ?? m.email ?? m.contact_id}`}
                    onClick={() => remove(m)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="email-pager">
        <button
          type="button"
          class="secondary small"
          disabled={props.page <= 1}
          onClick={() => props.onPage(props.page - 1)}
        >
          Previous
        </button>
        <span class="muted small">
          {pageOf(pagination.page ?? props.page, pagination)} · {listTotal(pagination)} members
        </span>
        <button
          type="button"
          class="secondary small"
          disabled={!pagination.has_more}
          onClick={() => props.onPage(props.page + 1)}
        >
          Next
        </button>
      </div>
    </>
  )
}

/** A search over the contacts (name, email…); the ticked ones are added in one call. */
function AddMembers(props: { listId: string; doubleOptIn: boolean; onAdded(note: string): void }) {
  const [text, setText] = useState('')
  const [matches, setMatches] = useState<Contact[]>([])
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  useEffect(() => {
    const term = text.trim()
    if (term.length < 2) {
      setMatches([])
      return
    }
    let live = true
    const timer = setTimeout(() => {
      api<List<Contact>>('GET', `/api/v1/contacts${query({ q: term, limit: 20 })}`).then(
        (found) => live && setMatches(found.data),
        () => live && setMatches([]),
      )
    }, 200)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [text])
  const submit = useSubmit(async () => {
    const ids = [...chosen]
    const result = await api<MembersChange>('POST', `/api/v1/email-lists/${props.listId}/members`, {
      contact_ids: ids,
    })
    setChosen(new Set())
    setText('')
    const parts = [`Added ${result.changed} of ${ids.length}`]
    if (result.unchanged) parts.push(`${result.unchanged} already on the list`)
    if (result.pending) parts.push(`${result.pending} sent a confirmation message`)
    props.onAdded(`${parts.join('; ')}.`)
  })
  const toggle = (contactId: string, on: boolean) => {
    const next = new Set(chosen)
    if (on) next.add(contactId)
    else next.delete(contactId)
    setChosen(next)
  }
  return (
    <form class="email-form" onSubmit={submit.onSubmit} aria-label="Add contacts">
      <Field label="Find contacts" hint="Two letters or more of a name, email, phone or company">
        {(id, hint) => (
          <input
            id={id}
            type="search"
            aria-describedby={hint}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        )}
      </Field>
      {matches.length > 0 && (
        <fieldset>
          <legend>Contacts found</legend>
          <ul class="plain email-choices">
            {matches.map((c) => (
              <li key={c.id}>
                <label class="inline-check">
                  <input
                    type="checkbox"
                    checked={chosen.has(c.id)}
                    onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                  />{' '}
                  {c.name ?? c.email ?? c.id}
                  {c.email && c.name ? <span class="muted small"> {c.email}</span> : null}
                  {!c.email && <span class="muted small"> (no email: cannot receive)</span>}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {text.trim().length >= 2 && matches.length === 0 && <p class="muted small">No contact matches.</p>}
      {props.doubleOptIn && (
        <p class="hint">
          Double opt-in: each new member is sent a confirmation message and is pending until they confirm.
        </p>
      )}
      <ErrorNote error={submit.error} />
      <div>
        <button type="submit" disabled={submit.busy || chosen.size === 0}>
          {chosen.size > 1 ? `Add ${chosen.size} contacts` : 'Add to list'}
        </button>
      </div>
    </form>
  )
}

function ListSettings(props: { list: EmailList; onSaved(): void }) {
  const l = props.list
  const [name, setName] = useState(l.name)
  const [description, setDescription] = useState(l.description ?? '')
  const [doubleOptIn, setDoubleOptIn] = useState(l.double_opt_in)
  const submit = useSubmit(async () => {
    await api('PATCH', `/api/v1/email-lists/${l.id}`, {
      name,
      description: description.trim() || null,
      double_opt_in: doubleOptIn,
    })
    props.onSaved()
  })
  return (
    <>
      <form class="email-form" onSubmit={submit.onSubmit} aria-label="List settings">
        <Field label="List name">
          {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field label="Description">
          {(id) => <input id={id} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        <label class="inline-check">
          <input type="checkbox" checked={doubleOptIn} onChange={(e) => setDoubleOptIn(e.currentTarget.checked)} />{' '}
          Double opt-in for members added from now on
        </label>
        <ErrorNote error={submit.error} />
        <div>
          <button type="submit" disabled={submit.busy}>
            Save list
          </button>
        </div>
      </form>
      <div class="email-actions">
        <ConfirmButton
          label="Delete list"
          title={`Delete the list ${l.name}?`}
          body={
            <p>
              Its memberships are deleted; the contacts stay. Campaigns that have not started yet no longer reach its
              members.
            </p>
          }
          confirmLabel="Delete list"
          onConfirm={async () => {
            await api('DELETE', `/api/v1/email-lists/${l.id}`)
            navigate('/app/email')
          }}
        />
      </div>
    </>
  )
}
