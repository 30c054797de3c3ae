import type { ColumnType, Generated, Kysely, Transaction } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T = unknown> = ColumnType<T, string, string>

export interface OrganizationsTable {
  id: string
  name: string
  plan: 'free' | 'pro' | 'teams'
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
  tags: Generated<string[]>
  custom_fields: Json<Record<string, unknown>>
  created_at: Timestamp
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

export interface SchemaMigrationsTable {
  version: number
  name: string
  applied_at: Timestamp
}

export interface Database {
  organizations: OrganizationsTable
  api_keys: ApiKeysTable
  contacts: ContactsTable
  tags: TagsTable
  events: EventsTable
  idempotency_keys: IdempotencyKeysTable
  schema_migrations: SchemaMigrationsTable
}

export type Db = Kysely<Database>
export type Tx = Transaction<Database>
/** Either the database or an open transaction: repository functions take this first. */
export type Executor = Db | Tx
