import type { ColumnType } from 'kysely'
import type { Json, Timestamp } from './columns.js'

export type FormFieldType = 'text' | 'email' | 'phone' | 'textarea' | 'select' | 'checkbox' | 'consent'

export interface FormFieldValue {
  key: string
  label: string
  type: FormFieldType
  required: boolean
  options: string[] | null
}

export interface TeamsTable {
  id: string
  org_id: string
  livemode: boolean
  name: string
  description: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface DomainsTable {
  id: string
  org_id: string
  livemode: boolean
  hostname: string
  created_at: Timestamp
  updated_at: Timestamp
}

export interface FormsTable {
  id: string
  org_id: string
  livemode: boolean
  name: string
  fields: Json<FormFieldValue[]>
  success_message: string | null
  redirect_url: string | null
  team_ids: ColumnType<string[], string[] | undefined, string[]>
  callback_enabled: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface FormResponsesTable {
  id: string
  org_id: string
  livemode: boolean
  form_id: string | null
  domain_id: string | null
  contact_id: string | null
  form_type: string | null
  form_data: Json<Record<string, unknown>>
  source_url: string | null
  user_agent: string | null
  ip_address: string | null
  created_at: Timestamp
}

export interface NotificationsTable {
  id: string
  org_id: string
  livemode: boolean
  type: string
  title: string
  body: string | null
  contact_id: string | null
  subject_id: string | null
  read_at: Timestamp | null
  created_at: Timestamp
}

export interface CallbacksTable {
  id: string
  org_id: string
  livemode: boolean
  contact_id: string
  form_response_id: string | null
  team_id: string | null
  task_id: string | null
  phone: string | null
  preferred_time: Timestamp | null
  status: ColumnType<'scheduled' | 'completed', 'scheduled' | 'completed' | undefined, 'scheduled' | 'completed'>
  completed_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** Tables of lead capture (migration 0008). */
export interface LeadTables {
  teams: TeamsTable
  domains: DomainsTable
  forms: FormsTable
  form_responses: FormResponsesTable
  notifications: NotificationsTable
  callbacks: CallbacksTable
}
