import { createReadStream } from 'node:fs'
import { setImmediate as yieldToOthers } from 'node:timers/promises'
import type { Principal } from '../../../core/tenancy.js'
import type { Db } from '../../../db/schema.js'
import { inTransaction } from '../../../db/transaction.js'
import { actorId } from '../../../outbox/actor.js'
import { emit } from '../../../outbox/emit.js'
import { contactImported } from '../contacts.events.js'
import { checkCsv, readImportBatches } from './import-reader.js'
import { parseMapping } from './import-rows.js'
import type { SpooledCsv } from './import-upload.js'
import { writeImportBatch } from './import-writer.js'

/** The `errors` list stops here (`errors_truncated` then says so); the counts stay exact. */
export const IMPORT_MAX_ERRORS = 1000

export interface ImportResult {
  imported: number
  updated: number
  skipped: number
  errors: { row: number; message: string }[]
  errors_truncated: boolean
}

const readCsv = (csv: SpooledCsv) => createReadStream(csv.path, { highWaterMark: 64 * 1024 })

export class ContactsImportService {
  constructor(private readonly db: Db) {}

  /**
   * Imports a spooled CSV (the synchronous route, for small files). The file is checked whole
   * first (a file that is not valid CSV imports nothing), then parsed as a stream and written in
   * batches, each in a short transaction of its own, yielding between batches so other requests
   * interleave. When `signal` aborts (the client went away) it stops after the batch in flight.
   * One `contact.imported` event tells what was written.
   */
  async importCsv(principal: Principal, csv: SpooledCsv, signal?: AbortSignal): Promise<ImportResult> {
    const mapping = parseMapping(csv.mapping)
    await checkCsv(readCsv(csv), mapping)
    const result: ImportResult = { imported: 0, updated: 0, skipped: 0, errors: [], errors_truncated: false }
    for await (const batch of readImportBatches(readCsv(csv), mapping)) {
      if (signal?.aborted) break
      const written = await inTransaction(this.db, (tx) => writeImportBatch(tx, principal, batch))
      result.imported += written.created
      result.updated += written.updated
      result.skipped += written.errors.length
      const room = IMPORT_MAX_ERRORS - result.errors.length
      result.errors.push(...written.errors.slice(0, room))
      if (written.errors.length > room) result.errors_truncated = true
      await yieldToOthers()
    }
    if (result.imported + result.updated > 0 || !signal?.aborted) {
      await emit(this.db, principal, contactImported, {
        count: result.imported + result.updated,
        created: result.imported,
        updated: result.updated,
        failed: result.skipped,
        source: 'csv',
        import_id: null,
        imported_by: actorId(principal),
      })
    }
    return result
  }
}
