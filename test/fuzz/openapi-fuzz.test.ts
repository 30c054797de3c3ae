import { Ajv } from 'ajv'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, describe, expect, test } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { ERROR_STATUS, MAX_ERROR_DETAILS } from '../../src/core/errors.js'
import { ADMIN_TOKEN, testApp } from '../harness.js'
import { type Mutation, mutationArbitrary } from './bad-values.js'
import { doc, type Operation, operations } from './operations.js'

/**
 * Bad inputs for every operation of docs/openapi.json: no answer may be a 5xx, and every error must
 * be the documented envelope. The seed is fixed; RAPPORT_FUZZ_CASES (cases per operation, default 8)
 * and RAPPORT_FUZZ_SEED make a longer or different run.
 */
const CASES = Number(process.env.RAPPORT_FUZZ_CASES || 8)
const SEED = Number(process.env.RAPPORT_FUZZ_SEED || 20_2026)
const ORIGIN = 'http://127.0.0.1:1'
const NO_SUCH_ID = 'zz_01jd3k8m2x7q9v4b6n5t0w1y2z'

/** Limits high enough that the fuzz never meets a 429 (which would hide what it looks for). */
function unlimitedEnv(): Record<string, string> {
  const env = { RAPPORT_RATE_LIMITS: 'teams=1000000/min+1000000/h', RAPPORT_WEBHOOK_ALLOW_PRIVATE: '1' }
  try {
    loadConfig(env)
    return env
  } catch {
    return { ...env, RAPPORT_RATE_LIMITS: 'teams=1000000' }
  }
}

type H = Awaited<ReturnType<typeof testApp>>

interface Setup {
  h: H
  ids: Map<string, Record<string, string>>
  publishableKey: string | undefined
}

function headersFor(op: Operation, s: Setup): Record<string, string> {
  switch (op.auth) {
    case 'key':
      return { authorization: `Bearer ${s.h.org.key}` }
    case 'admin':
      return { authorization: `Bearer ${ADMIN_TOKEN}` }
    case 'publishable':
      return s.publishableKey ? { 'x-api-key': s.publishableKey, origin: ORIGIN } : {}
    default:
      return {}
  }
}

