/**
 * The contact-form widget's requests to Rapport: its public form definition, and fetch with
 * retries that tells a refused page from a network failure. Part of /widget/form.js.
 */
import type { FormField } from './form-validation.js'

export interface PublicForm {
  id: string
  name: string
  fields: FormField[]
  success_message: string | null
  redirect_url: string | null
  token: string
  /** The server's RAPPORT_FORM_MIN_FILL_MS: a submission sooner after the token is dropped as a bot's. */
  min_fill_ms: number
  honeypot: string
}

export interface Detail {
  field: string
  message: string
}

/** A failure: the server's error code when it answered, else `network` or `refused`. */
export type Failure = Error & { code: string; details: Detail[] }

/** Attempts of one request before giving up (backoff 1, 2, 4, 8 s, or Retry-After). */
const MAX_ATTEMPTS = 5
const BACKOFF_MS = 1000

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const fail = (code: string, message: string, details: Detail[] = []): Failure =>
  Object.assign(new Error(`RapportForm: ${message}`), { code, details })

/** Whether Rapport answers at all: a no-cors request succeeds even when CORS hides the answer. */
const reachable = (url: string) =>
  fetch(url, { mode: 'no-cors', credentials: 'omit' }).then(
    () => true,
    () => false,
  )

/**
 * fetch, retrying a network failure, a 5xx, a 409 (the same Idempotency-Key still running) or a 429
 * with exponential backoff (or Retry-After); any other answer is returned. A browser hides a refused
 * origin or key as a network failure: when it repeats while Rapport is reachable, it is a refusal.
 */
export async function call(url: string, init: RequestInit, onRetry?: () => void): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let res: Response | undefined
    try {
      res = await fetch(url, { ...init, credentials: 'omit' })
      if (res.status < 500 && res.status !== 409 && res.status !== 429) return res
    } catch {
      if (attempt > 1 && (await reachable(url))) {
        throw fail(
          'refused',
          `Rapport refused this page: use a valid publishable key that lists ${location.origin} in its allowed_origins`,
        )
      }
    }
    if (attempt === MAX_ATTEMPTS) {
      if (res) return res
      throw fail('network', `could not reach Rapport at ${new URL(url).origin}`)
    }
    onRetry?.()
    const retryAfterSec = Number(res?.headers.get('retry-after'))
    await sleep(retryAfterSec > 0 ? retryAfterSec * 1000 : BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2))
  }
}

export async function failureOf(res: Response): Promise<Failure> {
  const { error } = await res.json().catch(() => ({ error: undefined }))
  return fail(error?.code ?? `http_${res.status}`, error?.message ?? `HTTP ${res.status}`, error?.details)
}

export async function loadForm(origin: string, key: string, formId: string): Promise<PublicForm> {
  // The key in the query keeps this GET a simple request: no preflight.
  const res = await call(
    `${origin}/api/v1/forms/${encodeURIComponent(formId)}/public?key=${encodeURIComponent(key)}`,
    {},
  )
  if (!res.ok) throw await failureOf(res)
  return res.json()
}
