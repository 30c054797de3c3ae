import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { isoOrNull as iso } from '../../lib/clock.js'
import { emit } from '../../outbox/emit.js'
import { findEndpoint } from '../webhooks/webhooks.repo.js'
import { webhookTest } from './deliveries.events.js'
import {
  attemptsOf,
  type DeliveryRow,
  deliveryOfEvent,
  endpointStats,
  findDelivery,
  listDeliveries,
  requeue,
} from './deliveries.repo.js'
import type { Delivery } from './deliveries.schemas.js'

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    object: 'webhook_delivery',
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempt_count: row.attempt_count,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    last_attempt_at: iso(row.last_attempt_at),
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: row.created_at.toISOString(),
  }
}

/** What a developer needs to see and repair deliveries: logs, retries, recovery, tests, stats. */
export class DeliveriesService {
  constructor(private readonly db: Db) {}

  private async endpoint(scope: TenantScope, id: string) {
    const endpoint = await findEndpoint(this.db, scope, id)
    if (!endpoint) throw new ApiError('not_found', `Webhook endpoint ${id} not found`)
    return endpoint
  }

  private async enabledEndpoint(scope: TenantScope, id: string) {
    const endpoint = await this.endpoint(scope, id)
    if (!endpoint.enabled) throw new ApiError('conflict', `Webhook endpoint ${id} is disabled; enable it first`)
    return endpoint
  }

  async list(scope: TenantScope, endpointId: string, query: PageParams & { status?: string; event?: string }) {
    await this.endpoint(scope, endpointId)
    const page = await listDeliveries(this.db, scope, endpointId, query)
    return { ...page, data: page.data.map(toDelivery) }
  }

  async get(scope: TenantScope, id: string) {
    const row = await findDelivery(this.db, scope, id)
    if (!row) throw new ApiError('not_found', `Webhook delivery ${id} not found`)
    const attempts = await attemptsOf(this.db, id)
    return {
      ...toDelivery(row),
      attempts: attempts.map((a) => ({
        ...a,
        started_at: a.started_at.toISOString(),
        next_attempt_at: iso(a.next_attempt_at),
      })),
    }
  }

  /** One more attempt now, outside the schedule (also for a delivery that has failed for good). */
  async retry(scope: TenantScope, id: string) {
    const row = await findDelivery(this.db, scope, id)
    if (!row) throw new ApiError('not_found', `Webhook delivery ${id} not found`)
    await this.enabledEndpoint(scope, row.endpoint_id)
    await requeue(this.db, scope, { deliveryId: id })
    return this.get(scope, id)
  }

  async recover(scope: TenantScope, endpointId: string, since: Date) {
    await this.enabledEndpoint(scope, endpointId)
    return { recovered: await requeue(this.db, scope, { endpointId, failedSince: since }) }
  }

  async sendTest(scope: TenantScope, endpointId: string) {
    await this.enabledEndpoint(scope, endpointId)
    return inTransaction(this.db, async (tx) => {
      const event = await emit(
        tx,
        scope,
        webhookTest,
        { endpoint_id: endpointId, message: 'A test event from Rapport: if you can read this, your endpoint works.' },
        { onlyEndpointId: endpointId },
      )
      const delivery = await deliveryOfEvent(tx, endpointId, event.id)
      return { event_id: event.id, delivery_id: delivery.id }
    })
  }

  async stats(scope: TenantScope, endpointId: string) {
    const endpoint = await this.endpoint(scope, endpointId)
    const stats = await endpointStats(this.db, endpointId)
    return {
      endpoint_id: endpointId,
      state: endpoint.enabled ? ('enabled' as const) : ('disabled' as const),
      disabled_reason: endpoint.disabled_reason,
      ...stats,
      last_success_at: iso(stats.last_success_at),
      last_failure_at: iso(stats.last_failure_at),
    }
  }
}
