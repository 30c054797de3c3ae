import { isUtf8 } from 'node:buffer'
import sjson from 'secure-json-parse'
import { ApiError } from './errors.js'
import { textProblem } from './text.js'

export const BODY_LIMIT_BYTES = 1024 * 1024
/** No request schema nests anywhere near this deep; deeper bodies are refused before they are parsed. */
export const MAX_BODY_DEPTH = 64

const QUOTE = 0x22
const BACKSLASH = 0x5c
const LOWER_U = 0x75

function isHexZero(byte: number | undefined): boolean {
  return byte === 0x30
}

/** `d` or `D` followed by 8–f: the first half of the escape of a UTF-16 surrogate (`\uD800`–`\uDFFF`). */
function isSurrogateEscape(buf: Buffer, at: number): boolean {
  const d = buf[at]
  const next = buf[at + 1]
  if ((d !== 0x64 && d !== 0x44) || next === undefined) return false
  return (next >= 0x38 && next <= 0x39) || (next >= 0x61 && next <= 0x66) || (next >= 0x41 && next <= 0x46)
}

interface TextScan {
  tooDeep: boolean
  /** The text holds a `\u0000` escape: a NUL may be in some string (JSON text cannot hold a raw one). */
  mayHoldNul: boolean
  /** The text holds a `\uD8xx`–`\uDFxx` escape: a lone surrogate may be in some string. */
  mayHoldSurrogate: boolean
}

/**
 * One pass over the raw bytes, before parsing: the nesting depth outside strings, and whether any
 * escape could produce a NUL or a surrogate. Linear in the body's size whatever its shape, so a
 * 1 MB body of 500,000 brackets is refused in milliseconds and ordinary bodies skip the string walk.
 */
function scanJsonText(buf: Buffer): TextScan {
  const scan: TextScan = { tooDeep: false, mayHoldNul: false, mayHoldSurrogate: false }
  let depth = 0
  let inString = false
  for (let i = 0; i < buf.length; i++) {
    const byte = buf[i]!
    if (inString) {
      if (byte === BACKSLASH) {
        if (buf[i + 1] === LOWER_U) {
          if (isHexZero(buf[i + 2]) && isHexZero(buf[i + 3]) && isHexZero(buf[i + 4]) && isHexZero(buf[i + 5]))
            scan.mayHoldNul = true
          else if (isSurrogateEscape(buf, i + 2)) scan.mayHoldSurrogate = true
        }
        i++
      } else if (byte === QUOTE) inString = false
    } else if (byte === QUOTE) inString = true
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > MAX_BODY_DEPTH) {
        scan.tooDeep = true
        return scan
      }
    } else if (byte === 0x7d || byte === 0x5d) depth--
  }
  return scan
}

/**
 * Finds the first string (value or key) holding a NUL, which PostgreSQL text cannot store, or a lone
 * UTF-16 surrogate, which is not text at all; returns its path and what is wrong. The path is one
 * shared stack: the walk is linear in the size of the value (depth is bounded before parsing).
 */
function findBadString(value: unknown, path: string[]): { path: string[]; message: string } | undefined {
  if (typeof value === 'string') {
    const message = textProblem(value)
    return message ? { path: [...path], message } : undefined
  }
  if (value && typeof value === 'object') {
    const isArray = Array.isArray(value)
    for (const key of Object.keys(value)) {
      path.push(key)
      const keyProblem = isArray ? undefined : textProblem(key)
      if (keyProblem) return { path: [...path], message: keyProblem }
      const found = findBadString((value as Record<string, unknown>)[key], path)
      if (found) return found
      path.pop()
    }
  }
  return undefined
}

/**
 * The JSON body parser (a Fastify content-type parser taking the raw bytes). Bytes that are not UTF-8
 * are a 400 (rather than silently replaced), bodies nested deeper than `MAX_BODY_DEPTH` and
 * prototype-poisoning keys are refused, and NUL characters and lone surrogates are a 422 naming the
 * field; every check is linear in the body's size. http/json-body.ts makes it the only body parser;
 * a route plugin may use it to read another content type as JSON (the /v1 routes do for curl's
 * default form label) with exactly the same checks.
 */
export function parseJsonBody(_req: unknown, body: Buffer | string, done: (err: Error | null, body?: unknown) => void) {
  const buf = body as unknown as Buffer
  if (buf.length === 0) return done(null, undefined)
  if (!isUtf8(buf)) return done(new ApiError('invalid_encoding', 'The body is not valid UTF-8'), undefined)
  const scan = scanJsonText(buf)
  if (scan.tooDeep) {
    return done(
      new ApiError('invalid_json', `The body nests objects and arrays deeper than ${MAX_BODY_DEPTH} levels`),
      undefined,
    )
  }
  let parsed: unknown
  try {
    parsed = sjson.parse(buf.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch (err) {
    return done(new ApiError('invalid_json', `The body is not valid JSON: ${(err as Error).message}`), undefined)
  }
  const bad = scan.mayHoldNul || scan.mayHoldSurrogate ? findBadString(parsed, []) : undefined
  if (bad) {
    const field = bad.path.join('.') || '(root)'
    return done(
      new ApiError('validation_failed', `${field}: ${bad.message}`, { details: [{ field, message: bad.message }] }),
      undefined,
    )
  }
  done(null, parsed)
}
