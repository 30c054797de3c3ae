/** The dashboard's one way to call Rapport's API: same-origin, with the session cookie. */

export interface ErrorDetail {
  field: string
  message: string
}

export interface ErrorBody {
  code: string
  message: string
  details?: ErrorDetail[]
  retry_after?: number
  request_id?: string
}

/** A non-2xx answer, with the API's error body (or one made up when the body was not JSON). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly retryAfterSec: number | undefined,
  ) {
    super(body.message)
  }
}

export interface Pagination {
  page: number | null
  limit: number
  total: number
  /** False when more than 10,000 items match: `total` is then a lower bound. */
  total_is_exact: boolean
  has_more: boolean
  next_cursor: string | null
}

export interface List<T> {
  data: T[]
  pagination: Pagination
}

export type Mode = 'live' | 'test'

const MODE_KEY = 'rapport.mode'
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

let csrfToken = ''
let mode: Mode = readMode()
let onSessionLost: () => void = () => {}

function readMode(): Mode {
  try {
    return localStorage.getItem(MODE_KEY) === 'test' ? 'test' : 'live'
  } catch {
    return 'live'
  }
}

export function currentMode(): Mode {
  return mode
}

/** Test mode makes every request act on test-mode data (header `Rapport-Mode: test`); kept across visits. */
export function setMode(next: Mode): void {
  mode = next
  try {
    localStorage.setItem(MODE_KEY, next)
  } catch {
    // Private browsing may refuse storage: the mode then lasts for this page only.
  }
}

/** The session's CSRF token: state-changing requests authenticated by the cookie must echo it. */
export function setCsrfToken(token: string): void {
  csrfToken = token
}

/** Called when an API call answers 401 although the user was signed in (the session expired). */
export function whenSessionLost(callback: () => void): void {
  onSessionLost = callback
}

/** A query string from the given values, leaving out empty ones. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await apiWithEtag<T>(method, path, body)).data
}

/**
 * As api(), also giving the answer's `ETag` and sending `extraHeaders` (an `If-Match` with the ETag
 * read, so that a change made meanwhile by someone else is a 412 instead of being overwritten).
 */
export async function apiWithEtag<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<{ data: T; etag: string | null }> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (STATE_CHANGING.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken
  if (mode === 'test') headers['rapport-mode'] = 'test'
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  } catch {
    throw new ApiFailure(
      0,
      { code: 'network_error', message: 'Rapport could not be reached. Check your connection and try again.' },
      undefined,
    )
  }
  if (res.status === 204) return { data: undefined as T, etag: null }
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  if (res.ok) return { data: parsed as T, etag: res.headers.get('etag') }
  const error = (parsed as { error?: ErrorBody } | undefined)?.error ?? {
    code: 'http_error',
    message: `The server answered ${res.status} ${res.statusText}`.trim(),
  }
  const retryAfter = Number(res.headers.get('retry-after'))
  const failure = new ApiFailure(
    res.status,
    error,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : error.retry_after,
  )
  if (res.status === 401 && !path.startsWith('/api/v1/session') && csrfToken) onSessionLost()
  return Promise.reject(failure)
}
