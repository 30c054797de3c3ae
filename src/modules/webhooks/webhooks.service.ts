import { randomBytes } from 'node:crypto'
import { ApiError, type ErrorDetail, invalidField } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { type CreationCheckOptions, checkUrlAtCreation } from '../../lib/address-policy.js'
import type { Clock } from '../../lib/clock.js'
import type { SecretBox } from '../../lib/secret-box.js'
import type { EventCatalog } from '../../outbox/define.js'
import {
  DISABLED_BY_REQUEST,
  deleteEndpoint,
  type EndpointPatch,
  type EndpointRow,
  findEndpoint,
  insertEndpoint,
  listAllEndpoints,
  listEndpoints,
  resumePendingDeliveries,
  updateEndpoint,
} from './webhooks.repo.js'
import {
  METADATA_MAX_KEYS,
  type WebhookEndpoint,
  type WebhookEndpointCreate,
  type WebhookEndpointUpdate,
  type WebhookSecret,
} from './webhooks.schemas.js'

/** How long the secret replaced by a rotation keeps signing, so receivers can switch without a gap. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000

/** `whsec_` + base64 of 24 random bytes: the Standard Webhooks secret format. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

export function toWebhookEndpoint(row: EndpointRow, secret?: string): WebhookEndpoint {
  return {
    id: row.id,
    object: 'webhook_endpoint',
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    metadata: row.metadata,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...(secret === undefined ? {} : { secret }),
  }
}

/**
 * Catalog names for the given names and aliases, in order, without duplicates; `*` alone stands for
 * all. Every unknown name is reported as `<field>.<index>`.
 */
export function resolveEventNames(catalog: EventCatalog, names: string[], field = 'events'): string[] {
  const resolved: string[] = []
  const details: ErrorDetail[] = []
  names.forEach((name, i) => {
    const catalogNames = catalog.namesOf(name)
    if (catalogNames) resolved.push(...catalogNames)
    else
      details.push({
        field: `${field}.${i}`,
        message: `Unknown event type "${name}"; GET /api/v1/event_types lists them`,
      })
  })
  const first = details[0]
  if (first) {
    const more = details.length > 1 ? ` (and ${details.length - 1} more)` : ''
    throw new ApiError('validation_failed', `${first.field}: ${first.message}${more}`, { details })
  }
  return resolved.includes('*') ? ['*'] : [...new Set(resolved)]
}

/**
 * The aliases among the subscribed names, by the catalog event each stands for: deliveries of that
 * event are sent under the alias. A catalog name given as well wins (the event then goes under its
 * own name), and `*` subscribes by catalog names only. Names are assumed valid (resolved before).
 */
export function subscribedAliases(catalog: EventCatalog, names: string[]): Record<string, string> {
  if (names.includes('*')) return {}
  const aliases: Record<string, string> = {}
  for (const name of names) {
    if (catalog.definitionOf(name)) continue
    for (const catalogName of catalog.namesOf(name) ?? []) {
      if (!names.includes(catalogName)) aliases[catalogName] ??= name
    }
  }
  return aliases
}

/** A new endpoint as both the native and the compatibility routes describe it. */
export interface NewEndpoint {
  url: string
  description: string | null
  /** Catalog names (already resolved), or `['*']`. */
  events: string[]
  enabled: boolean
  metadata: Record<string, string>
  display_name: string | null
  kinds: string[] | null
  /** Catalog name → the alias it was subscribed by (see `subscribedAliases`). */
  event_aliases: Record<string, string>
}

