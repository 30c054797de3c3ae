import { type Selectable, sql, type Updateable } from 'kysely'
import { type PageParams, paginate, type SortSpec } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { TasksTable } from '../../db/schema-timeline.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import type { TaskListQuery } from './tasks.schemas.js'

export type TaskRow = Omit<Selectable<TasksTable>, 'org_id' | 'livemode'>
export type TaskValues = Omit<Updateable<TasksTable>, 'id' | 'org_id' | 'livemode' | 'created_at' | 'updated_at'>

export const TASK_COLUMNS = [
  'id',
  'title',
  'description',
  'due_at',
  'status',
  'assignee_id',
  'contact_id',
  'deal_id',
  'completed_at',
  'completed_by',
  'created_at',
  'updated_at',
] as const

export async function insertTask(db: Executor, scope: TenantScope, row: TaskRow): Promise<TaskRow> {
  return db
    .insertInto('tasks')
    .values({ ...row, org_id: scope.orgId, livemode: scope.livemode })
    .returning(TASK_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findTask(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<TaskRow | undefined> {
  let q = scoped(db, 'tasks', scope).select(TASK_COLUMNS).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

/** Tasks of the given ids (of the scope), in no particular order: the timeline's hydration. */
export async function findTasks(db: Executor, scope: TenantScope, ids: string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return []
  return scoped(db, 'tasks', scope).select(TASK_COLUMNS).where('id', 'in', ids).execute()
}

export async function updateTask(db: Executor, scope: TenantScope, id: string, values: TaskValues): Promise<TaskRow> {
  return scopedUpdate(db, 'tasks', scope)
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('id', '=', id)
    .returning(TASK_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function deleteTask(db: Executor, scope: TenantScope, id: string): Promise<TaskRow | undefined> {
  return scopedDelete(db, 'tasks', scope).where('id', '=', id).returning(TASK_COLUMNS).executeTakeFirst()
}

const SORTS: Record<string, Omit<SortSpec, 'descending' | 'name'>> = {
  created_at: { expression: sql`created_at`, castTo: 'timestamptz' },
  updated_at: { expression: sql`updated_at`, castTo: 'timestamptz' },
  due_at: { expression: sql`due_at`, castTo: 'timestamptz', nullable: true },
}

export async function listTasks(db: Executor, scope: TenantScope, query: TaskListQuery & PageParams) {
  let q = scoped(db, 'tasks', scope)
  if (query.status !== undefined) q = q.where('status', '=', query.status)
  if (query.contact_id !== undefined) q = q.where('contact_id', '=', query.contact_id)
  if (query.deal_id !== undefined) q = q.where('deal_id', '=', query.deal_id)
  if (query.assignee_id !== undefined) q = q.where('assignee_id', '=', query.assignee_id)
  if (query.due_after !== undefined) q = q.where('due_at', '>=', new Date(query.due_after))
  if (query.due_before !== undefined) q = q.where('due_at', '<', new Date(query.due_before))
  const sortKey = query.sort ?? '-created_at'
  const name = sortKey.replace(/^-/, '')
  const sort: SortSpec = { ...SORTS[name]!, name, descending: sortKey.startsWith('-') }
  return paginate(q, (qb) => qb.select(TASK_COLUMNS), sql<string>`id`, sort, query)
}

/** Gives the tasks assigned to `fromId`, in both modes, to `toId`; answers the tasks changed. */
export function reassignTasks(executor: Executor, orgId: string, fromId: string, toId: string) {
  return executor
    .updateTable('tasks')
    .set({ assignee_id: toId, updated_at: sql<Date>`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('org_id', '=', orgId)
    .where('assignee_id', '=', fromId)
    .returning(['id', 'livemode'])
    .execute()
}

/** Completes the task if it is still open; answers what `task.completed` carries, or undefined. */
export function completeOpenTask(db: Executor, scope: TenantScope, id: string, completedBy: string) {
  return scopedUpdate(db, 'tasks', scope)
    .set({
      status: 'completed',
      completed_at: sql`now()`,
      completed_by: completedBy,
      updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returning(['id', 'title', 'completed_by'])
    .executeTakeFirst()
}
