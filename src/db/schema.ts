import type { ColumnType, Generated, Kysely, Transaction } from 'kysely'
import type { CalendarDate, Json, Timestamp } from './columns.js'
import type { AccountTables } from './schema-accounts.js'
import type { BillingTables } from './schema-billing.js'
import type { DeliverabilityTables } from './schema-deliverability.js'
import type { EmailTables } from './schema-email.js'
import type { ImportTables } from './schema-imports.js'
import type { InboundReportTables } from './schema-inbound-reports.js'
import type { LeadTables } from './schema-leads.js'
import type { ProviderHookTables } from './schema-provider-hooks.js'
import type { SavedViewTables } from './schema-saved-views.js'
import type { SchedulingTables } from './schema-scheduling.js'
import type { SendingDomainTables } from './schema-sending-domains.js'
import type { TimelineTables } from './schema-timeline.js'

export type { CalendarDate, Json, Timestamp }
/** A `numeric` column: read as an exact decimal string. */
export type Decimal = ColumnType<string, string | number, string | number>

export interface OrganizationsTable {
  id: string
  name: string
  plan: 'free' | 'pro' | 'teams' | 'enterprise'
  currency: ColumnType<string, string | undefined, string>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ApiKeysTable {
  id: string
  org_id: string
  name: string
  type: 'secret' | 'publishable'
  livemode: boolean
  key_hash: string
  prefix: string
  scopes: string[]
  allowed_origins: Generated<string[]>
  created_at: Timestamp
  last_used_at: Timestamp | null
  expires_at: Timestamp | null
  revoked_at: Timestamp | null
  created_by_user_id: string | null
}

export interface ContactsTable {
  id: string
  org_id: string
  livemode: boolean
  name: string | null
  email: string | null
  phone: string | null
  company: string | null
  status: string
  source: string
  external_id: ColumnType<string | null, string | null | undefined, string | null>
  /** The user of the organization who owns the contact (migration 0033). */
  owner_id: ColumnType<string | null, string | null | undefined, string | null>
  tags: Generated<string[]>
  custom_fields: Json<Record<string, unknown>>
  created_at: Timestamp
  updated_at: Timestamp
}

/**
 * One row per tag a contact carries, kept by triggers on `contacts` (migrations 0037 and 0038), with
 * copies of the contact's status and sort keys: read-only here.
 */
export interface ContactTagsTable {
  contact_id: string
  tag: string
  org_id: string
  livemode: boolean
  status: string
  created_at: Timestamp
  name: string | null
  email: string | null
  company: string | null
  source: string
  owner_id: string | null
  updated_at: Timestamp
}

export interface TagsTable {
  id: string
  org_id: string
  livemode: boolean
  name: string
  created_at: Timestamp
}

export interface EventsTable {
  id: string
  org_id: string
  livemode: boolean
  type: string
  data: Json<Record<string, unknown>>
  created_at: Timestamp
}

export interface IdempotencyKeysTable {
  org_id: string
  livemode: boolean
  idem_key: string
  request_hash: string
  state: 'running' | 'done'
  response_status: number | null
  response_body: string | null
  response_headers: Json<Record<string, string>> | null
  locked_until: Timestamp
  created_at: Timestamp
}

export interface WebhookEndpointsTable {
  id: string
  org_id: string
  livemode: boolean
  url: string
  description: string | null
  events: string[]
  enabled: ColumnType<boolean, boolean | undefined, boolean>
  disabled_reason: string | null
  disabled_at: Timestamp | null
  metadata: Json<Record<string, string>>
  secret_encrypted: string
  previous_secret_encrypted: string | null
  previous_secret_expires_at: Timestamp | null
  display_name: string | null
  kinds: string[] | null
  /** Catalog name → the alias the endpoint subscribed with (deliveries are sent under the alias). */
  event_aliases: ColumnType<Record<string, string>, string | undefined, string>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface WebhookDeliveriesTable {
  id: string
  org_id: string
  livemode: boolean
  endpoint_id: string
  event_id: string
  event_type: string
  status: 'pending' | 'succeeded' | 'failed'
  attempt_count: ColumnType<number, number | undefined, number>
  next_attempt_at: Timestamp
  lease_expires_at: Timestamp | null
  leased_by: string | null
  last_attempt_at: Timestamp | null
  last_status_code: number | null
  last_error: string | null
  succeeded_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface WebhookAttemptsTable {
  id: string
  delivery_id: string
  endpoint_id: string
  attempt_number: number
  started_at: Timestamp
  duration_ms: number
  status_code: number | null
  response_body: string | null
  error: string | null
  next_attempt_at: Timestamp | null
  /** The headers Rapport sent (signatures included, never the secret); null if nothing was sent. */
  request_headers: ColumnType<Record<string, string> | null, string | null | undefined, string | null>
  /** The body sent, up to 64 KB. */
  request_body: string | null
  /** The receiver's response headers; null when no answer came. */
  response_headers: ColumnType<Record<string, string> | null, string | null | undefined, string | null>
}

export interface UsersTable {
  id: string
  org_id: string
  name: string
  email: string
  username: string
  timezone: ColumnType<string, string | undefined, string>
  role: ColumnType<'owner' | 'admin' | 'member', 'owner' | 'admin' | 'member' | undefined>
  /** argon2id; null for a user who cannot sign in to the dashboard. */
  password_hash: ColumnType<string | null, string | null | undefined, string | null>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface PipelinesTable {
  id: string
  org_id: string
  livemode: boolean
  name: string
  position: number
  is_default: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface StagesTable {
  id: string
  org_id: string
  livemode: boolean
  pipeline_id: string
  name: string
  position: number
  kind: ColumnType<'open' | 'won' | 'lost', 'open' | 'won' | 'lost' | undefined>
  rotting_days: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface DealsTable {
  id: string
  org_id: string
  livemode: boolean
  title: string
  value: ColumnType<string, string | number | undefined, string | number>
  currency: string
  pipeline_id: string
  stage_id: string
  contact_id: string | null
  owner_id: string | null
  expected_close_date: CalendarDate | null
  status: ColumnType<'open' | 'won' | 'lost', 'open' | 'won' | 'lost' | undefined>
  lost_reason: string | null
  won_reason: string | null
  won_at: Timestamp | null
  lost_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SchemaMigrationsTable {
  version: number
  name: string
  applied_at: Timestamp
  /** SHA-256 of the file's text when applied; null only on rows from before checksums were kept. */
  checksum: string | null
}

export interface Database
  extends TimelineTables,
    BillingTables,
    SchedulingTables,
    LeadTables,
    AccountTables,
    EmailTables,
    ImportTables,
    SavedViewTables,
    SendingDomainTables,
    DeliverabilityTables,
    ProviderHookTables,
    InboundReportTables {
  organizations: OrganizationsTable
  api_keys: ApiKeysTable
  contacts: ContactsTable
  contact_tags: ContactTagsTable
  tags: TagsTable
  events: EventsTable
  idempotency_keys: IdempotencyKeysTable
  webhook_endpoints: WebhookEndpointsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
  users: UsersTable
  pipelines: PipelinesTable
  stages: StagesTable
  deals: DealsTable
  schema_migrations: SchemaMigrationsTable
}

export type Db = Kysely<Database>
export type Tx = Transaction<Database>
/** Either the database or an open transaction: repository functions take this first. */
export type Executor = Db | Tx
