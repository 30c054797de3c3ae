import { createHash } from 'node:crypto'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ifNoneMatchHolds } from '../core/preconditions.js'

/** A response body kept in memory with its gzip and brotli forms, made once. */
export interface CompressedFile {
  contentType: string
  hash: string
  identity: Buffer
  gzip: Buffer
  br: Buffer
}

export function compressedFileOf(body: string | Buffer, contentType: string): CompressedFile {
  const identity = Buffer.isBuffer(body) ? body : Buffer.from(body)
  return {
    contentType,
    hash: createHash('sha256').update(identity).digest('base64url').slice(0, 27),
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    // Quality 9: within a few percent of 11 on JSON, at a fraction of the time (it runs once per file).
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
  }
}

/** The encodings a client accepts, by the Accept-Encoding names we can send (q=0 refuses one). */
function accepts(header: string | undefined, encoding: 'br' | 'gzip'): boolean {
  if (!header) return false
  return header.split(',').some((part) => {
    const [name = '', ...params] = part.trim().split(';')
    if (name.trim().toLowerCase() !== encoding) return false
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}

/**
 * Sends the smallest form the client accepts (brotli, gzip, or none), with `Vary: Accept-Encoding`
 * and an ETag per form; 304 when If-None-Match names it.
 */
export function sendCompressed(req: FastifyRequest, reply: FastifyReply, file: CompressedFile, cacheControl: string) {
  const header = req.headers['accept-encoding']
  const encoding = accepts(header, 'br') ? 'br' : accepts(header, 'gzip') ? 'gzip' : undefined
  const etag = `"${file.hash}${encoding ? `-${encoding}` : ''}"`
  reply.header('vary', 'accept-encoding').header('cache-control', cacheControl).header('etag', etag)
  if (ifNoneMatchHolds(req.headers['if-none-match'], etag)) return reply.code(304).send()
  if (encoding) reply.header('content-encoding', encoding)
  return reply.type(file.contentType).send(encoding ? file[encoding] : file.identity)
}
