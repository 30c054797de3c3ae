import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { emit, updatedData } from '../../outbox/emit.js'
import { assertLinksExist } from '../timeline/links.js'
import { activityDeleted, activityUpdated } from './activities.events.js'
import {
  type ActivityRow,
  type ActivityValues,
  deleteActivity,
  findActivity,
  listActivities,
  updateActivity,
} from './activities.repo.js'
import type { Activity, ActivityCreate, ActivityListQuery, ActivityUpdate } from './activities.schemas.js'
import { logActivity } from './log-activity.js'

export function toActivity(row: ActivityRow): Activity {
  return {
    id: row.id,
    object: 'activity',
    type: row.type,
    summary: row.summary,
    body: row.body,
    occurred_at: row.occurred_at.toISOString(),
    duration_minutes: row.duration_minutes,
    contact_id: row.contact_id,
    deal_id: row.deal_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

export class ActivitiesService {
  constructor(private readonly db: Db) {}

  /** Logs an activity (occurring now unless said) and emits `activity.created`. */
  async create(scope: TenantScope, input: ActivityCreate): Promise<Activity> {
    return inTransaction(this.db, async (tx) => {
      await assertLinksExist(tx, scope, input)
      const now = new Date()
      const activity = toActivity(
        await logActivity(tx, scope, {
          id: newId('activity'),
          type: input.type,
          summary: input.summary,
          body: input.body ?? null,
          occurred_at: input.occurred_at ? new Date(input.occurred_at) : now,
          duration_minutes: input.duration_minutes ?? null,
          contact_id: input.contact_id ?? null,
          deal_id: input.deal_id ?? null,
          created_at: now,
          updated_at: now,
        }),
      )
      return activity
    })
  }

  async get(scope: TenantScope, id: string): Promise<Activity> {
    const row = await findActivity(this.db, scope, id)
    if (!row) throw notFound(id)
    return toActivity(row)
  }

  list(scope: TenantScope, query: ActivityListQuery & PageParams) {
    return listActivities(this.db, scope, query).then((page) => ({ ...page, data: page.data.map(toActivity) }))
  }

  /**
   * Corrects an activity and emits `activity.updated` with the fields whose value changed (nothing
   * for a no-op). With `ifMatch`, applies only if the activity still has that ETag (else 412).
   */
  async update(
    scope: TenantScope,
    id: string,
    input: ActivityUpdate,
    opts: { ifMatch?: string } = {},
  ): Promise<Activity> {
    return inTransaction(this.db, async (tx) => {
      const current = await findActivity(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      const before = toActivity(current)
      assertIfMatch(opts.ifMatch, before)
      await assertLinksExist(tx, scope, {
        contact_id: input.contact_id !== before.contact_id ? input.contact_id : undefined,
        deal_id: input.deal_id !== before.deal_id ? input.deal_id : undefined,
      })
      const patch: Record<string, unknown> = {}
      for (const field of [
        'type',
        'summary',
        'body',
        'occurred_at',
        'duration_minutes',
        'contact_id',
        'deal_id',
      ] as const) {
        const value = input[field]
        if (value === undefined) continue
        const normalized = field === 'occurred_at' ? new Date(value as string).toISOString() : value
        if (normalized !== before[field]) patch[field] = normalized
      }
      if (Object.keys(patch).length === 0) return before
      const activity = toActivity(await updateActivity(tx, scope, id, patch as ActivityValues))
      await emit(tx, scope, activityUpdated, updatedData(id, patch, activity))
      return activity
    })
  }

  /** Deletes the activity and emits `activity.deleted` with it as it was. With `ifMatch`, 412 on a stale ETag. */
  async remove(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Activity> {
    return inTransaction(this.db, async (tx) => {
      if (opts.ifMatch !== undefined) {
        const current = await findActivity(tx, scope, id, { forUpdate: true })
        if (!current) throw notFound(id)
        assertIfMatch(opts.ifMatch, toActivity(current))
      }
      const row = await deleteActivity(tx, scope, id)
      if (!row) throw notFound(id)
      const activity = toActivity(row)
      await emit(tx, scope, activityDeleted, activity)
      return activity
    })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Activity ${id} not found`)
}
