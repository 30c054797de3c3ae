import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ApiError } from '../../../http/errors.js'

/** The largest CSV an import accepts (the JSON routes keep their 1 MB limit). */
export const IMPORT_LIMIT_BYTES = 100 * 1024 * 1024

/**
 * An uploaded CSV, spooled to a temporary file as it arrived. Its JSON form (what the idempotency
 * hook hashes as the request body) is the file's SHA-256, size and mapping, never its temporary
 * path: the same file sent again under one `Idempotency-Key` is a replay, another file a 422.
 */
export class SpooledCsv {
  constructor(
    readonly path: string,
    readonly bytes: number,
    readonly sha256: string,
    readonly mapping: string | undefined,
  ) {}

  toJSON() {
    return { csv_sha256: this.sha256, bytes: this.bytes, mapping: this.mapping ?? null }
  }

  /** Removes the temporary file (and its directory); safe to call twice. */
  discard(): Promise<void> {
    return rm(path.dirname(this.path), { recursive: true, force: true })
  }
}

function tooLarge(): ApiError {
  return new ApiError('payload_too_large', `The CSV is larger than ${IMPORT_LIMIT_BYTES / 1024 / 1024} MB`)
}

/**
 * Copies `source` into a new temporary file in 64 KiB chunks, hashing it on the way, and fails with
 * 413 past the limit. Memory stays flat whatever the size; a failed or aborted upload leaves no file.
 * Spooling first also means an upload cut off half-way imports nothing.
 */
export async function spoolCsv(source: Readable, mapping: string | undefined): Promise<SpooledCsv> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-import-'))
  const file = path.join(dir, 'upload.csv')
  const hash = createHash('sha256')
  let bytes = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      if (bytes > IMPORT_LIMIT_BYTES) return done(tooLarge())
      hash.update(chunk)
      done(null, chunk)
    },
  })
  try {
    await pipeline(source, meter, createWriteStream(file))
    // A multipart file stream that hit busboy's own size limit ends early, flagged `truncated`.
    if ((source as Readable & { truncated?: boolean }).truncated) throw tooLarge()
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err instanceof ApiError ? err : new ApiError('invalid_json', 'The upload was interrupted or unreadable')
  }
  return new SpooledCsv(file, bytes, hash.digest('hex'), mapping)
}
