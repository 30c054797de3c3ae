import { api, type List, query } from '../../api.js'
import { formatDate } from '../../format.js'
import { useSession } from '../../session.js'
import type { Booking, Contact, Deal, Notification, Task } from '../../types.js'
import { ErrorNote, Link, Loading, Page, Time, useLoad } from '../../ui.js'
import { useLiveEvents } from '../../workspace/live.js'
import { formatMoney } from '../../workspace/money.js'

interface HomeData {
  tasks: Task[]
  deals: Deal[]
  leads: Contact[]
  bookings: Booking[]
  /** Null when the role may not read notifications. */
  notifications: Notification[] | null
}

/** A list whose loading failed with 403 (the role may not read it) becomes null; other errors throw. */
const orNullIfForbidden = <T,>(p: Promise<T>) =>
  p.catch((error: { status?: number }) => {
    if (error.status === 403) return null
    throw error
  })

/** Home for everyone signed in: what needs them today, from the API's lists filtered to them. */
export function HomePage() {
  const { session } = useSession()
  const me = session.user.id
  const loaded = useLoad<HomeData>(async () => {
    const endOfToday = new Date()
    endOfToday.setHours(23, 59, 59, 999)
    const [tasks, deals, leads, bookings, notifications] = await Promise.all([
      api<List<Task>>(
        'GET',
        `/api/v1/tasks${query({ assignee_id: me, status: 'open', due_before: endOfToday.toISOString(), sort: 'due_at', limit: 100 })}`,
      ),
      api<List<Deal>>('GET', `/api/v1/deals${query({ owner_id: me, status: 'open', limit: 100 })}`),
      api<List<Contact>>('GET', `/api/v1/contacts${query({ status: 'lead', sort: '-created_at', limit: 5 })}`),
      api<List<Booking>>(
        'GET',
        `/api/v1/bookings${query({ user_id: me, status: 'confirmed', starts_after: new Date().toISOString(), sort: 'start_time', limit: 5 })}`,
      ),
      orNullIfForbidden(api<List<Notification>>('GET', `/api/v1/notifications${query({ unread: 'true', limit: 5 })}`)),
    ])
    return {
      tasks: tasks.data,
      deals: deals.data,
      leads: leads.data,
      bookings: bookings.data,
      notifications: notifications?.data ?? null,
    }
  }, [me])
  useLiveEvents(['task.', 'deal.', 'contact.', 'booking.', 'lead.'], () => loaded.reload())

  const data = loaded.data
  return (
    <Page title="Home" intro={`Good to see you, ${session.user.name}. What needs you today:`}>
      <ErrorNote error={loaded.error} />
      {!data ? (
        loaded.loading && <Loading what="your day" />
      ) : (
        <div class="home-grid">
          <TasksCard tasks={data.tasks} />
          <DealsCard deals={data.deals} />
          <section class="panel" aria-labelledby="home-leads">
            <h2 id="home-leads">Recent leads</h2>
            {data.leads.length === 0 ? (
              <p class="muted">No leads yet.</p>
            ) : (
              <ul class="plain">
                {data.leads.map((c) => (
                  <li key={c.id}>
                    <Link href={`/app/contacts/${c.id}`}>{c.name ?? c.email ?? c.id}</Link>{' '}
                    <span class="muted small">
                      <Time iso={c.created_at} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="panel" aria-labelledby="home-bookings">
            <h2 id="home-bookings">Upcoming bookings</h2>
            {data.bookings.length === 0 ? (
              <p class="muted">No upcoming bookings.</p>
            ) : (
              <ul class="plain">
                {data.bookings.map((b) => (
                  <li key={b.id}>
                    <Time iso={b.start_time} /> · {b.event_type_title} with {b.guest_name}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {data.notifications && (
            <section class="panel" aria-labelledby="home-notifications">
              <h2 id="home-notifications">Unread notifications</h2>
              {data.notifications.length === 0 ? (
                <p class="muted">You are all caught up.</p>
              ) : (
                <ul class="plain">
                  {data.notifications.map((n) => (
                    <li key={n.id}>
                      {n.contact_id ? <Link href={`/app/contacts/${n.contact_id}`}>{n.title}</Link> : n.title}{' '}
                      <span class="muted small">
                        <Time iso={n.created_at} />
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
        </div>
      )}
    </Page>
  )
}

function TasksCard(props: { tasks: Task[] }) {
  const startOfToday = new Date()
  startOfToday.setHours(0, 0, 0, 0)
  const overdue = props.tasks.filter((t) => t.due_at && new Date(t.due_at) < startOfToday)
  const today = props.tasks.filter((t) => !overdue.includes(t))
  const list = (tasks: Task[], empty: string) =>
    tasks.length === 0 ? (
      <p class="muted">{empty}</p>
    ) : (
      <ul class="plain">
        {tasks.map((t) => (
          <li key={t.id}>
            {t.contact_id ? <Link href={`/app/contacts/${t.contact_id}`}>{t.title}</Link> : t.title}{' '}
            {t.due_at && <span class="muted small">due {formatDate(t.due_at)}</span>}
          </li>
        ))}
      </ul>
    )
  return (
    <section class="panel" aria-labelledby="home-tasks">
      <h2 id="home-tasks">My tasks</h2>
      <h3>Overdue ({overdue.length})</h3>
      {list(overdue, 'Nothing overdue.')}
      <h3>Due today ({today.length})</h3>
      {list(today, 'Nothing due today.')}
    </section>
  )
}

function DealsCard(props: { deals: Deal[] }) {
  const byStage = new Map<string, Deal[]>()
  for (const deal of props.deals) byStage.set(deal.stage, [...(byStage.get(deal.stage) ?? []), deal])
  return (
    <section class="panel" aria-labelledby="home-deals">
      <h2 id="home-deals">My open deals</h2>
      {props.deals.length === 0 ? (
        <p class="muted">No open deals.</p>
      ) : (
        <dl class="stages">
          {[...byStage].map(([stage, deals]) => (
            <div key={stage}>
              <dt>
                {stage} ({deals.length})
              </dt>
              {deals.map((d) => (
                <dd key={d.id}>
                  {d.title}
                  <span class="muted small"> · {formatMoney(d.value, d.currency)}</span>
                </dd>
              ))}
            </div>
          ))}
        </dl>
      )}
    </section>
  )
}
