import { ApiFailure, api, type List, query } from '../../api.js'
import type { Item, Ok } from '../../types.js'
import { Badge, ErrorNote, Loading, Time, useLoad } from '../../ui.js'

type Email = Item<'listEmails'>
type TrackingEvent = Item<'listEmailTrackingEvents'>
type Suppression = Ok<'getSuppression'>

/** The latest emails shown on a contact's page; older ones are in the timeline. */
const SHOWN = 10

interface Engagement {
  opens: number
  clicks: number
  /** Every open and click was a machine's (a mail privacy proxy, a link scanner). */
  machinesOnly: boolean
}

const STATUS: Record<Email['status'], { label: string; tone: 'ok' | 'bad' | 'warn' | 'neutral' }> = {
  queued: { label: 'Queued', tone: 'neutral' },
  sent: { label: 'Sent', tone: 'ok' },
  delivered: { label: 'Delivered', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
}

const BOUNCES: Record<string, string> = {
  hard_bounce: 'It bounced for good',
  soft_bounces: 'It bounced again and again',
  complaint: 'Its owner marked a message as spam',
}

/** Opens and clicks of one email (GET /api/v1/emails/{id}/tracking, the first 100). */
async function engagementOf(emailId: string): Promise<Engagement> {
  const events = await api<List<TrackingEvent>>('GET', `/api/v1/emails/${emailId}/tracking${query({ limit: 100 })}`)
  const people = events.data.filter((e) => !e.machine)
  return {
    opens: people.filter((e) => e.type === 'open').length,
    clicks: people.filter((e) => e.type === 'click').length,
    machinesOnly: events.data.length > 0 && people.length === 0,
  }
}

/** The suppression of the contact's address, if it bounced or complained (404: it did not). */
async function suppressionOf(address: string | null): Promise<Suppression | null> {
  if (!address) return null
  try {
    return await api<Suppression>('GET', `/api/v1/suppressions/${encodeURIComponent(address)}`)
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 404) return null
    throw error
  }
}

/**
 * The contact's emails (GET /api/v1/emails?contact_id=), newest first: sent, delivered or failed,
 * opened and clicked by a person, and whether the address bounced (its suppression).
 */
export function ContactEmails(props: { contactId: string; address: string | null; round: number }) {
  const loaded = useLoad(async () => {
    const [emails, suppression] = await Promise.all([
      api<List<Email>>('GET', `/api/v1/emails${query({ contact_id: props.contactId, limit: SHOWN })}`),
      suppressionOf(props.address),
    ])
    const engagement = await Promise.all(
      emails.data.map((e) => (e.sent_at ? engagementOf(e.id) : Promise.resolve(undefined))),
    )
    return { emails: emails.data, engagement, suppression, more: emails.pagination.has_more }
  }, [props.contactId, props.address, props.round])
  const data = loaded.data
  return (
    <div>
      <ErrorNote error={loaded.error} />
      {!data && loaded.loading && <Loading what="emails" />}
      {data?.suppression && (
        <p class="note warn">
          {BOUNCES[data.suppression.reason] ?? 'This address is suppressed'} (<Time iso={data.suppression.created_at} />
          ): campaigns skip {data.suppression.email}.
        </p>
      )}
      {data && data.emails.length === 0 && <p class="muted">No emails yet.</p>}
      <ul class="plain email-list">
        {data?.emails.map((e, i) => {
          const status = STATUS[e.status]
          const seen = data.engagement[i]
          return (
            <li key={e.id} data-email={e.id}>
              <strong>{e.subject}</strong>{' '}
              <span class="muted small">
                <Time iso={e.sent_at ?? e.failed_at ?? e.created_at} />
              </span>
              <div class="email-marks">
                <Badge tone={status.tone}>{status.label}</Badge>
                {seen && seen.opens > 0 && <Badge tone="ok">Opened{seen.opens > 1 ? ` ${seen.opens}×` : ''}</Badge>}
                {seen && seen.clicks > 0 && <Badge tone="ok">Clicked{seen.clicks > 1 ? ` ${seen.clicks}×` : ''}</Badge>}
                {seen?.machinesOnly && <Badge tone="neutral">Opened by a machine only</Badge>}
              </div>
              {e.status === 'failed' && e.last_error && <p class="muted small">{e.last_error}</p>}
            </li>
          )
        })}
      </ul>
      {data?.more && <p class="muted small">The latest {SHOWN}; every email is in the timeline.</p>}
    </div>
  )
}
