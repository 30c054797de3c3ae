import type { ColumnType, Generated } from 'kysely'
import type { Timestamp } from './columns.js'

export type ImportStatus = 'receiving' | 'queued' | 'running' | 'completed' | 'failed'

export interface ImportsTable {
  id: string
  org_id: string
  livemode: boolean
  status: ImportStatus
  file_name: string | null
  bytes: ColumnType<string, string | number, string | number>
  sha256: string
  mapping: string | null
  imported_by: string
  rows_total: number | null
  rows_read: Generated<number>
  created: Generated<number>
  updated: Generated<number>
  failed: Generated<number>
  error: string | null
  attempts: Generated<number>
  leased_by: string | null
  lease_expires_at: Date | null
  created_at: Generated<Timestamp>
  started_at: Date | null
  finished_at: Date | null
  updated_at: Generated<Timestamp>
}

export interface ImportChunksTable {
  import_id: string
  seq: number
  data: Uint8Array
}

export interface ImportErrorsTable {
  import_id: string
  row_number: number
  message: string
}

export interface ImportTables {
  imports: ImportsTable
  import_chunks: ImportChunksTable
  import_errors: ImportErrorsTable
}
