import { type Insertable, type Selectable, sql, type Updateable } from 'kysely'
import { type PageParams, paginate, type SortSpec } from '../../core/pagination.js'
import type { Executor } from '../../db/schema.js'
import type { EventTypesTable } from '../../db/schema-scheduling.js'

export type EventTypeRow = Selectable<EventTypesTable>

export const EVENT_TYPE_COLUMNS = [
  'id',
  'org_id',
  'user_id',
  'slug',
  'title',
  'description',
  'duration_minutes',
  'location',
  'buffer_before_minutes',
  'buffer_after_minutes',
  'minimum_notice_minutes',
  'slot_step_minutes',
  'max_per_day',
  'booking_window_days',
  'active',
  'created_at',
  'updated_at',
] as const

/** The host's active event type with this slug (case-insensitively): what a booking page offers. */
export function findActiveEventTypeBySlug(
  executor: Executor,
  userId: string,
  slug: string,
): Promise<EventTypeRow | undefined> {
  return executor
    .selectFrom('event_types')
    .select(EVENT_TYPE_COLUMNS)
    .where('user_id', '=', userId)
    .where(sql<boolean>`lower(slug) = lower(${slug})`)
    .where('active', '=', true)
    .executeTakeFirst()
}

/** An event type by id alone: a booking's, whose organization the booking already proved. */
export function getEventTypeById(executor: Executor, id: string): Promise<EventTypeRow> {
  return executor.selectFrom('event_types').select(EVENT_TYPE_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow()
}

/*
 * Event types belong to an organization and are shared by its live and test mode (as their hosts
 * are): the functions below take the organization's id.
 */

export function findEventType(
  executor: Executor,
  orgId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<EventTypeRow | undefined> {
  let q = executor.selectFrom('event_types').select(EVENT_TYPE_COLUMNS).where('org_id', '=', orgId).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export function insertEventType(executor: Executor, row: Insertable<EventTypesTable>): Promise<EventTypeRow> {
  return executor.insertInto('event_types').values(row).returning(EVENT_TYPE_COLUMNS).executeTakeFirstOrThrow()
}

export function updateEventType(
  executor: Executor,
  orgId: string,
  id: string,
  values: Updateable<EventTypesTable>,
): Promise<EventTypeRow> {
  return executor
    .updateTable('event_types')
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returning(EVENT_TYPE_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function deleteEventType(executor: Executor, orgId: string, id: string): Promise<void> {
  await executor.deleteFrom('event_types').where('org_id', '=', orgId).where('id', '=', id).execute()
}

const SORT: SortSpec = { name: 'created_at', expression: sql`created_at`, castTo: 'timestamptz', descending: false }

/** The organization's event types, of one host or active or not when asked, oldest first. */
export function listEventTypes(
  executor: Executor,
  orgId: string,
  query: { user_id?: string; active?: boolean } & PageParams,
) {
  let q = executor.selectFrom('event_types').where('org_id', '=', orgId)
  if (query.user_id !== undefined) q = q.where('user_id', '=', query.user_id)
  if (query.active !== undefined) q = q.where('active', '=', query.active)
  return paginate(q, (qb) => qb.select(EVENT_TYPE_COLUMNS), sql<string>`id`, SORT, query)
}
