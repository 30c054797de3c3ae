import type { ColumnType, Generated } from 'kysely'
import type { Json, Timestamp } from './columns.js'

/** Saved views of the workspace's tables (migration 0023). */
export interface SavedViewsTable {
  id: string
  org_id: string
  livemode: boolean
  owner_id: string
  resource: string
  name: string
  shared: Generated<boolean>
  columns: Json<string[]>
  sort: string | null
  filter: ColumnType<unknown, string | null, string | null>
  q: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SavedViewTables {
  saved_views: SavedViewsTable
}