async function list(h: H, url: string): Promise<Record<string, unknown>[]> {
  const res = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.org.key}` } })
  const data = res.statusCode === 200 ? (res.json() as { data?: unknown }).data : undefined
  return Array.isArray(data) ? (data as Record<string, unknown>[]) : []
}

/**
 * Real objects for the path parameters, so bad bodies reach the services and not only a 404: every
 * create operation runs once with its documented example, then each `{param}` takes an object listed
 * by the collection in front of it. The fuzz's own key and organization are never targets.
 */
async function prepare(h: H, ops: Operation[]): Promise<Setup> {
  const other = await h.newOrg()
  const pk = await h.api('POST', '/api/v1/api_keys', {
    name: 'fuzz widget',
    type: 'publishable',
    allowed_origins: [ORIGIN],
  })
  const setup: Setup = { h, ids: new Map(), publishableKey: pk.json().key }
  const creates = ops.filter((op) => op.method === 'POST' && op.pathParams.length === 0 && op.auth === 'key')
  for (const op of creates) await h.api('POST', op.path, op.body)
  const users = await list(h, '/api/v1/users')
  const eventTypes = await list(h, '/api/v1/event_types')
  const protectedIds = new Set([h.org.id, h.org.keyId])
  for (const op of ops) {
    const values: Record<string, string> = {}
    const segments = op.path.split('/')
    for (let i = 0; i < segments.length; i++) {
      const name = /^\{(.+)\}$/.exec(segments[i]!)?.[1]
      if (!name) continue
      if (name === 'username') values[name] = String(users.find((u) => u.username)?.username ?? 'nobody')
      else if (name === 'slug') values[name] = String(eventTypes[0]?.slug ?? 'none')
      else if (op.path.startsWith('/admin/v1/orgs/')) values[name] = other.id
      else if (op.path.startsWith('/admin/v1/api_keys/')) values[name] = other.keyId
      else {
        const collection = segments
          .slice(0, i)
          .map((s) => s.replace(/^\{(.+)\}$/, (_m, p: string) => values[p] ?? NO_SUCH_ID))
          .join('/')
        const found = (await list(h, collection)).find((o) => typeof o.id === 'string' && !protectedIds.has(o.id))
        values[name] = (found?.id as string | undefined) ?? NO_SUCH_ID
      }
    }
    setup.ids.set(op.id, values)
  }
  return setup
}

function setAt(body: unknown, path: string[], value: unknown, drop = false): unknown {
  const root = structuredClone(body ?? {}) as Record<string, unknown>
  let node: Record<string, unknown> = root
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    node[key] = next && typeof next === 'object' ? next : {}
    node = node[key] as Record<string, unknown>
  }
  const last = path[path.length - 1]!
  if (drop) delete node[last]
  else node[last] = value
  return root
}

interface Sent {
  method: string
  url: string
  payload?: string
}

function request(op: Operation, s: Setup, m: Mutation): Sent {
  const params = { ...s.ids.get(op.id) }
  let pathText: Record<string, string> = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, encodeURIComponent(v)]),
  )
  let query = ''
  let payload = op.hasBody ? JSON.stringify(op.body ?? {}) : undefined
  switch (m.kind) {
    case 'field': {
      const path = op.fields[m.pick % Math.max(1, op.fields.length)] ?? ['fuzz']
      payload = JSON.stringify(setAt(op.body, path, m.value))
      break
    }
    case 'drop': {
      const path = op.fields[m.pick % Math.max(1, op.fields.length)] ?? ['fuzz']
      payload = JSON.stringify(setAt(op.body, path, undefined, true))
      break
    }
    case 'extra':
      payload = JSON.stringify({ ...(op.body as object), fuzz_extra_field: m.value })
      break
    case 'body':
      payload = m.raw
      break
    case 'query':
      query = `${op.queryParams[m.pick % op.queryParams.length]}=${m.text}`
      break
    case 'unknown-query':
      query = `fuzz_unknown=${m.text}`
      break
    case 'path': {
      const name = op.pathParams[m.pick % op.pathParams.length]!
      pathText = { ...pathText, [name]: m.text }
      break
    }
  }
  const url = op.path.replace(/\{([^}]+)\}/g, (_m, p: string) => pathText[p] ?? NO_SUCH_ID) + (query ? `?${query}` : '')
  return { method: op.method, url, ...(payload === undefined ? {} : { payload }) }
}

const componentsAjv = new Ajv({ strict: false, allErrors: false })
componentsAjv.addSchema({ $id: 'openapi', components: doc.components })

/**
 * What is wrong with an answer, if anything: a 5xx, or an error body other than the one the
 * operation documents for that status (the `Error` envelope, unless a compatible API's own body is
 * documented, as for the `/v1` routes).
 */
function problemWith(res: Answer, op: Operation): string | undefined {
  if (res.statusCode >= 500) return `status ${res.statusCode}`
  if (res.statusCode < 400) return undefined
  let body: { error?: Record<string, unknown> }
  try {
    body = res.json()
  } catch {
    return `status ${res.statusCode} with a body that is not JSON`
  }
  const documented = op.errorSchemas[String(res.statusCode)]
  if (documented && documented !== 'Error') {
    const schema = typeof documented === 'string' ? { $ref: `openapi#/components/schemas/${documented}` } : documented
    const valid = componentsAjv.validate(schema, body)
    return valid ? undefined : `not the documented ${typeof documented === 'string' ? documented : 'error'} body`
  }
  const e = body.error
  if (!e || Object.keys(body).length !== 1) return 'no error envelope'
  const code = e.code as keyof typeof ERROR_STATUS
  if (!(code in ERROR_STATUS)) return `undocumented code ${String(code)}`
  if (ERROR_STATUS[code] !== res.statusCode) return `code ${code} with status ${res.statusCode}`
  if (typeof e.message !== 'string' || !e.message) return 'no message'
  if (e.request_id !== res.headers['x-request-id']) return 'request_id missing or not the X-Request-Id header'
  const allowed = new Set(['code', 'message', 'details', 'details_omitted', 'retry_after', 'request_id'])
  const extra = Object.keys(e).filter((k) => !allowed.has(k))
  if (extra.length) return `unknown envelope fields ${extra.join(', ')}`
  if (e.details !== undefined) {
    const details = e.details as { field?: unknown; message?: unknown }[]
    if (!Array.isArray(details) || details.length > MAX_ERROR_DETAILS) return 'details not a list of at most 100'
    if (details.some((d) => typeof d.field !== 'string' || typeof d.message !== 'string')) return 'malformed detail'
  }
  return undefined
}

