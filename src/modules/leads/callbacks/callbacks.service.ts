import { ApiError } from '../../../core/errors.js'
import type { PageParams } from '../../../core/pagination.js'
import type { Principal, TenantScope } from '../../../core/tenancy.js'
import type { Db, Tx } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import { isoOrNull as iso } from '../../../lib/clock.js'
import { newId } from '../../../lib/ids.js'
import { actorId } from '../../../outbox/actor.js'
import { emit } from '../../../outbox/emit.js'
import { taskCompleted, taskCreated } from '../../tasks/tasks.events.js'
import { completeOpenTask, insertTask } from '../../tasks/tasks.repo.js'
import { callbackCompleted, callbackScheduled } from '../leads.events.js'
import { insertNotification } from '../notifications/notifications.repo.js'
import {
  type CallbackRow,
  findCallback,
  insertCallback,
  listCallbacks,
  markCallbackCompleted,
} from './callbacks.repo.js'
import type { Callback, CallbackListQuery } from './callbacks.schemas.js'

export function toCallback(row: CallbackRow): Callback {
  return {
    id: row.id,
    object: 'callback',
    contact_id: row.contact_id,
    form_response_id: row.form_response_id,
    team_id: row.team_id,
    task_id: row.task_id,
    phone: row.phone,
    preferred_time: iso(row.preferred_time),
    status: row.status,
    completed_at: iso(row.completed_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

export interface CallbackRequest {
  contactId: string
  who: string
  phone: string
  preferredTime: Date | null
  formResponseId: string
  teamId: string | null
}

/**
 * Schedules a callback in the caller's transaction: a task for the team, due at the preferred time
 * (or now: as soon as possible), the callback row, a notification, and `task.created` then
 * `callback.scheduled`.
 */
export async function scheduleCallback(tx: Tx, scope: TenantScope, request: CallbackRequest): Promise<string> {
  const now = new Date()
  const task = await insertTask(tx, scope, {
    id: newId('task'),
    title: `Call back ${request.who}`.slice(0, 200),
    description: `Requested from a form response (${request.formResponseId}); phone ${request.phone}`,
    due_at: request.preferredTime ?? now,
    status: 'open',
    assignee_id: null,
    contact_id: request.contactId,
    deal_id: null,
    completed_at: null,
    completed_by: null,
    created_at: now,
    updated_at: now,
  })
  const id = newId('callback')
  await insertCallback(tx, scope, {
    id,
    contact_id: request.contactId,
    form_response_id: request.formResponseId,
    team_id: request.teamId,
    task_id: task.id,
    phone: request.phone,
    preferred_time: request.preferredTime,
    created_at: now,
    updated_at: now,
  })
  await insertNotification(tx, scope, {
    type: 'callback.scheduled',
    title: `Callback requested by ${request.who}`.slice(0, 500),
    body: request.preferredTime ? `Preferred time: ${request.preferredTime.toISOString()}` : 'As soon as possible',
    contact_id: request.contactId,
    subject_id: id,
  })
  await emit(tx, scope, taskCreated, {
    id: task.id,
    title: task.title,
    due_at: iso(task.due_at),
    assignee_id: null,
  })
  await emit(tx, scope, callbackScheduled, {
    id,
    contact_id: request.contactId,
    preferred_time: iso(request.preferredTime),
  })
  return id
}

export class CallbacksService {
  constructor(private readonly db: Db) {}

  async get(scope: TenantScope, id: string): Promise<Callback> {
    const row = await findCallback(this.db, scope, id)
    if (!row) throw notFound(id)
    return toCallback(row)
  }

  async list(scope: TenantScope, query: CallbackListQuery & PageParams) {
    const page = await listCallbacks(this.db, scope, query)
    return { ...page, data: page.data.map(toCallback) }
  }

  /**
   * Completes a scheduled callback and its task (if still open), emitting `task.completed` and
   * `callback.completed`. A completed callback is a 409: completing twice would say it twice.
   */
  async complete(principal: Principal, id: string): Promise<Callback> {
    return inTransaction(this.db, async (tx) => {
      const current = await findCallback(tx, principal, id, { forUpdate: true })
      if (!current) throw notFound(id)
      if (current.status === 'completed') throw new ApiError('conflict', `Callback ${id} is already completed`)
      const row = await markCallbackCompleted(tx, principal, id)
      if (current.task_id) {
        const task = await completeOpenTask(tx, principal, current.task_id, actorId(principal))
        if (task) await emit(tx, principal, taskCompleted, task)
      }
      const callback = toCallback(row)
      await emit(tx, principal, callbackCompleted, { id, completed_at: callback.completed_at! })
      return callback
    })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Callback ${id} not found`)
}
