/** The API objects the dashboard shows (see docs/openapi.json for every field). */

export type Role = 'owner' | 'admin' | 'member'

export interface SessionView {
  object: 'session'
  user: { id: string; name: string; email: string; role: Role }
  organization: { id: string; name: string; plan: string }
  csrf_token: string
  expires_at: string
}

export type Scope = 'read' | 'write' | 'admin' | 'webhooks' | 'leads' | 'keys'

export interface ApiKey {
  id: string
  object: 'api_key'
  name: string
  type: 'secret' | 'publishable'
  mode: 'live' | 'test'
  prefix: string
  scopes: string[]
  allowed_origins: string[]
  created_at: string
  last_used_at: string | null
  created_by_user_id: string | null
  expires_at: string | null
  key?: string
}

export interface WebhookEndpoint {
  id: string
  object: 'webhook_endpoint'
  url: string
  description: string | null
  events: string[]
  enabled: boolean
  disabled_reason: string | null
  disabled_at: string | null
  created_at: string
  updated_at: string
  secret?: string
}

export interface DeliveryCounts {
  succeeded: number
  failed: number
  pending: number
}

export interface EndpointStats {
  endpoint_id: string
  state: 'enabled' | 'disabled'
  disabled_reason: string | null
  last_24h: DeliveryCounts
  last_7d: DeliveryCounts
  last_success_at: string | null
  last_failure_at: string | null
}

export interface EndpointSecret {
  secret: string
  previous_secret: string | null
  previous_secret_expires_at: string | null
}

export interface EventType {
  name: string
  description: string
  schema: JsonSchema
  aliases: string[]
}

export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  anyOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  format?: string
  examples?: unknown[]
  [keyword: string]: unknown
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed'

export interface Delivery {
  id: string
  object: 'webhook_delivery'
  endpoint_id: string
  event_id: string
  event_type: string
  status: DeliveryStatus
  attempt_count: number
  next_attempt_at: string | null
  last_attempt_at: string | null
  last_status_code: number | null
  last_error: string | null
  created_at: string
}

export interface Attempt {
  id: string
  attempt_number: number
  started_at: string
  duration_ms: number
  status_code: number | null
  response_body: string | null
  response_headers: Record<string, string> | null
  request_headers: Record<string, string> | null
  request_body: string | null
  error: string | null
  next_attempt_at: string | null
}

export interface User {
  id: string
  name: string
  email: string
  username: string
  role: Role
  created_at: string
}

export interface Invite {
  id: string
  object: 'invite'
  email: string
  role: 'admin' | 'member'
  created_at: string
  expires_at: string
  accept_url?: string
  token?: string
}

export interface InvitePreview {
  email: string
  role: Role
  organization: { name: string }
}

export interface SignInLinkPreview {
  purpose: 'activate' | 'reset_password'
  email: string
  name: string
  organization: { name: string }
  expires_at: string
}

export interface Form {
  id: string
  name: string
  fields: { key: string; label: string }[]
  created_at: string
}

export interface BookingEventType {
  id: string
  user_id: string
  slug: string
  title: string
  active: boolean
}

export interface AuditEntry {
  id: string
  kind: 'api_call' | 'webhook_attempt'
  occurred_at: string
  method: string | null
  path: string | null
  status: number | null
  key_id: string | null
  user_id: string | null
  ip: string | null
  duration_ms: number | null
  request_id: string | null
  endpoint_id: string | null
  delivery_id: string | null
  event_type: string | null
}

export interface Usage {
  object: 'usage'
  days: { date: string; key_id: string | null; user_id: string | null; calls: number; rate_limited: number }[]
  keys: { id: string; name: string; mode: 'live' | 'test' }[]
}
