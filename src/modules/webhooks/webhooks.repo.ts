import { sql } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import { newId } from '../../lib/ids.js'

export interface EndpointRow {
  id: string
  url: string
  description: string | null
  events: string[]
  enabled: boolean
  disabled_reason: string | null
  disabled_at: Date | null
  metadata: Record<string, string>
  secret_encrypted: string
  previous_secret_encrypted: string | null
  previous_secret_expires_at: Date | null
  display_name: string | null
  kinds: string[] | null
  /** Catalog name → the alias the endpoint subscribed by; deliveries of that event use the alias. */
  event_aliases: Record<string, string>
  created_at: Date
  updated_at: Date
}

const COLUMNS = [
  'id',
  'url',
  'description',
  'events',
  'enabled',
  'disabled_reason',
  'disabled_at',
  'metadata',
  'secret_encrypted',
  'previous_secret_encrypted',
  'previous_secret_expires_at',
  'display_name',
  'kinds',
  'event_aliases',
  'created_at',
  'updated_at',
] as const

export interface EndpointValues {
  url: string
  description: string | null
  events: string[]
  enabled: boolean
  metadata: Record<string, string>
  secret_encrypted: string
  display_name: string | null
  kinds: string[] | null
  event_aliases: Record<string, string>
}

/** What may change after creation. `disabled_at: 'now'` stamps `disabled_at` with the database's clock. */
export interface EndpointPatch {
  url?: string
  description?: string | null
  events?: string[]
  enabled?: boolean
  disabled_reason?: string | null
  disabled_at?: 'now' | null
  metadata?: Record<string, string>
  secret_encrypted?: string
  previous_secret_encrypted?: string | null
  previous_secret_expires_at?: Date | null
  display_name?: string | null
  kinds?: string[] | null
  event_aliases?: Record<string, string>
}

/** Marks an endpoint created disabled, so that it reads like one disabled later. */
export const DISABLED_BY_REQUEST = 'Disabled through the API'

export async function insertEndpoint(db: Executor, scope: TenantScope, values: EndpointValues): Promise<EndpointRow> {
  return db
    .insertInto('webhook_endpoints')
    .values({
      ...values,
      id: newId('webhookEndpoint'),
      org_id: scope.orgId,
      livemode: scope.livemode,
      metadata: JSON.stringify(values.metadata),
      event_aliases: JSON.stringify(values.event_aliases),
      ...(values.enabled ? {} : { disabled_reason: DISABLED_BY_REQUEST, disabled_at: sql<Date>`now()` }),
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findEndpoint(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<EndpointRow | undefined> {
  let q = scoped(db, 'webhook_endpoints', scope).select(COLUMNS).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function updateEndpoint(
  db: Executor,
  scope: TenantScope,
  id: string,
  patch: EndpointPatch,
): Promise<EndpointRow> {
  const { metadata, disabled_at, event_aliases, ...rest } = patch
  return scopedUpdate(db, 'webhook_endpoints', scope)
    .set({
      ...rest,
      ...(metadata ? { metadata: JSON.stringify(metadata) } : {}),
      ...(event_aliases ? { event_aliases: JSON.stringify(event_aliases) } : {}),
      ...(disabled_at === undefined ? {} : { disabled_at: disabled_at === 'now' ? sql<Date>`now()` : null }),
      updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

/**
 * Makes the endpoint's pending deliveries due now: those held while it was disabled (the worker
 * claims none of a disabled endpoint's deliveries) go out at once when it is enabled again,
 * instead of waiting out a retry delay set before.
 */
export async function resumePendingDeliveries(db: Executor, scope: TenantScope, endpointId: string): Promise<number> {
  const result = await scopedUpdate(db, 'webhook_deliveries', scope)
    .set({ next_attempt_at: sql`now()`, updated_at: sql`now()` })
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '>', sql<Date>`now()`)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export async function deleteEndpoint(db: Executor, scope: TenantScope, id: string): Promise<EndpointRow | undefined> {
  return scopedDelete(db, 'webhook_endpoints', scope).where('id', '=', id).returning(COLUMNS).executeTakeFirst()
}

/** One page, newest first. */
export async function listEndpoints(db: Executor, scope: TenantScope, page: PageParams) {
  const q = scoped(db, 'webhook_endpoints', scope)
  return paginate(
    q,
    (qb) => qb.select(COLUMNS),
    sql<string>`id`,
    { name: 'created_at', expression: sql`created_at`, castTo: 'timestamptz', descending: true },
    page,
  )
}

/** Up to `limit` endpoints, oldest first, for the unpaged compatibility list. */
export async function listAllEndpoints(db: Executor, scope: TenantScope, limit: number): Promise<EndpointRow[]> {
  return scoped(db, 'webhook_endpoints', scope)
    .select(COLUMNS)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute()
}
