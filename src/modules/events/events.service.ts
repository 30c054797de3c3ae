import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { Principal } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { EventCatalog } from '../../outbox/define.js'
import { hiddenEventTypes } from './events.access.js'
import {
  type EventRow,
  eventCreatedAt,
  eventsSince,
  findEvent,
  isKeyLive,
  isSessionLive,
  listEvents,
} from './events.repo.js'

/** The webhook envelope of a stored event: what deliveries, the event list and the stream show. */
export const toEvent = (r: EventRow) => ({
  id: r.id,
  event: r.type,
  timestamp: r.created_at.toISOString(),
  data: r.data,
})

/** The event log and the event stream's reads, limited to what the caller may read. */
export class EventsService {
  constructor(
    private readonly db: Db,
    private readonly catalog: EventCatalog,
    private readonly clock: Clock,
  ) {}

  /** Event types the caller may not read (see events.access.ts). */
  hiddenFor(principal: Principal): string[] {
    return hiddenEventTypes(this.catalog, principal)
  }

  async list(principal: Principal, query: { type?: string } & PageParams) {
    const page = await listEvents(this.db, principal, query, this.hiddenFor(principal))
    return { ...page, data: page.data.map(toEvent) }
  }

  async get(principal: Principal, id: string) {
    const row = await findEvent(this.db, principal, id, this.hiddenFor(principal))
    if (!row) throw new ApiError('not_found', `Event ${id} not found`)
    return toEvent(row)
  }

  /** When the event a stream resumes after was committed; undefined for an id of no event of the scope. */
  startOf(principal: Principal, afterId: string): Promise<Date | undefined> {
    return eventCreatedAt(this.db, principal, afterId)
  }

  /** Up to `limit` readable events committed at or after `since`, oldest first. */
  since(principal: Principal, since: Date, limit: number, hidden: readonly string[]): Promise<EventRow[]> {
    return eventsSince(this.db, principal, since, limit, hidden)
  }

  /**
   * Whether the credential a stream was opened with still works now: the dashboard session
   * (signed out, revoked, expired, or its user's sign-in removed ends it) or the API key (revoked
   * or expired ends it).
   */
  stillSignedIn(principal: Principal, sessionId: string | undefined): Promise<boolean> {
    const now = new Date(this.clock.nowMs())
    return sessionId !== undefined ? isSessionLive(this.db, sessionId, now) : isKeyLive(this.db, principal.keyId, now)
  }
}
