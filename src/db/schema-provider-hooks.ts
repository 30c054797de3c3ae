import type { Timestamp } from './columns.js'

/** Registered provider webhooks: SES via SNS, SendGrid, Postmark, Mailgun (migration 0031). */
export interface EmailProviderHooksTable {
  id: string
  org_id: string
  livemode: boolean
  provider: 'ses' | 'sendgrid' | 'postmark' | 'mailgun'
  description: string | null
  token_hash: string
  token_hint: string
  topic_arn: string | null
  verification_key: string | null
  username: string | null
  secret_sealed: string | null
  secret_hint: string | null
  confirmed_at: Timestamp | null
  last_received_at: Timestamp | null
  created_at: Timestamp
}

/** Provider event ids and signature tokens a hook has already taken (migration 0031). */
export interface EmailProviderReceiptsTable {
  hook_id: string
  key: string
  created_at: Timestamp
}

export interface ProviderHookTables {
  email_provider_hooks: EmailProviderHooksTable
  email_provider_receipts: EmailProviderReceiptsTable
}
