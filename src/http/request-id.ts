import type { IncomingMessage } from 'node:http'
import { newId } from '../lib/ids.js'

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** Echoes a caller's `X-Request-Id` when it is short and plain; otherwise makes one (`req_…`). */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  const value = Array.isArray(given) ? given[0] : given
  return value && SAFE_REQUEST_ID.test(value) ? value : newId('request')
}
