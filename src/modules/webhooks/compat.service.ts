import type { TenantScope } from '../../core/tenancy.js'
import { type CompatWebhook, type CompatWebhookCreate, KIND_EVENTS, KINDS, type Kind } from './compat.schemas.js'
import type { EndpointRow } from './webhooks.repo.js'
import type { WebhookEndpointsService } from './webhooks.service.js'

/** The compatibility list is not paged; an organization with more endpoints uses the native list. */
export const COMPAT_LIST_LIMIT = 1000

/** The kinds an endpoint covers: the ones it was created with, or else those its events include. */
function kindsOf(row: EndpointRow): string[] {
  if (row.kinds) return row.kinds
  const all = row.events.includes('*')
  return KINDS.filter((kind) => all || row.events.includes(KIND_EVENTS[kind]))
}

export function toCompatWebhook(row: EndpointRow, orgId: string): CompatWebhook {
  return {
    id: row.id,
    accountId: orgId,
    displayName: row.display_name ?? row.description,
    url: row.url,
    kinds: kindsOf(row),
    creationDate: row.created_at.toISOString(),
  }
}

/**
 * `/api/v1/webhooks`: the webhook shape of other email and form tools, over the same endpoints as
 * `/api/v1/webhook_endpoints`. Kinds are stored as given, beside the catalog events they map to.
 */
export class WebhooksCompatService {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  async create(scope: TenantScope, input: CompatWebhookCreate): Promise<CompatWebhook> {
    const kinds = [...new Set(input.kinds)]
    const { row } = await this.endpoints.createRow(scope, {
      url: input.url,
      description: input.displayName ?? null,
      events: [...new Set(kinds.map((kind: Kind) => KIND_EVENTS[kind]))],
      enabled: true,
      metadata: {},
      display_name: input.displayName ?? null,
      kinds,
      event_aliases: {},
    })
    return toCompatWebhook(row, scope.orgId)
  }

  async list(scope: TenantScope): Promise<CompatWebhook[]> {
    const rows = await this.endpoints.listRows(scope, COMPAT_LIST_LIMIT)
    return rows.map((row) => toCompatWebhook(row, scope.orgId))
  }

  async get(scope: TenantScope, id: string): Promise<CompatWebhook> {
    return toCompatWebhook(await this.endpoints.findRow(scope, id), scope.orgId)
  }

  /** Deletes the webhook and answers with it, as it was. */
  async remove(scope: TenantScope, id: string): Promise<CompatWebhook> {
    return toCompatWebhook(await this.endpoints.removeRow(scope, id), scope.orgId)
  }
}
