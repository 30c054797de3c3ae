import type { Json, Timestamp } from './columns.js'

/** Bounces and complaints (migration 0029). */
export interface EmailBouncesTable {
  id: string
  org_id: string
  livemode: boolean
  email_id: string | null
  campaign_id: string | null
  address: string
  kind: 'hard' | 'soft' | 'complaint'
  category: string
  smtp_description: string | null
  return_code: number | null
  enhanced_code: string | null
  source: string
  created_at: Timestamp
}

/** Addresses suppressed for marketing mail (migration 0029). */
export interface EmailSuppressionsTable {
  id: string
  org_id: string
  livemode: boolean
  address: string
  reason: string
  evidence: Json<Record<string, unknown>>
  created_at: Timestamp
}

export interface DeliverabilityTables {
  email_bounces: EmailBouncesTable
  email_suppressions: EmailSuppressionsTable
}
