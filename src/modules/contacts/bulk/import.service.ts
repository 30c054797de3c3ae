import { createReadStream } from 'node:fs'
import { parse } from 'csv-parse'
import type { Db, Tx } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import { actorId } from '../../../events/actor.js'
import { emit } from '../../../events/emit.js'
import { ApiError } from '../../../http/errors.js'
import type { Principal } from '../../api-keys/principal.js'
import { registerTags } from '../contacts.repo.js'
import { upsertImportBatch } from './import.repo.js'
import { buildRow, type ImportRow, parseMapping, resolveColumns } from './import-rows.js'
import type { SpooledCsv } from './import-upload.js'

/** Rows per multi-row statement: 500 keeps one statement's JSON parameter near 100 KB. */
export const IMPORT_BATCH_ROWS = 500
/** The `errors` list stops here (`errors_truncated` then says so); the counts stay exact. */
export const IMPORT_MAX_ERRORS = 1000

export interface ImportResult {
  imported: number
  updated: number
  skipped: number
  errors: { row: number; message: string }[]
  errors_truncated: boolean
}

/** Collects the outcome of an import as it goes. */
class Tally implements ImportResult {
  imported = 0
  updated = 0
  skipped = 0
  errors: { row: number; message: string }[] = []
  errors_truncated = false

  skip(row: number, message: string) {
    this.skipped++
    if (this.errors.length < IMPORT_MAX_ERRORS) this.errors.push({ row, message })
    else this.errors_truncated = true
  }

  result(): ImportResult {
    this.errors.sort((a, b) => a.row - b.row)
    const { imported, updated, skipped, errors, errors_truncated } = this
    return { imported, updated, skipped, errors, errors_truncated }
  }
}

export class ContactsImportService {
  constructor(private readonly db: Db) {}

  /**
   * Imports a spooled CSV: parsed as a stream, written in batches of `IMPORT_BATCH_ROWS`, all in one
   * transaction with one `contact.imported` event, so an import is applied whole or not at all.
   * Memory holds one batch, whatever the file's size. Bad rows are skipped and reported.
   */
  async importCsv(principal: Principal, csv: SpooledCsv): Promise<ImportResult> {
    const mapping = parseMapping(csv.mapping)
    const tally = new Tally()
    return inTransaction(this.db, async (tx) => {
      const parser = createReadStream(csv.path, { highWaterMark: 64 * 1024 }).pipe(
        parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 1024 * 1024 }),
      )
      let columns: ReturnType<typeof resolveColumns> | undefined
      let batch: ImportRow[] = []
      // Keys of the current batch: a second row with one of them starts a new batch, so rows apply
      // in file order and a later duplicate updates what the earlier row wrote (last wins).
      const keys = new Set<string>()
      let row = 0
      try {
        for await (const record of parser as AsyncIterable<string[]>) {
          row++
          if (!columns) {
            columns = resolveColumns(record, mapping)
            continue
          }
          const built = buildRow(record, columns, row)
          if (!built.ok) {
            tally.skip(row, built.message)
            continue
          }
          const rowKeys = keysOf(built.value)
          if (rowKeys.some((k) => keys.has(k)) || batch.length >= IMPORT_BATCH_ROWS) {
            await this.writeBatch(tx, principal, batch, tally)
            batch = []
            keys.clear()
          }
          batch.push(built.value)
          for (const k of rowKeys) keys.add(k)
        }
      } catch (err) {
        if (err instanceof ApiError) throw err
        const e = err as { code?: string; lines?: number; message?: string }
        if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
          throw new ApiError('validation_failed', `The CSV is malformed near line ${e.lines}: ${e.message}`, {
            details: [{ field: 'file', message: `Malformed CSV near line ${e.lines}` }],
          })
        }
        throw err
      }
      if (!columns) {
        throw new ApiError('validation_failed', 'The CSV is empty: it needs a header row', {
          details: [{ field: 'file', message: 'Needs a header row' }],
        })
      }
      await this.writeBatch(tx, principal, batch, tally)
      await emit(tx, principal, 'contact.imported', {
        count: tally.imported + tally.updated,
        source: 'csv',
        imported_by: actorId(principal),
      })
      return tally.result()
    })
  }

  private async writeBatch(tx: Tx, scope: Principal, rows: ImportRow[], tally: Tally) {
    if (rows.length === 0) return
    const tagNames = rows.flatMap((r) => r.tags ?? [])
    if (tagNames.length > 0) {
      const canonical = new Map((await registerTags(tx, scope, tagNames)).map((t) => [t.toLowerCase(), t]))
      for (const r of rows) {
        if (r.tags) r.tags = [...new Set(r.tags.map((t) => canonical.get(t.toLowerCase()) ?? t))]
      }
    }
    const outcome = await upsertImportBatch(tx, scope, rows)
    tally.imported += outcome.inserted.length
    tally.updated += outcome.updated.length
    const written = new Set([...outcome.inserted, ...outcome.updated])
    for (const r of rows) {
      if (!written.has(r.row)) {
        tally.skip(
          r.row,
          r.external_id !== null
            ? `external_id ${r.external_id} belongs to another contact`
            : 'Conflicts with a contact written at the same time; import the row again',
        )
      }
    }
  }
}

function keysOf(row: ImportRow): string[] {
  const keys: string[] = []
  if (row.email !== null) keys.push(`e:${row.email.toLowerCase()}`)
  if (row.external_id !== null) keys.push(`x:${row.external_id}`)
  return keys
}
