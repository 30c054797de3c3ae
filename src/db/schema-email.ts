import type { ColumnType, Generated } from 'kysely'
import type { Json, Timestamp } from './schema.js'

export interface EmailSendersTable {
  id: string
  org_id: string
  livemode: boolean
  email: string
  name: string | null
  reply_to: string | null
  is_default: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EmailTemplatesTable {
  id: string
  org_id: string
  livemode: boolean
  name: string
  subject: string
  html: string | null
  text: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EmailAttachment {
  filename: string
  content_type: string
  /** base64 */
  content: string
}

export type EmailStatus = 'queued' | 'sent' | 'delivered' | 'failed'

export interface EmailsTable {
  id: string
  org_id: string
  livemode: boolean
  contact_id: string | null
  to_email: string
  to_name: string | null
  sender_id: string | null
  from_email: string
  from_name: string | null
  reply_to: string | null
  subject: string
  html: string | null
  text: string
  template_id: string | null
  category: string
  headers: Json<Record<string, string>>
  attachments: Json<EmailAttachment[]>
  message_id: string
  status: ColumnType<EmailStatus, EmailStatus | undefined, EmailStatus>
  transport: 'smtp' | 'mailbox' | null
  attempt_count: Generated<number>
  next_attempt_at: Timestamp
  lease_expires_at: Timestamp | null
  leased_by: string | null
  last_error: string | null
  sent_at: Timestamp | null
  delivered_at: Timestamp | null
  failed_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EmailEventsTable {
  id: string
  email_id: string
  type: 'queued' | 'deferred' | 'sent' | 'delivered' | 'failed'
  detail: string | null
  created_at: Timestamp
}

export interface MailboxMessagesTable {
  id: string
  org_id: string
  livemode: boolean
  email_id: string
  message_id: string
  raw: string
  created_at: Timestamp
}

export interface EmailSettingsTable {
  org_id: string
  booking_emails: Generated<boolean>
  invite_emails: Generated<boolean>
  lead_notification_emails: Generated<boolean>
  updated_at: Timestamp
}

export interface EmailTables {
  email_senders: EmailSendersTable
  email_templates: EmailTemplatesTable
  emails: EmailsTable
  email_events: EmailEventsTable
  mailbox_messages: MailboxMessagesTable
  email_settings: EmailSettingsTable
}