export class WebhookEndpointsService {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly urlPolicy: CreationCheckOptions,
    private readonly catalog: EventCatalog,
  ) {}

  private async assertUrlAllowed(url: string) {
    const refusal = await checkUrlAtCreation(url, this.urlPolicy)
    if (refusal) throw invalidField('url', refusal)
  }

  /** Creates the endpoint with a new secret, stored only sealed; returns the secret once. */
  async createRow(scope: TenantScope, input: NewEndpoint): Promise<{ row: EndpointRow; secret: string }> {
    await this.assertUrlAllowed(input.url)
    const secret = newSigningSecret()
    const row = await insertEndpoint(this.db, scope, { ...input, secret_encrypted: this.box.seal(secret) })
    return { row, secret }
  }

  async create(scope: TenantScope, input: WebhookEndpointCreate): Promise<WebhookEndpoint> {
    const { row, secret } = await this.createRow(scope, {
      url: input.url,
      description: input.description ?? null,
      events: resolveEventNames(this.catalog, input.events),
      enabled: input.enabled ?? true,
      metadata: input.metadata ?? {},
      display_name: null,
      kinds: null,
      event_aliases: subscribedAliases(this.catalog, input.events),
    })
    return toWebhookEndpoint(row, secret)
  }

  async findRow(scope: TenantScope, id: string): Promise<EndpointRow> {
    const row = await findEndpoint(this.db, scope, id)
    if (!row) throw notFound(id)
    return row
  }

  async get(scope: TenantScope, id: string): Promise<WebhookEndpoint> {
    return toWebhookEndpoint(await this.findRow(scope, id))
  }

  async list(scope: TenantScope, page: PageParams) {
    const result = await listEndpoints(this.db, scope, page)
    return { ...result, data: result.data.map((row) => toWebhookEndpoint(row)) }
  }

  listRows(scope: TenantScope, limit: number): Promise<EndpointRow[]> {
    return listAllEndpoints(this.db, scope, limit)
  }

  /**
   * Applies the given fields. Disabling records why and when, and holds the endpoint's pending
   * deliveries (the worker claims none of them: no attempt is made or counted); enabling clears
   * both fields and makes those deliveries due at once. New events drop the compatibility `kinds`,
   * and a new description the `displayName`, which they would contradict.
   */
  async update(scope: TenantScope, id: string, input: WebhookEndpointUpdate): Promise<WebhookEndpoint> {
    if (input.url !== undefined) await this.assertUrlAllowed(input.url)
    const events = input.events === undefined ? undefined : resolveEventNames(this.catalog, input.events)
    return this.db.transaction().execute(async (tx) => {
      const current = await findEndpoint(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      const patch: EndpointPatch = {}
      if (input.url !== undefined) patch.url = input.url
      if (input.description !== undefined) {
        patch.description = input.description
        patch.display_name = null
      }
      if (events !== undefined) {
        patch.events = events
        patch.kinds = null
        patch.event_aliases = subscribedAliases(this.catalog, input.events!)
      }
      if (input.enabled === true && !current.enabled) {
        Object.assign(patch, { enabled: true, disabled_reason: null, disabled_at: null })
      } else if (input.enabled === false && current.enabled) {
        Object.assign(patch, { enabled: false, disabled_reason: DISABLED_BY_REQUEST, disabled_at: 'now' })
      }
      if (input.metadata !== undefined) {
        const merged: Record<string, string> = { ...current.metadata }
        for (const [key, value] of Object.entries(input.metadata)) {
          if (value === null) delete merged[key]
          else merged[key] = value
        }
        if (Object.keys(merged).length > METADATA_MAX_KEYS) {
          throw invalidField('metadata', `Must have at most ${METADATA_MAX_KEYS} keys in all`)
        }
        patch.metadata = merged
      }
      if (Object.keys(patch).length === 0) return toWebhookEndpoint(current)
      if (patch.enabled === true) await resumePendingDeliveries(tx, scope, id)
      return toWebhookEndpoint(await updateEndpoint(tx, scope, id, patch))
    })
  }

  /** Deletes the endpoint; its pending deliveries go with it. */
  async removeRow(scope: TenantScope, id: string): Promise<EndpointRow> {
    const row = await deleteEndpoint(this.db, scope, id)
    if (!row) throw notFound(id)
    return row
  }

  async getSecret(scope: TenantScope, id: string): Promise<WebhookSecret> {
    return this.secretsOf(await this.findRow(scope, id))
  }

  /**
   * Replaces the secret. The replaced one stays (sealed) and keeps signing for 24 hours; a rotation
   * within those hours drops the older one, so at most two secrets sign at any time.
   */
  async rotateSecret(scope: TenantScope, id: string): Promise<WebhookSecret> {
    return this.db.transaction().execute(async (tx) => {
      const current = await findEndpoint(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      const row = await updateEndpoint(tx, scope, id, {
        secret_encrypted: this.box.seal(newSigningSecret()),
        previous_secret_encrypted: current.secret_encrypted,
        previous_secret_expires_at: new Date(this.clock.nowMs() + PREVIOUS_SECRET_TTL_MS),
      })
      return this.secretsOf(row)
    })
  }

  private secretsOf(row: EndpointRow): WebhookSecret {
    const expiresAt = row.previous_secret_expires_at
    const hasPrevious =
      row.previous_secret_encrypted !== null && expiresAt !== null && expiresAt.getTime() > this.clock.nowMs()
    return {
      secret: this.box.open(row.secret_encrypted),
      previous_secret: hasPrevious ? this.box.open(row.previous_secret_encrypted!) : null,
      previous_secret_expires_at: hasPrevious ? expiresAt!.toISOString() : null,
    }
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Webhook endpoint ${id} not found`)
}
