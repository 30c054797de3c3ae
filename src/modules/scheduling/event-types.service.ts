import { ApiError, invalidField } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { Principal } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import type { Clock } from '../../lib/clock.js'
import { newId } from '../../lib/ids.js'
import { assertNoErrors, validateEventTypeSettings } from '../../slot-engine/index.js'
import { isUserOf } from '../users/users.repo.js'
import { countUpcomingBookings } from './bookings.repo.js'
import {
  deleteEventType,
  type EventTypeRow,
  findEventType,
  insertEventType,
  listEventTypes,
  updateEventType,
} from './event-types.repo.js'
import type {
  EventType,
  EventTypeCreate,
  EventTypeListQuery,
  EventTypeUpdate,
  HostEventTypeListQuery,
} from './event-types.schemas.js'

export function toEventType(row: EventTypeRow): EventType {
  return {
    id: row.id,
    object: 'event_type',
    user_id: row.user_id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    location: row.location,
    duration_minutes: row.duration_minutes,
    buffer_before_minutes: row.buffer_before_minutes,
    buffer_after_minutes: row.buffer_after_minutes,
    minimum_notice_minutes: row.minimum_notice_minutes,
    slot_step_minutes: row.slot_step_minutes,
    max_per_day: row.max_per_day,
    booking_window_days: row.booking_window_days,
    active: row.active,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

/** Event types, availability and users are shared by live and test mode: only live keys change them. */
export function assertLive(principal: Principal, what: string) {
  if (!principal.livemode) {
    throw new ApiError('insufficient_scope', `${what} are shared by live and test mode: change them with a live key`)
  }
}

/** Throws the 422 naming `field` unless `userId` is a user of the organization. */
export async function assertHost(db: Executor, orgId: string, userId: string, field: string) {
  if (!(await isUserOf(db, orgId, userId))) throw invalidField(field, `No user ${userId} in this organization`)
}

function asDuplicate(err: unknown): never {
  const e = err as { code?: string; constraint?: string }
  if (e?.code === '23505' && e.constraint === 'event_types_slug') {
    throw new ApiError('already_exists', 'This host already has an event type with this slug', {
      details: [{ field: 'slug', message: "Already used by another of the host's event types" }],
    })
  }
  throw err
}

export class EventTypesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, input: EventTypeCreate): Promise<EventType> {
    assertLive(principal, 'Event types')
    assertNoErrors(validateEventTypeSettings(input))
    await assertHost(this.db, principal.orgId, input.user_id, 'user_id')
    const row = await insertEventType(this.db, {
      id: newId('eventType'),
      org_id: principal.orgId,
      user_id: input.user_id,
      slug: input.slug,
      title: input.title,
      description: input.description ?? null,
      location: input.location ? JSON.stringify(input.location) : null,
      duration_minutes: input.duration_minutes,
      buffer_before_minutes: input.buffer_before_minutes ?? 0,
      buffer_after_minutes: input.buffer_after_minutes ?? 0,
      minimum_notice_minutes: input.minimum_notice_minutes ?? 0,
      slot_step_minutes: input.slot_step_minutes ?? null,
      max_per_day: input.max_per_day ?? null,
      booking_window_days: input.booking_window_days ?? null,
      active: input.active ?? true,
    }).catch(asDuplicate)
    return toEventType(row)
  }

  async get(principal: Principal, id: string): Promise<EventType> {
    const row = await findEventType(this.db, principal.orgId, id)
    if (!row) throw notFound(id)
    return toEventType(row)
  }

  /** The organization's event types (`GET /api/v1/booking_event_types`), oldest first. */
  async list(principal: Principal, query: EventTypeListQuery & PageParams) {
    const page = await listEventTypes(this.db, principal.orgId, query)
    return { ...page, data: page.data.map(toEventType) }
  }

  /** One host's event types (`GET /api/v1/users/:id/event_types`); an unknown host is a 404. */
  async listOfHost(principal: Principal, userId: string, query: HostEventTypeListQuery & PageParams) {
    if (!(await isUserOf(this.db, principal.orgId, userId))) throw new ApiError('not_found', `User ${userId} not found`)
    return this.list(principal, { ...query, user_id: userId })
  }

  async update(
    principal: Principal,
    id: string,
    input: EventTypeUpdate,
    opts: { ifMatch?: string } = {},
  ): Promise<EventType> {
    assertLive(principal, 'Event types')
    return inTransaction(this.db, async (tx) => {
      const current = await findEventType(tx, principal.orgId, id, { forUpdate: true })
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toEventType(current))
      assertNoErrors(validateEventTypeSettings({ ...toEventType(current), ...input }))
      const { location, ...rest } = input
      const row = await updateEventType(tx, principal.orgId, id, {
        ...rest,
        ...(location !== undefined ? { location: location ? JSON.stringify(location) : null } : {}),
      })
      return toEventType(row)
    }).catch(asDuplicate)
  }

  /**
   * Deletes an event type that has no confirmed booking still to come (else 409: cancel those or
   * deactivate it). Past bookings keep its slug and title; their link to it is cleared.
   */
  async remove(principal: Principal, id: string, opts: { ifMatch?: string } = {}): Promise<EventType> {
    assertLive(principal, 'Event types')
    return inTransaction(this.db, async (tx) => {
      const current = await findEventType(tx, principal.orgId, id, { forUpdate: true })
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toEventType(current))
      // Both modes count: a test-mode booking could only exist if made by a future test booking page.
      const upcoming = await countUpcomingBookings(tx, { eventTypeId: id }, this.clock.nowMs())
      if (upcoming > 0) {
        throw new ApiError(
          'conflict',
          `This event type has ${upcoming} upcoming confirmed booking(s): cancel them first, or set active to false`,
        )
      }
      await deleteEventType(tx, principal.orgId, id)
      return toEventType(current)
    })
  }
}

export function notFound(id: string) {
  return new ApiError('not_found', `Event type ${id} not found`)
}
