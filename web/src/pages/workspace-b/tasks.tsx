import { useState } from 'preact/hooks'
import { api, type List, query } from '../../api.js'
import { formatDateTime } from '../../format.js'
import { useSession } from '../../session.js'
import type { Task } from '../../types.js'
import { ErrorNote, Field, Link, Loading, Page, useLoad, useSubmit } from '../../ui.js'
import { useLiveEvents } from '../../workspace/live.js'
import { ContactPicker } from './contact-picker.js'
import { loadContactNames, loadUsers } from './lookups.js'
import './workspace-b.css'

type Whose = 'mine' | 'all'
type When = 'overdue' | 'today' | 'upcoming'

const WHEN_LABELS: Record<When, string> = { overdue: 'Overdue', today: 'Due today', upcoming: 'Upcoming' }

/** The bounds of a due-date bucket in the reader's day, as API filters. */
function dueFilter(when: When): { due_after?: string; due_before?: string } {
  const start = new Date()
  start.setHours(0, 0, 0, 0)
  const end = new Date(start)
  end.setDate(end.getDate() + 1)
  if (when === 'overdue') return { due_before: start.toISOString() }
  if (when === 'today') return { due_after: start.toISOString(), due_before: end.toISOString() }
  return { due_after: end.toISOString() }
}

export function TasksPage() {
  const { session } = useSession()
  const [whose, setWhose] = useState<Whose>('mine')
  const [when, setWhen] = useState<When>('today')
  const [announcement, setAnnouncement] = useState('')
  const [actionError, setActionError] = useState<unknown>(null)

  const tasks = useLoad(async () => {
    const list = await api<List<Task>>(
      'GET',
      `/api/v1/tasks${query({
        status: 'open',
        assignee_id: whose === 'mine' ? session.user.id : undefined,
        sort: when === 'overdue' ? '-due_at' : 'due_at',
        limit: 100,
        ...dueFilter(when),
      })}`,
    )
    const [contacts, users] = await Promise.all([
      loadContactNames(list.data.flatMap((t) => (t.contact_id ? [t.contact_id] : []))),
      loadUsers(),
    ])
    return { list, contacts, users }
  }, [whose, when])
  useLiveEvents(['task.'], () => tasks.reload())

  const complete = async (task: Task) => {
    setActionError(null)
    try {
      await api('POST', `/api/v1/tasks/${task.id}/complete`)
      setAnnouncement(`Completed: ${task.title}.`)
      tasks.reload()
    } catch (error) {
      setActionError(error)
    }
  }

  return (
    <Page title="Tasks" intro="What to do next: yours or everyone's, by due date. Complete one with a click.">
      <NewTask
        onCreated={(t) => {
          setAnnouncement(`Created: ${t.title}.`)
          tasks.reload()
        }}
      />
      <div class="filters">
        <fieldset class="view-switch">
          <legend class="sr-only">Whose tasks</legend>
          <button
            type="button"
            class="secondary small"
            aria-pressed={whose === 'mine'}
            onClick={() => setWhose('mine')}
          >
            Mine
          </button>
          <button type="button" class="secondary small" aria-pressed={whose === 'all'} onClick={() => setWhose('all')}>
            All
          </button>
        </fieldset>
        <fieldset class="view-switch">
          <legend class="sr-only">When due</legend>
          {(Object.keys(WHEN_LABELS) as When[]).map((w) => (
            <button key={w} type="button" class="secondary small" aria-pressed={when === w} onClick={() => setWhen(w)}>
              {WHEN_LABELS[w]}
            </button>
          ))}
        </fieldset>
      </div>
      <div class="sr-only" role="status" aria-live="polite" data-testid="tasks-announcer">
        {announcement}
      </div>
      <ErrorNote error={tasks.error ?? actionError} />
      <h2>
        {WHEN_LABELS[when]} · {whose === 'mine' ? 'mine' : 'everyone'}
      </h2>
      {!tasks.data && !tasks.error && <Loading what="tasks" />}
      {tasks.data?.list.data.length === 0 && <p class="muted">Nothing here.</p>}
      {tasks.data && tasks.data.list.data.length > 0 && (
        <ul class="plain task-list">
          {tasks.data.list.data.map((t) => {
            const contact = t.contact_id ? tasks.data!.contacts.get(t.contact_id) : undefined
            const assignee = t.assignee_id ? tasks.data!.users.get(t.assignee_id) : undefined
            return (
              <li key={t.id} class={`task-row${when === 'overdue' ? ' overdue' : ''}`}>
                <button type="button" class="secondary small" onClick={() => complete(t)}>
                  Complete<span class="sr-only"> {t.title}</span>
                </button>
                <span class="task-title">{t.title}</span>
                {contact && t.contact_id && <Link href={`/app/contacts/${t.contact_id}`}>{contact}</Link>}
                {whose === 'all' && <span class="muted small">{assignee?.name ?? 'Unassigned'}</span>}
                <span class="task-due small">{t.due_at ? formatDateTime(t.due_at) : 'No due date'}</span>
              </li>
            )
          })}
        </ul>
      )}
    </Page>
  )
}

function NewTask(props: { onCreated: (task: Task) => void }) {
  const { session } = useSession()
  const [title, setTitle] = useState('')
  const [due, setDue] = useState('')
  const [contactId, setContactId] = useState('')
  const submit = useSubmit(async () => {
    const task = await api<Task>('POST', '/api/v1/tasks', {
      title,
      assignee_id: session.user.id,
      ...(due ? { due_at: new Date(due).toISOString() } : {}),
      ...(contactId ? { contact_id: contactId } : {}),
    })
    setTitle('')
    setDue('')
    setContactId('')
    props.onCreated(task)
  })
  return (
    <details class="panel">
      <summary>New task</summary>
      <form onSubmit={submit.onSubmit} class="grid-form">
        <Field label="Title">
          {(id) => (
            <input id={id} required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Due">
          {(id) => <input id={id} type="datetime-local" value={due} onInput={(e) => setDue(e.currentTarget.value)} />}
        </Field>
        <ContactPicker value={contactId} onChange={setContactId} />
        <div>
          <button type="submit" disabled={submit.busy}>
            Create task
          </button>
        </div>
        <ErrorNote error={submit.error} />
      </form>
    </details>
  )
}
