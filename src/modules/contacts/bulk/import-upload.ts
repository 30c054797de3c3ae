import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError } from '../../../core/errors.js'

const MB = 1024 * 1024
/** The largest CSV `POST /api/v1/contacts/import` takes and imports while the client waits. */
export const IMPORT_SYNC_LIMIT_BYTES = 5 * MB
/** The largest CSV `POST /api/v1/imports` takes (imported as a job, stored in the database meanwhile). */
export const IMPORT_JOB_LIMIT_BYTES = 1024 * MB

/** How large an upload may be, and what to answer past that. */
export interface UploadLimit {
  bytes: number
  tooLarge(): ApiError
}

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
    readonly fileName: string | undefined = undefined,
  ) {}

  toJSON() {
    return { csv_sha256: this.sha256, bytes: this.bytes, mapping: this.mapping ?? null }
  }

  /** Removes the temporary file (and its directory); safe to call twice. */
  discard(): Promise<void> {
    return rm(path.dirname(this.path), { recursive: true, force: true })
  }
}

/**
 * Copies `source` into a new temporary file in 64 KiB chunks, hashing it on the way, and fails with
 * 413 past the limit. Memory stays flat whatever the size; a failed or aborted upload leaves no file.
 * Spooling first also means an upload cut off half-way imports nothing.
 */
export async function spoolCsv(
  source: Readable,
  mapping: string | undefined,
  limit: UploadLimit,
  fileName?: string,
): Promise<SpooledCsv> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-import-'))
  const file = path.join(dir, 'upload.csv')
  const hash = createHash('sha256')
  let bytes = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      if (bytes > limit.bytes) return done(limit.tooLarge())
      hash.update(chunk)
      done(null, chunk)
    },
  })
  try {
    await pipeline(source, meter, createWriteStream(file))
    // A multipart file stream that hit busboy's own size limit ends early, flagged `truncated`.
    if ((source as Readable & { truncated?: boolean }).truncated) throw limit.tooLarge()
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err instanceof ApiError ? err : new ApiError('invalid_json', 'The upload was interrupted or unreadable')
  }
  return new SpooledCsv(file, bytes, hash.digest('hex'), mapping, fileName)
}

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain']

function unsupported(): ApiError {
  return new ApiError(
    'unsupported_media_type',
    'Send the CSV as text/csv, or as multipart/form-data with a "file" field',
  )
}

/** Reads a multipart upload: the `file` part is spooled, a `mapping` part kept; anything else is a 422. */
async function spoolMultipart(req: FastifyRequest, limit: UploadLimit): Promise<SpooledCsv> {
  let mapping: string | undefined
  let spooled: SpooledCsv | undefined
  try {
    for await (const part of req.parts({ limits: { fileSize: limit.bytes, files: 1, fields: 5 } })) {
      if (part.type === 'file' && part.fieldname === 'file' && !spooled) {
        spooled = await spoolCsv(part.file as Readable, undefined, limit, part.filename || undefined)
      } else if (part.type === 'field' && part.fieldname === 'mapping') {
        mapping = String(part.value)
      } else {
        if (part.type === 'file') part.file.resume()
        throw new ApiError(
          'validation_failed',
          `${part.fieldname}: Unknown field (send "file" and optionally "mapping")`,
          {
            details: [{ field: part.fieldname, message: 'Unknown field' }],
          },
        )
      }
    }
  } catch (err) {
    await spooled?.discard()
    if (err instanceof ApiError) throw err
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw limit.tooLarge()
    throw new ApiError('invalid_json', 'The multipart body could not be read')
  }
  if (!spooled) {
    throw new ApiError('validation_failed', 'file: This field is required', {
      details: [{ field: 'file', message: 'This field is required' }],
    })
  }
  return new SpooledCsv(spooled.path, spooled.bytes, spooled.sha256, mapping, spooled.fileName)
}

/**
 * Makes the routes of this plugin take a CSV upload (a `text/csv` body, or `multipart/form-data`
 * with a `file` part and an optional `mapping` part) spooled to a temporary file before the
 * idempotency hook runs, so an `Idempotency-Key` covers the file's content. The body limit and the
 * parsers apply to this plugin only: every other route keeps the 1 MB JSON-only rule. Returns the
 * route options that read the upload and remove the file once the response is sent.
 */
export async function acceptCsvUploads(app: FastifyInstance, limit: UploadLimit) {
  await app.register(multipart)
  app.addContentTypeParser(
    CSV_TYPES,
    // Fastify's own limit sits above ours, so the answer past ours is the route's own 413.
    { bodyLimit: limit.bytes + 1 },
    async (req: FastifyRequest, payload: Readable) => {
      if (Number(req.headers['content-length'] ?? 0) > limit.bytes) throw limit.tooLarge()
      return spoolCsv(payload, (req.query as { mapping?: string } | undefined)?.mapping, limit)
    },
  )
  return {
    bodyLimit: limit.bytes + 1,
    preValidation: async (req: FastifyRequest) => {
      if (req.isMultipart()) req.body = await spoolMultipart(req, limit)
      else if (!(req.body instanceof SpooledCsv)) throw unsupported()
    },
    onResponse: async (req: FastifyRequest) => {
      if (req.body instanceof SpooledCsv) await req.body.discard()
    },
  }
}
