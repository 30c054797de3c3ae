import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import { registerTags } from '../contacts.repo.js'
import { findOwners, upsertImportBatch } from './import.repo.js'
import type { ImportBatch } from './import-reader.js'
import type { MergedRow } from './import-rows.js'

/** What one batch did: counts by row of the file, and the rows it skipped, in row order. */
export interface BatchResult {
  created: number
  updated: number
  errors: { row: number; message: string }[]
}

/**
 * Writes one batch in the caller's transaction: tags first (created in the organization on first
 * use, with their existing spelling), then every contact in one statement. A row folded into an
 * earlier one counts as an update, as it would have been written one after the other.
 */
export async function writeImportBatch(db: Executor, scope: TenantScope, batch: ImportBatch): Promise<BatchResult> {
  const errors = [...batch.invalid]
  const result: BatchResult = { created: 0, updated: 0, errors }
  const rows = await withOwners(db, scope, batch.rows, errors)
  if (rows.length > 0) {
    const tagNames = rows.flatMap((r) => r.tags ?? [])
    if (tagNames.length > 0) {
      const canonical = new Map((await registerTags(db, scope, tagNames)).map((t) => [t.toLowerCase(), t]))
      for (const r of rows) {
        if (r.tags) r.tags = [...new Set(r.tags.map((t) => canonical.get(t.toLowerCase()) ?? t))]
      }
    }
    const outcome = await upsertImportBatch(db, scope, rows)
    const inserted = new Set(outcome.inserted)
    const updated = new Set(outcome.updated)
    for (const r of rows) {
      if (inserted.has(r.row)) {
        result.created++
        result.updated += r.folded.length
      } else if (updated.has(r.row)) {
        result.updated += 1 + r.folded.length
      } else {
        const message =
          r.external_id !== null
            ? `external_id ${r.external_id} belongs to another contact`
            : 'Conflicts with a contact written at the same time; import the row again'
        for (const row of [r.row, ...r.folded]) errors.push({ row, message })
      }
    }
  }
  errors.sort((a, b) => a.row - b.row)
  return result
}

/**
 * The rows with their owner's user id (`owner_id`), found by id or by email among the users of the
 * organization (one query per batch); a row naming nobody of the organization is skipped with an
 * error, as an invalid cell is.
 */
async function withOwners(
  db: Executor,
  scope: TenantScope,
  rows: MergedRow[],
  errors: BatchResult['errors'],
): Promise<(MergedRow & { owner_id: string | null })[]> {
  const named = [...new Set(rows.flatMap((r) => (r.owner === null ? [] : [r.owner])))]
  const found = named.length === 0 ? new Map<string, string>() : await findOwners(db, scope, named)
  return rows.flatMap((r): (MergedRow & { owner_id: string | null })[] => {
    if (r.owner === null) return [{ ...r, owner_id: null }]
    const ownerId = found.get(r.owner) ?? found.get(r.owner.toLowerCase())
    if (ownerId !== undefined) return [{ ...r, owner_id: ownerId }]
    for (const row of [r.row, ...r.folded]) {
      errors.push({ row, message: `owner_id: No user ${r.owner} in this organization (give a user id or email)` })
    }
    return []
  })
}
