import type { ColumnType } from 'kysely'
import type { Timestamp } from './columns.js'

export interface SessionsTable {
  id: string
  token_hash: string
  user_id: string
  org_id: string
  csrf_token: string
  ip: string | null
  user_agent: string | null
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
}

export interface InvitesTable {
  id: string
  org_id: string
  email: string
  role: 'owner' | 'admin' | 'member'
  token_hash: string
  invited_by: string | null
  /** The dashboard user whose authority the invite carries (session user or key creator); null for an operator's. */
  created_by_user_id: string | null
  /** Made with an operator's key (provisioning API, CLI): acts for the organization. */
  created_by_operator: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Timestamp
  expires_at: Timestamp
  accepted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  accepted_user_id: string | null
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface SignInLinksTable {
  id: string
  org_id: string
  user_id: string
  purpose: 'activate' | 'reset_password'
  token_hash: string
  created_at: Timestamp
  expires_at: Timestamp
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface AuditLogTable {
  id: string
  org_id: string
  livemode: boolean
  occurred_at: Timestamp
  method: string
  path: string
  status: number
  key_id: string | null
  user_id: string | null
  ip: string | null
  duration_ms: number
  request_id: string
}

export interface AccountTables {
  sessions: SessionsTable
  invites: InvitesTable
  sign_in_links: SignInLinksTable
  audit_log: AuditLogTable
}
