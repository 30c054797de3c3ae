import { hash } from 'node:crypto'
import { ApiError } from './errors.js'

/**
 * A strong validator for one object's representation: a hash of its JSON. Reads and writes of the
 * same object compute it from the same API object, so a client's copy matches until the object
 * changes in any field.
 */
export function etagOf(representation: unknown): string {
  // SHA-1 here only tells versions apart (no adversary gains from a collision); one-shot hashing
  // skips the Hash object, which dominates the cost for a small JSON.
  return `"${hash('sha1', JSON.stringify(representation), 'base64url')}"`
}

/** The entity tags of an If-Match / If-None-Match header: `*`, or the listed tags (weak ones marked). */
function parseTags(header: string): string[] | '*' {
  if (header.trim() === '*') return '*'
  return header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
}

/**
 * Throws 412 unless `ifMatch` is absent, `*`, or lists the current representation's ETag. Call it
 * after locking the row (SELECT … FOR UPDATE) so no write can slip between the check and the change.
 * Weak tags never match: If-Match uses the strong comparison.
 */
export function assertIfMatch(ifMatch: string | undefined, current: unknown): void {
  if (ifMatch === undefined) return
  const tags = parseTags(ifMatch)
  if (tags === '*') return
  const etag = etagOf(current)
  if (!tags.includes(etag)) {
    throw new ApiError(
      'precondition_failed',
      'The object changed since you read it (If-Match does not match its ETag); fetch it again and retry',
    )
  }
}

/**
 * Whether an If-None-Match header says the client's copy is current: `*`, or one of its tags
 * matches `etag` by the weak comparison (W/"x" matches "x"). A repeated header is joined.
 */
export function ifNoneMatchHolds(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false
  const tags = parseTags(Array.isArray(header) ? header.join(',') : header)
  return tags === '*' || tags.some((t) => t.replace(/^W\//, '') === etag)
}

/** The request's If-Match header, if any (a repeated header is joined, as HTTP allows). */
export function ifMatchOf(req: { headers: Record<string, string | string[] | undefined> }): string | undefined {
  const h = req.headers['if-match']
  return Array.isArray(h) ? h.join(',') : h
}
