import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { emit } from '../../outbox/emit.js'
import { activityCreated } from './activities.events.js'
import { type ActivityRow, insertActivity } from './activities.repo.js'

/**
 * Writes an activity and its `activity.created`, in the caller's transaction: the one builder of
 * that payload, used by the activities API, lead capture, bookings and email.
 */
export async function logActivity(tx: Executor, scope: TenantScope, row: ActivityRow): Promise<ActivityRow> {
  const activity = await insertActivity(tx, scope, row)
  await emit(tx, scope, activityCreated, {
    id: activity.id,
    type: activity.type,
    contact_id: activity.contact_id,
    summary: activity.summary,
  })
  return activity
}
