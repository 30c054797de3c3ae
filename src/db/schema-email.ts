import type { ColumnType, Generated } from 'kysely'
import type { Json, Timestamp } from './columns.js'

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
  campaign_id: ColumnType<string | null, string | null | undefined, string | null>
  campaign_send_id: ColumnType<string | null, string | null | undefined, string | null>
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
  password_reset_emails: Generated<boolean>
  updated_at: Timestamp
}

export interface EmailTables {
  email_senders: EmailSendersTable
  email_templates: EmailTemplatesTable
  emails: EmailsTable
  email_events: EmailEventsTable
  mailbox_messages: MailboxMessagesTable
  email_settings: EmailSettingsTable
  email_subscriptions: EmailSubscriptionsTable
  email_lists: EmailListsTable
  email_list_members: EmailListMembersTable
  email_segments: EmailSegmentsTable
  email_campaigns: EmailCampaignsTable
  email_campaign_sends: EmailCampaignSendsTable
  email_tracking_events: EmailTrackingEventsTable
}

export type SubscriptionStatus = 'subscribed' | 'unsubscribed' | 'bounced' | 'complained'

export interface EmailSubscriptionsTable {
  contact_id: string
  org_id: string
  livemode: boolean
  status: SubscriptionStatus
  reason: string | null
  updated_at: Timestamp
}

export interface EmailListsTable {
  id: string
  org_id: string
  livemode: boolean
  name: string
  description: string | null
  double_opt_in: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Timestamp
  updated_at: Timestamp
}

export type ListMemberStatus = 'pending' | 'subscribed' | 'unsubscribed'

export interface EmailListMembersTable {
  list_id: string
  contact_id: string
  org_id: string
  livemode: boolean
  status: ListMemberStatus
  confirmed_at: Timestamp | null
  unsubscribed_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EmailSegmentsTable {
  id: string
  org_id: string
  livemode: boolean
  name: string
  description: string | null
  filter: Json<unknown>
  created_at: Timestamp
  updated_at: Timestamp
}

export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'cancelled' | 'completed'

export interface EmailCampaignsTable {
  id: string
  org_id: string
  livemode: boolean
  name: string
  subject: string
  html: string | null
  text: string | null
  template_id: string | null
  sender_id: string | null
  list_ids: ColumnType<string[], string[] | undefined, string[]>
  segment_ids: ColumnType<string[], string[] | undefined, string[]>
  track_opens: ColumnType<boolean, boolean | undefined, boolean>
  track_clicks: ColumnType<boolean, boolean | undefined, boolean>
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>
  scheduled_at: Timestamp | null
  started_at: Timestamp | null
  paused_at: Timestamp | null
  /** What paused it when no person did (migration 0029). */
  paused_reason: ColumnType<string | null, string | null | undefined, string | null>
  cancelled_at: Timestamp | null
  completed_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export type CampaignSendStatus = 'pending' | 'queued' | 'sent' | 'delivered' | 'failed' | 'skipped' | 'cancelled'

export interface EmailCampaignSendsTable {
  id: string
  campaign_id: string
  contact_id: string | null
  org_id: string
  livemode: boolean
  to_email: string
  status: CampaignSendStatus
  skip_reason: string | null
  email_id: string | null
  first_opened_at: Timestamp | null
  open_count: Generated<number>
  human_open_count: Generated<number>
  first_clicked_at: Timestamp | null
  click_count: Generated<number>
  human_click_count: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EmailTrackingEventsTable {
  id: string
  org_id: string
  livemode: boolean
  email_id: string
  campaign_id: string | null
  type: 'open' | 'click'
  url: string | null
  user_agent: string | null
  os: string | null
  browser: string | null
  webmail: string | null
  country: string | null
  region: string | null
  machine: boolean
  machine_reason: string | null
  created_at: Timestamp
}
