import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { Principal, TenantScope } from '../../core/tenancy.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { isoOrNull as iso } from '../../lib/clock.js'
import { newId } from '../../lib/ids.js'
import { actorId } from '../../outbox/actor.js'
import { emit, updatedData } from '../../outbox/emit.js'
import { assertLinksExist } from '../timeline/links.js'
import { taskCompleted, taskCreated, taskDeleted, taskUpdated } from './tasks.events.js'
import { deleteTask, findTask, insertTask, listTasks, type TaskRow, type TaskValues, updateTask } from './tasks.repo.js'
import type { Task, TaskCreate, TaskListQuery, TaskUpdate } from './tasks.schemas.js'

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    object: 'task',
    title: row.title,
    description: row.description,
    due_at: iso(row.due_at),
    status: row.status,
    assignee_id: row.assignee_id,
    contact_id: row.contact_id,
    deal_id: row.deal_id,
    completed_at: iso(row.completed_at),
    completed_by: row.completed_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

/** Emits `task.completed` for a task that has just become completed. */
function emitCompleted(tx: Executor, scope: TenantScope, task: Task) {
  return emit(tx, scope, taskCompleted, { id: task.id, title: task.title, completed_by: task.completed_by })
}

export class TasksService {
  constructor(private readonly db: Db) {}

  /** Creates a task (`task.created`); one created as completed also emits `task.completed`. */
  async create(principal: Principal, input: TaskCreate): Promise<Task> {
    return inTransaction(this.db, async (tx) => {
      await assertLinksExist(tx, principal, input)
      const now = new Date()
      const isCompleted = input.status === 'completed'
      const row = await insertTask(tx, principal, {
        id: newId('task'),
        title: input.title,
        description: input.description ?? null,
        due_at: input.due_at ? new Date(input.due_at) : null,
        status: input.status ?? 'open',
        assignee_id: input.assignee_id ?? null,
        contact_id: input.contact_id ?? null,
        deal_id: input.deal_id ?? null,
        completed_at: isCompleted ? now : null,
        completed_by: isCompleted ? actorId(principal) : null,
        created_at: now,
        updated_at: now,
      })
      const task = toTask(row)
      await emit(tx, principal, taskCreated, {
        id: task.id,
        title: task.title,
        due_at: task.due_at,
        assignee_id: task.assignee_id,
      })
      if (isCompleted) await emitCompleted(tx, principal, task)
      return task
    })
  }

  async get(scope: TenantScope, id: string): Promise<Task> {
    const row = await findTask(this.db, scope, id)
    if (!row) throw notFound(id)
    return toTask(row)
  }

  list(scope: TenantScope, query: TaskListQuery & PageParams) {
    return listTasks(this.db, scope, query).then((page) => ({ ...page, data: page.data.map(toTask) }))
  }

  /**
   * Applies the given fields and emits `task.updated` with the fields whose value changed. Moving
   * to `completed` sets `completed_at` and `completed_by` (the acting person, else the key: see
   * `actorId`) and also emits `task.completed`; moving back to `open` clears both. With `ifMatch`,
   * applies only if the task still has that ETag (else 412).
   */
  async update(principal: Principal, id: string, input: TaskUpdate, opts: { ifMatch?: string } = {}): Promise<Task> {
    return inTransaction(this.db, async (tx) => {
      const current = await findTask(tx, principal, id, { forUpdate: true })
      if (!current) throw notFound(id)
      const before = toTask(current)
      assertIfMatch(opts.ifMatch, before)
      await assertLinksExist(tx, principal, {
        contact_id: input.contact_id !== before.contact_id ? input.contact_id : undefined,
        deal_id: input.deal_id !== before.deal_id ? input.deal_id : undefined,
        assignee_id: input.assignee_id !== before.assignee_id ? input.assignee_id : undefined,
      })
      const patch: Record<string, unknown> = {}
      for (const field of [
        'title',
        'description',
        'due_at',
        'status',
        'assignee_id',
        'contact_id',
        'deal_id',
      ] as const) {
        const value = input[field]
        if (value === undefined) continue
        const normalized = field === 'due_at' && value !== null ? new Date(value).toISOString() : value
        if (normalized !== before[field]) patch[field] = normalized
      }
      if (patch.status === 'completed') {
        patch.completed_at = new Date().toISOString()
        patch.completed_by = actorId(principal)
      } else if (patch.status === 'open') {
        patch.completed_at = null
        patch.completed_by = null
      }
      if (Object.keys(patch).length === 0) return before
      const task = toTask(await updateTask(tx, principal, id, patch as TaskValues))
      await emit(tx, principal, taskUpdated, updatedData(id, patch, task))
      if (patch.status === 'completed') await emitCompleted(tx, principal, task)
      return task
    })
  }

  /** Completes the task (as `PATCH {status: "completed"}`); an already completed task is returned unchanged. */
  complete(principal: Principal, id: string, opts: { ifMatch?: string } = {}): Promise<Task> {
    return this.update(principal, id, { status: 'completed' }, opts)
  }

  /** Deletes the task and emits `task.deleted` with the task as it was. With `ifMatch`, 412 on a stale ETag. */
  async remove(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Task> {
    return inTransaction(this.db, async (tx) => {
      if (opts.ifMatch !== undefined) {
        const current = await findTask(tx, scope, id, { forUpdate: true })
        if (!current) throw notFound(id)
        assertIfMatch(opts.ifMatch, toTask(current))
      }
      const row = await deleteTask(tx, scope, id)
      if (!row) throw notFound(id)
      const task = toTask(row)
      await emit(tx, scope, taskDeleted, task)
      return task
    })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Task ${id} not found`)
}
