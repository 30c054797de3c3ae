import type { Timestamp } from './columns.js'

/** Reports received by the inbound SMTP listener, one per send and kind (migration 0030). */
export interface EmailInboundReportsTable {
  email_id: string
  source: 'dsn' | 'arf'
  org_id: string
  livemode: boolean
  recipient: string
  report_message_id: string | null
  detail: string | null
  bounce_id: string | null
  created_at: Timestamp
}

export interface InboundReportTables {
  email_inbound_reports: EmailInboundReportsTable
}