type Answer = Pick<LightMyRequestResponse, 'statusCode' | 'headers' | 'body' | 'json'>

/**
 * Sends one request: through inject, or for a streaming operation over a loopback socket, reading
 * an error body whole but a success only up to its headers (the stream would never end).
 */
async function send(h: H, op: Operation, sent: Sent, headers: Record<string, string>): Promise<Answer> {
  if (!op.streams) {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within 15 s to ${sent.method} ${sent.url}`)), 15_000)
    })
    try {
      return await Promise.race([h.app.inject({ ...sent, method: sent.method as 'GET', headers }), late])
    } finally {
      clearTimeout(timer)
    }
  }
  const address = h.app.server.address()
  if (!address || typeof address === 'string') await h.app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = h.app.server.address() as { port: number }
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), 10_000)
  try {
    const res = await fetch(`http://127.0.0.1:${port}${sent.url}`, {
      method: sent.method,
      headers,
      signal: controller.signal,
      ...(sent.payload === undefined ? {} : { body: sent.payload }),
    })
    const body = res.status >= 400 ? await res.text() : ''
    return {
      statusCode: res.status,
      headers: Object.fromEntries(res.headers),
      body,
      json: () => JSON.parse(body),
    }
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
}

/** Deletions last, and the ones that would end the fuzz's own access (sign-out, key revocation) at the very end. */
function inRunOrder(ops: Operation[]): Operation[] {
  const rank = (op: Operation) =>
    op.id === 'revokeApiKey' || op.id === 'adminRevokeApiKey' || op.id === 'signOut'
      ? 2
      : op.method === 'DELETE'
        ? 1
        : 0
  return [...ops].sort((a, b) => rank(a) - rank(b))
}

describe('fuzzing every operation of the OpenAPI document', () => {
  const ops = operations()
  let summary = ''
  afterAll(() => {
    if (summary) console.info(summary)
  })

  test(
    `no bad input gets a 5xx or an answer outside the error envelope (${CASES} cases per operation)`,
    async () => {
      const h = await testApp({ env: unlimitedEnv() })
      const setup = await prepare(h, ops)
      const failures: string[] = []
      let sent = 0
      const byStatus = new Map<number, number>()
      for (const [index, op] of inRunOrder(ops).entries()) {
        const arbitrary = mutationArbitrary({
          hasBody: op.hasBody,
          queryCount: op.queryParams.length,
          pathCount: op.pathParams.length,
        })
        const mutations = fc.sample(arbitrary, { seed: SEED + index, numRuns: CASES })
        for (const m of mutations) {
          const sentRequest = request(op, setup, m)
          const res = await send(h, op, sentRequest, {
            ...headersFor(op, setup),
            ...(sentRequest.payload === undefined ? {} : { 'content-type': 'application/json' }),
          })
          sent++
          byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1)
          if (res.statusCode === 401 && process.env.FUZZ_DEBUG && (byStatus.get(401) ?? 0) < 3)
            console.log(op.id, res.body)
          const problem = problemWith(res, op)
          if (problem) {
            failures.push(
              `${op.id} ${sentRequest.method} ${sentRequest.url.slice(0, 160)} ${JSON.stringify(m).slice(0, 160)} → ${problem}: ${res.body.slice(0, 200)}`,
            )
          }
        }
      }
      await cleanUp(h)
      const fiveHundreds = failures.filter((f) => / → status 5\d\d/.test(f)).length
      summary = `fuzz: ${ops.length} operations, ${sent} requests (${CASES} per operation, seed ${SEED}), ${fiveHundreds} 5xx, ${failures.length - fiveHundreds} other envelope problems; answers by status: ${[
        ...byStatus,
      ]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ')}`
      expect(failures).toEqual([])
    },
    Math.max(600_000, CASES * 200 * 200),
  )
})

/** Endpoints saved by the fuzz (all on loopback, all disabled) do not outlive it. */
async function cleanUp(h: H) {
  for (const endpoint of await list(h, '/api/v1/webhook_endpoints?limit=100')) {
    await h.api('DELETE', `/api/v1/webhook_endpoints/${endpoint.id}`)
  }
}
