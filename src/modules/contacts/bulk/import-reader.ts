import type { Readable } from 'node:stream'
import { setImmediate as yieldToOthers } from 'node:timers/promises'
import { parse } from 'csv-parse'
import { ApiError } from '../../../core/errors.js'
import {
  buildRow,
  type ColumnTarget,
  foldInto,
  type ImportRow,
  keysOf,
  type MergedRow,
  resolveColumns,
} from './import-rows.js'

/** Records per batch: 500 keeps one statement's JSON parameter near 100 KB and a batch well under a second. */
export const IMPORT_BATCH_ROWS = 500
/**
 * Parsing and checking rows is CPU work on the API's thread (the worker runs beside the API in
 * `rapport start`): every this-many records the reader lets pending I/O (requests) run.
 */
const YIELD_EVERY_RECORDS = 100

/** What one batch writes, and how far into the file it reaches. */
export interface ImportBatch {
  /** Valid rows, one per contact: later rows for the same contact are folded into the first. */
  rows: MergedRow[]
  /** Rows skipped for their content, with why. */
  invalid: { row: number; message: string }[]
  /** Data records (rows after the header) read from the start of the file through this batch. */
  recordsRead: number
}

export interface ReadOptions {
  /** Data records already imported (a resumed job): read, counted, not returned. */
  skipRecords?: number
  batchRows?: number
}

/** Streams the CSV into parser records; one record in memory at a time, at most 1 MB each. */
function records(source: Readable): AsyncIterable<string[]> {
  return source.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 1024 * 1024 }),
  ) as AsyncIterable<string[]>
}

function malformed(err: unknown): unknown {
  if (err instanceof ApiError) return err
  const e = err as { code?: string; lines?: number; message?: string }
  if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
    return new ApiError('validation_failed', `The CSV is malformed near line ${e.lines}: ${e.message}`, {
      details: [{ field: 'file', message: `Malformed CSV near line ${e.lines}` }],
    })
  }
  return err
}

function emptyFile(): ApiError {
  return new ApiError('validation_failed', 'The CSV is empty: it needs a header row', {
    details: [{ field: 'file', message: 'Needs a header row' }],
  })
}

/**
 * Reads the header and checks it against the mapping (a 422 for a header that maps no contact
 * field), then reads the whole file without keeping it, so a file that is not valid CSV is refused
 * before anything is written. Returns the number of data records. `heartbeat` is called as it
 * goes (a job renews its lease: a large file takes a while to read).
 */
export async function checkCsv(
  source: Readable,
  mapping: Map<string, ColumnTarget>,
  heartbeat?: { everyRecords: number; beat: () => Promise<void> },
): Promise<number> {
  let count = -1
  try {
    for await (const record of records(source)) {
      if (count === -1) resolveColumns(record, mapping)
      count++
      if (count % (YIELD_EVERY_RECORDS * 10) === 0) await yieldToOthers()
      if (heartbeat && count > 0 && count % heartbeat.everyRecords === 0) await heartbeat.beat()
    }
  } catch (err) {
    throw malformed(err)
  }
  if (count === -1) throw emptyFile()
  return count
}

/** Reads the header only, and checks it against the mapping. */
export async function checkHeader(source: Readable, mapping: Map<string, ColumnTarget>): Promise<void> {
  try {
    for await (const record of records(source)) {
      resolveColumns(record, mapping)
      source.destroy()
      return
    }
  } catch (err) {
    throw malformed(err)
  }
  throw emptyFile()
}

/**
 * Parses the CSV as a stream into batches of at most `batchRows` records, in file order. Within a
 * batch a later row for the contact of an earlier one is folded into it (one write per contact);
 * a row that shares a key with another contact's row of the batch starts a new batch instead, so
 * rows apply in file order and a later duplicate updates what the earlier row wrote (last wins).
 */
export async function* readImportBatches(
  source: Readable,
  mapping: Map<string, ColumnTarget>,
  options: ReadOptions = {},
): AsyncGenerator<ImportBatch> {
  const batchRows = options.batchRows ?? IMPORT_BATCH_ROWS
  const skip = options.skipRecords ?? 0
  let columns: ColumnTarget[] | undefined
  let batch: ImportBatch = { rows: [], invalid: [], recordsRead: 0 }
  let inBatch = 0
  /** Each key of the batch (email, external id) with the row that holds it. */
  let owners = new Map<string, MergedRow>()
  let recordsRead = 0
  let row = 0
  /** Ends the batch after `upTo` data records. */
  const cut = (upTo: number): ImportBatch => {
    const done = { ...batch, recordsRead: upTo }
    batch = { rows: [], invalid: [], recordsRead: 0 }
    owners = new Map()
    inBatch = 0
    return done
  }
  try {
    for await (const record of records(source)) {
      row++
      if (!columns) {
        columns = resolveColumns(record, mapping)
        continue
      }
      if (recordsRead < skip) {
        recordsRead++
        if (recordsRead % (YIELD_EVERY_RECORDS * 10) === 0) await yieldToOthers()
        continue
      }
      if (recordsRead % YIELD_EVERY_RECORDS === 0) await yieldToOthers()
      if (inBatch >= batchRows) yield cut(recordsRead)
      recordsRead++
      inBatch++
      const built = buildRow(record, columns, row)
      if (!built.ok) {
        batch.invalid.push({ row, message: built.message })
        continue
      }
      const value: ImportRow = built.value
      const keys = keysOf(value)
      const owner = keys.primary === null ? undefined : owners.get(keys.primary)
      const foldable =
        owner !== undefined &&
        keysOf(owner).primary === keys.primary &&
        keys.all.every((k) => (owners.get(k) ?? owner) === owner)
      if (owner && foldable) {
        foldInto(owner, value)
        for (const k of keys.all) owners.set(k, owner)
        continue
      }
      if (keys.all.some((k) => owners.has(k))) {
        // Written in this batch, it would race the other row's write: it goes first in the next.
        inBatch--
        yield cut(recordsRead - 1)
        inBatch++
      }
      const added: MergedRow = { ...value, folded: [] }
      batch.rows.push(added)
      for (const k of keys.all) owners.set(k, added)
    }
  } catch (err) {
    throw malformed(err)
  }
  if (!columns) throw emptyFile()
  if (inBatch > 0) yield cut(recordsRead)
}
