import type { FastifyRequest } from 'fastify'

export interface PresentedCredential {
  key: string
  /** The organization id sent beside the key (Basic auth user, or the `accountId` header), if any. */
  orgId?: string
}

/**
 * Reads an API key from any of the accepted forms: `Authorization: Bearer <key>`,
 * `X-API-Key: <key>`, `Authorization: Basic base64(<org_id>:<key>)`, or the header pair
 * `accountId` + `apiKey`.
 */
export function readCredential(req: FastifyRequest): PresentedCredential | undefined {
  const authorization = req.headers.authorization
  if (authorization) {
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2)
    if (scheme?.toLowerCase() === 'bearer' && value) return { key: value }
    if (scheme?.toLowerCase() === 'basic' && value) {
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      const user = colon >= 0 ? decoded.slice(0, colon) : decoded
      const password = colon >= 0 ? decoded.slice(colon + 1) : ''
      // `curl -u rk_live_…:` sends the key as the user with an empty password.
      if (user && password) return { orgId: user, key: password }
      if (user || password) return { key: user || password }
    }
  }
  const xApiKey = header(req, 'x-api-key')
  if (xApiKey) return { key: xApiKey }
  const apiKey = header(req, 'apikey')
  if (apiKey) {
    const accountId = header(req, 'accountid')
    return accountId ? { key: apiKey, orgId: accountId } : { key: apiKey }
  }
  return undefined
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name]
  const s = Array.isArray(v) ? v[0] : v
  return s?.trim() || undefined
}

/**
 * The key of a public form request: any header form above, or `?key=` (a script tag or a plain GET
 * cannot set headers). Only publishable keys belong there; a secret key is read so it can be refused.
 */
export function readPublishableKey(req: FastifyRequest): string | undefined {
  const fromHeader = readCredential(req)?.key
  if (fromHeader) return fromHeader
  const q = (req.query as { key?: unknown } | undefined)?.key
  return typeof q === 'string' && q.trim() ? q.trim() : undefined
}
