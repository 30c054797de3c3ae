import { createReadStream } from 'node:fs'
import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import type { Principal, TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { newId } from '../../lib/ids.js'
import { actorId } from '../../outbox/actor.js'
import { checkHeader } from '../contacts/bulk/import-reader.js'
import { parseMapping } from '../contacts/bulk/import-rows.js'
import type { SpooledCsv } from '../contacts/bulk/import-upload.js'
import {
  deleteImport,
  findImport,
  type ImportRow,
  insertChunk,
  insertImport,
  listImportErrors,
  listImports,
  markQueued,
  wakeImportWorkers,
} from './imports.repo.js'
import type { Import } from './imports.schemas.js'
import { toImport } from './imports.view.js'

/** The stored file's chunk size: one statement each, small enough to stay quick on either engine. */
const CHUNK_BYTES = 1024 * 1024
const FIRST_ERRORS = 20
const REPORT_PAGE = 1000

export class ImportsService {
  constructor(private readonly db: Db) {}

  /**
   * Stores the uploaded file in the database (each chunk in a statement of its own, so no long
   * transaction) and queues the job. The mapping and the header are checked first (a 422 before
   * anything is stored); the rows are checked by the worker.
   */
  async create(principal: Principal, csv: SpooledCsv): Promise<Import> {
    const mapping = parseMapping(csv.mapping)
    await checkHeader(createReadStream(csv.path, { highWaterMark: 64 * 1024 }), mapping)
    const id = newId('import')
    await insertImport(this.db, principal, {
      id,
      file_name: csv.fileName?.slice(0, 255) ?? null,
      bytes: csv.bytes,
      sha256: csv.sha256,
      mapping: csv.mapping ?? null,
      imported_by: actorId(principal),
    })
    try {
      let seq = 0
      for await (const chunk of createReadStream(csv.path, { highWaterMark: CHUNK_BYTES })) {
        await insertChunk(this.db, id, seq++, chunk as Buffer)
      }
      await markQueued(this.db, id)
    } catch (err) {
      await deleteImport(this.db, id).catch(() => undefined)
      throw err
    }
    await wakeImportWorkers(this.db)
    return this.get(principal, id)
  }

  private async row(scope: TenantScope, id: string): Promise<ImportRow> {
    const row = await findImport(this.db, scope, id)
    if (!row || row.status === 'receiving') throw new ApiError('not_found', `Import ${id} not found`)
    return row
  }

  async get(scope: TenantScope, id: string): Promise<Import> {
    const row = await this.row(scope, id)
    return toImport(row, await listImportErrors(this.db, id, 0, FIRST_ERRORS))
  }

  async list(scope: TenantScope, page: PageParams) {
    const result = await listImports(this.db, scope, page)
    return { ...result, data: result.data.map((row) => toImport(row)) }
  }

  /**
   * The error report as CSV (`row,message`), read a page at a time: memory stays flat however many
   * rows were skipped. Checks the import exists before the first line.
   */
  async errorReport(scope: TenantScope, id: string): Promise<{ importId: string; lines: AsyncIterable<string> }> {
    const { id: importId } = await this.row(scope, id)
    const db = this.db
    const lines = (async function* () {
      yield 'row,message\r\n'
      let after = 0
      for (;;) {
        const page = await listImportErrors(db, importId, after, REPORT_PAGE)
        if (page.length === 0) return
        yield page.map((e) => `${e.row_number},${csvCell(e.message)}\r\n`).join('')
        after = page.at(-1)!.row_number
        if (page.length < REPORT_PAGE) return
      }
    })()
    return { importId, lines }
  }
}

/** A CSV cell: quoted, with quotes doubled; a leading =, +, - or @ is defused for spreadsheets. */
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}
