import { type Selectable, sql } from 'kysely'
import { ApiError } from '../../../core/errors.js'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { Principal, TenantScope } from '../../../core/tenancy.js'
import type { Db, Executor, Tx } from '../../../db/schema.js'
import type { CallbacksTable } from '../../../db/schema-leads.js'
import { inTransaction } from '../../../db/transaction.js'
import { isoOrNull as iso } from '../../../lib/clock.js'
import { newId } from '../../../lib/ids.js'
import { actorId } from '../../../outbox/actor.js'
import { emit } from '../../../outbox/emit.js'
import { taskCompleted, taskCreated } from '../../tasks/tasks.events.js'
import { insertTask } from '../../tasks/tasks.repo.js'
import { callbackCompleted, callbackScheduled } from '../leads.events.js'
import { insertNotification } from '../notifications/notifications.service.js'
import { NEWEST_FIRST } from '../schema-parts.js'
import type { Callback, CallbackListQuery } from './callbacks.schemas.js'

type CallbackRow = Omit<Selectable<CallbacksTable>, 'org_id' | 'livemode'>
const COLUMNS = [
  'id',
  'contact_id',
  'form_response_id',
  'team_id',
  'task_id',
  'phone',
  'preferred_time',
  'status',
  'completed_at',
  'created_at',
  'updated_at',
] as const

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
  await tx
    .insertInto('callbacks')
    .values({
      id,
      org_id: scope.orgId,
      livemode: scope.livemode,
      contact_id: request.contactId,
      form_response_id: request.formResponseId,
      team_id: request.teamId,
      task_id: task.id,
      phone: request.phone,
      preferred_time: request.preferredTime,
      created_at: now,
      updated_at: now,
    })
    .execute()
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

function findCallback(db: Executor, scope: TenantScope, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db
    .selectFrom('callbacks')
    .select(COLUMNS)
    .where('org_id', '=', scope.orgId)
    .where('livemode', '=', scope.livemode)
    .where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export class CallbacksService {
  constructor(private readonly db: Db) {}

  async get(scope: TenantScope, id: string): Promise<Callback> {
    const row = await findCallback(this.db, scope, id)
    if (!row) throw notFound(id)
    return toCallback(row)
  }

  async list(scope: TenantScope, query: CallbackListQuery & PageParams) {
    let q = this.db.selectFrom('callbacks').where('org_id', '=', scope.orgId).where('livemode', '=', scope.livemode)
    if (query.status !== undefined) q = q.where('status', '=', query.status)
    if (query.contact_id !== undefined) q = q.where('contact_id', '=', query.contact_id)
    if (query.team_id !== undefined) q = q.where('team_id', '=', query.team_id)
    if (query.created_after !== undefined) q = q.where('created_at', '>=', new Date(query.created_after))
    if (query.created_before !== undefined) q = q.where('created_at', '<', new Date(query.created_before))
    const page = await paginate(
      q,
      (qb) => qb.select(COLUMNS),
      sql<string>`id`,
      { ...NEWEST_FIRST, expression: sql`created_at` },
      query,
    )
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
      const row = await tx
        .updateTable('callbacks')
        .set({
          status: 'completed',
          completed_at: sql`now()`,
          updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
        })
        .where('org_id', '=', principal.orgId)
        .where('livemode', '=', principal.livemode)
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow()
      if (current.task_id) {
        const task = await tx
          .updateTable('tasks')
          .set({
            status: 'completed',
            completed_at: sql`now()`,
            completed_by: actorId(principal),
            updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
          })
          .where('org_id', '=', principal.orgId)
          .where('livemode', '=', principal.livemode)
          .where('id', '=', current.task_id)
          .where('status', '=', 'open')
          .returning(['id', 'title', 'completed_by'])
          .executeTakeFirst()
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
