import type { LookupFunction } from 'node:net'
import { Agent, request } from 'undici'

/** Response bodies are kept up to this size. */
export const RESPONSE_EXCERPT_BYTES = 64 * 1024
/** The body sent is kept with the attempt up to this size. */
export const REQUEST_BODY_BYTES = 64 * 1024

/** The first `maxBytes` bytes of a text (a character cut in two becomes U+FFFD). */
export function excerpt(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text
  const bytes = Buffer.from(text, 'utf8')
  return bytes.length <= maxBytes ? text : bytes.subarray(0, maxBytes).toString('utf8')
}

export interface AttemptOutcome {
  /** Present when the receiver answered. */
  statusCode?: number
  /** Up to 64 KB of the response body. */
  responseBody: string
  /** The response headers (repeated ones joined with ", "); absent when no answer came. */
  responseHeaders?: Record<string, string>
  /** Why there is no answer (timeout, refused, blocked address…), or why the answer is a failure. */
  error?: string
  retryAfter?: string
  durationMs: number
  isSuccess: boolean
}

export interface Sender {
  post(url: string, headers: Record<string, string>, body: string): Promise<AttemptOutcome>
  /** Waits for requests under way, then closes connections. */
  close(): Promise<void>
  /** Aborts requests under way. */
  destroy(): Promise<void>
}

/**
 * POSTs a signed delivery. Redirects are not followed (a 3xx is a failure: following one would let
 * a receiver point us anywhere). `lookup` resolves host names at connect time, so an address policy
 * checked there also defeats DNS rebinding; a refused address surfaces as a "blocked address" error.
 */
export function createSender(opts: { timeoutMs: number; lookup?: LookupFunction; connections?: number }): Sender {
  const agent = new Agent({
    connections: opts.connections ?? 64,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connect: { timeout: opts.timeoutMs, ...(opts.lookup ? { lookup: opts.lookup } : {}) },
  })
  return {
    async post(url, headers, body) {
      const started = performance.now()
      const elapsed = () => Math.round(performance.now() - started)
      try {
        const res = await request(url, {
          method: 'POST',
          headers,
          body,
          dispatcher: agent,
          signal: AbortSignal.timeout(opts.timeoutMs),
        })
        const responseBody = await readExcerpt(res.body)
        const statusCode = res.statusCode
        const isSuccess = statusCode >= 200 && statusCode < 300
        const retryAfter = res.headers['retry-after']
        return {
          statusCode,
          responseBody,
          responseHeaders: flattenHeaders(res.headers),
          durationMs: elapsed(),
          isSuccess,
          ...(isSuccess
            ? {}
            : {
                error:
                  statusCode >= 300 && statusCode < 400
                    ? `redirect (${statusCode}) not followed`
                    : `HTTP ${statusCode}`,
              }),
          ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
        }
      } catch (err) {
        return {
          responseBody: '',
          durationMs: elapsed(),
          isSuccess: false,
          error: describeFailure(err, opts.timeoutMs),
        }
      }
    },
    close: () => agent.close(),
    destroy: () => agent.destroy(),
  }
}

async function readExcerpt(stream: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    chunks.push(chunk)
    size += chunk.length
    if (size >= RESPONSE_EXCERPT_BYTES) {
      stream.destroy()
      break
    }
  }
  // PostgreSQL text cannot hold NUL: one in the answer would make the attempt unrecordable.
  return Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD')
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } }
  const code = e.code ?? e.cause?.code
  if (
    e.name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return `timeout after ${timeoutMs} ms`
  }
  if (code === 'ECONNREFUSED') return 'connection refused'
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name does not resolve'
  if (code === 'ERR_BLOCKED_ADDRESS') return `blocked address: ${e.message ?? e.cause?.message ?? ''}`.trim()
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return `TLS error (${code})`
  return `network error${code ? ` (${code})` : ''}`
}
