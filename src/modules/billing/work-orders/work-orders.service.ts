import { ApiError } from '../../../core/errors.js'
import type { PageParams } from '../../../core/pagination.js'
import { assertIfMatch } from '../../../core/preconditions.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Db, Executor } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import { isoOrNull as iso } from '../../../lib/clock.js'
import { newId } from '../../../lib/ids.js'
import { emit } from '../../../outbox/emit.js'
import { workOrderCancelled, workOrderCompleted, workOrderCreated } from '../billing.events.js'
import { lockLinkedContact } from '../links.repo.js'
import {
  deleteWorkOrder,
  findWorkOrder,
  insertWorkOrder,
  listWorkOrders,
  updateWorkOrder,
  type WorkOrderRow,
  type WorkOrderValues,
} from './work-orders.repo.js'
import type {
  WorkOrder,
  WorkOrderCreate,
  WorkOrderListQuery,
  WorkOrderStatus,
  WorkOrderUpdate,
} from './work-orders.schemas.js'

/**
 * The legal status moves. `completed` and `cancelled` are final; a job started by mistake can go
 * back from `in_progress` to `scheduled`.
 */
const MOVES: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
  scheduled: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['scheduled', 'completed', 'cancelled'],
  completed: [],
  cancelled: [],
}

export function toWorkOrder(row: WorkOrderRow): WorkOrder {
  return {
    id: row.id,
    object: 'work_order',
    title: row.title,
    description: row.description,
    contact_id: row.contact_id,
    scheduled_at: iso(row.scheduled_at),
    status: row.status,
    completed_at: iso(row.completed_at),
    cancelled_at: iso(row.cancelled_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Work order ${id} not found`)
}

/** 409 unless `from → to` is a legal move. */
function assertMove(id: string, from: WorkOrderStatus, to: WorkOrderStatus): void {
  if (!MOVES[from].includes(to)) {
    const why = MOVES[from].length === 0 ? ` (${from} is final)` : ''
    throw new ApiError('conflict', `Work order ${id} cannot move from ${from} to ${to}${why}`)
  }
}

export class WorkOrdersService {
  constructor(private readonly db: Db) {}

  async create(scope: TenantScope, input: WorkOrderCreate): Promise<WorkOrder> {
    return inTransaction(this.db, async (tx) => {
      if (input.contact_id !== undefined) await lockLinkedContact(tx, scope, input.contact_id)
      const row = await insertWorkOrder(tx, scope, newId('workOrder'), {
        title: input.title,
        description: input.description ?? null,
        contact_id: input.contact_id ?? null,
        scheduled_at: input.scheduled_at === undefined ? null : new Date(input.scheduled_at),
        status: input.status ?? 'scheduled',
        completed_at: null,
        cancelled_at: null,
      })
      const workOrder = toWorkOrder(row)
      await emit(tx, scope, workOrderCreated, {
        id: workOrder.id,
        title: workOrder.title,
        contact_id: workOrder.contact_id,
        scheduled_at: workOrder.scheduled_at,
      })
      return workOrder
    })
  }

  async get(scope: TenantScope, id: string): Promise<WorkOrder> {
    const row = await findWorkOrder(this.db, scope, id)
    if (!row) throw notFound(id)
    return toWorkOrder(row)
  }

  list(scope: TenantScope, query: WorkOrderListQuery & PageParams) {
    return listWorkOrders(this.db, scope, query).then((page) => ({ ...page, data: page.data.map(toWorkOrder) }))
  }

  /**
   * Applies the given fields. A status change must be a legal move (409 otherwise); moving to
   * `completed` stamps `completed_at` and emits `work_order.completed`, as POST …/complete does.
   */
  async update(
    scope: TenantScope,
    id: string,
    input: WorkOrderUpdate,
    opts: { ifMatch?: string } = {},
  ): Promise<WorkOrder> {
    return inTransaction(this.db, async (tx) => {
      const current = await this.lockForChange(tx, scope, id, opts.ifMatch)
      const patch: Partial<WorkOrderValues> = {}
      if (input.title !== undefined && input.title !== current.title) patch.title = input.title
      if (input.description !== undefined && input.description !== current.description)
        patch.description = input.description
      if (input.contact_id !== undefined && input.contact_id !== current.contact_id) {
        if (input.contact_id !== null) await lockLinkedContact(tx, scope, input.contact_id)
        patch.contact_id = input.contact_id
      }
      if (input.scheduled_at !== undefined) {
        const next = input.scheduled_at === null ? null : new Date(input.scheduled_at)
        if (iso(next) !== iso(current.scheduled_at)) patch.scheduled_at = next
      }
      if (input.status !== undefined && input.status !== current.status) {
        assertMove(id, current.status, input.status)
        patch.status = input.status
        if (input.status === 'completed') patch.completed_at = new Date()
        if (input.status === 'cancelled') patch.cancelled_at = new Date()
      }
      if (Object.keys(patch).length === 0) return toWorkOrder(current)
      return this.write(tx, scope, id, patch)
    })
  }

  /** scheduled | in_progress → completed; emits `work_order.completed`. */
  async complete(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<WorkOrder> {
    return inTransaction(this.db, async (tx) => {
      const current = await this.lockForChange(tx, scope, id, opts.ifMatch)
      assertMove(id, current.status, 'completed')
      return this.write(tx, scope, id, { status: 'completed', completed_at: new Date() })
    })
  }

  async remove(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<WorkOrder> {
    return inTransaction(this.db, async (tx) => {
      if (opts.ifMatch !== undefined) await this.lockForChange(tx, scope, id, opts.ifMatch)
      const row = await deleteWorkOrder(tx, scope, id)
      if (!row) throw notFound(id)
      return toWorkOrder(row)
    })
  }

  private async lockForChange(tx: Executor, scope: TenantScope, id: string, ifMatch: string | undefined) {
    const current = await findWorkOrder(tx, scope, id, { forUpdate: true })
    if (!current) throw notFound(id)
    assertIfMatch(ifMatch, toWorkOrder(current))
    return current
  }

  private async write(tx: Executor, scope: TenantScope, id: string, patch: Partial<WorkOrderValues>) {
    const workOrder = toWorkOrder(await updateWorkOrder(tx, scope, id, patch))
    if (patch.status === 'completed') {
      await emit(tx, scope, workOrderCompleted, {
        id: workOrder.id,
        title: workOrder.title,
        completed_at: workOrder.completed_at!,
      })
    }
    if (patch.status === 'cancelled') {
      await emit(tx, scope, workOrderCancelled, {
        id: workOrder.id,
        title: workOrder.title,
        cancelled_at: workOrder.cancelled_at!,
      })
    }
    return workOrder
  }
}
