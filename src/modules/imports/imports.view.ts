import type { ImportRow } from './imports.repo.js'
import type { Import } from './imports.schemas.js'

/** The import as the API shows it. */
export function toImport(row: ImportRow, firstErrors?: { row_number: number; message: string }[]): Import {
  return {
    id: row.id,
    object: 'import',
    // A job is listed once its file is stored: `receiving` never shows.
    status: row.status === 'receiving' ? 'queued' : row.status,
    file_name: row.file_name,
    bytes: Number(row.bytes),
    rows_total: row.rows_total,
    rows_read: row.rows_read,
    created: row.created,
    updated: row.updated,
    failed: row.failed,
    error: row.error,
    ...(firstErrors ? { first_errors: firstErrors.map((e) => ({ row: e.row_number, message: e.message })) } : {}),
    imported_by: row.imported_by,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
  }
}

/** The data of import.completed / import.failed. */
export function toImportEvent(row: ImportRow) {
  return {
    id: row.id,
    status: row.status,
    file_name: row.file_name,
    rows_read: row.rows_read,
    created: row.created,
    updated: row.updated,
    failed: row.failed,
    error: row.error,
    imported_by: row.imported_by,
    finished_at: (row.finished_at ?? new Date()).toISOString(),
  }
}
