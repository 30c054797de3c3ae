import type { ColumnType } from 'kysely'
import type { Timestamp } from './columns.js'

export type TaskStatus = 'open' | 'completed'
export type ActivityType = 'call' | 'email' | 'meeting' | 'sms' | 'note' | 'other'

export interface TasksTable {
  id: string
  org_id: string
  livemode: boolean
  title: string
  description: string | null
  due_at: Timestamp | null
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>
  assignee_id: string | null
  contact_id: string | null
  deal_id: string | null
  completed_at: Timestamp | null
  /** The API key (`key_…`) or user that completed the task. */
  completed_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ActivitiesTable {
  id: string
  org_id: string
  livemode: boolean
  type: ActivityType
  summary: string
  body: string | null
  occurred_at: Timestamp
  duration_minutes: number | null
  contact_id: string | null
  deal_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface NotesTable {
  id: string
  org_id: string
  livemode: boolean
  body: string
  /** Required on creation; null once the contact has been deleted. */
  contact_id: string | null
  deal_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** Tables of tasks, activities and notes (migration 0004). */
export interface TimelineTables {
  tasks: TasksTable
  activities: ActivitiesTable
  notes: NotesTable
}
