import { readFile } from 'node:fs/promises'
import { validate } from '@readme/openapi-parser'
import { beforeAll, describe, expect, test } from 'vitest'
import { GENERATED_NOTE, generateOpenApi, OPENAPI_PATH } from '../scripts/write-openapi.js'
import { ERROR_STATUS } from '../src/core/errors.js'
import { type TestApp, testApp, testDatabase } from './harness.js'

type Node = Record<string, unknown>

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v)
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** Follows a local `#/components/...` reference. */
function resolve(document: Node, value: unknown): Node {
  if (!isNode(value) || typeof value.$ref !== 'string') return isNode(value) ? value : {}
  let target: unknown = document
  for (const part of value.$ref.replace(/^#\//, '').split('/')) target = isNode(target) ? target[part] : undefined
  if (!isNode(target)) throw new Error(`Unresolvable $ref ${value.$ref}`)
  return target
}

function operations(document: Node): { where: string; method: string; op: Node }[] {
  const found: { where: string; method: string; op: Node }[] = []
  for (const [path, item] of Object.entries(document.paths as Node)) {
    for (const [method, op] of Object.entries(item as Node)) {
      if (METHODS.includes(method)) found.push({ where: `${method.toUpperCase()} ${path}`, method, op: op as Node })
    }
  }
  return found
}

/** Collects the path of every object property, in `schema` and below, that has no description. */
function undescribed(document: Node, schema: unknown, where: string, seen = new Set<unknown>()): string[] {
  if (!isNode(schema) || seen.has(schema)) return []
  seen.add(schema)
  const missing: string[] = []
  for (const [name, property] of Object.entries((schema.properties as Node | undefined) ?? {})) {
    const described =
      (isNode(property) && typeof property.description === 'string' && property.description.trim() !== '') ||
      typeof resolve(document, property).description === 'string'
    if (!described) missing.push(`${where}.${name}`)
    missing.push(...undescribed(document, resolve(document, property), `${where}.${name}`, seen))
  }
  const nested: [string, unknown][] = [
    ['[]', schema.items],
    ['{}', schema.additionalProperties],
    ...['anyOf', 'oneOf', 'allOf'].flatMap((k) =>
      ((schema[k] as unknown[] | undefined) ?? []).map((s, i): [string, unknown] => [`<${k}${i}>`, s]),
    ),
    ...Object.values((schema.patternProperties as Node | undefined) ?? {}).map((s): [string, unknown] => ['{}', s]),
  ]
  for (const [suffix, child] of nested) {
    if (isNode(child)) missing.push(...undescribed(document, resolve(document, child), `${where}${suffix}`, seen))
  }
  return missing
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

describe('the OpenAPI document', () => {
  let generated: string
  let document: Node
  let h: TestApp

  beforeAll(async () => {
    h = await testApp()
    generated = await generateOpenApi(await testDatabase())
    document = JSON.parse(generated) as Node
  })

  test('docs/openapi.json is what the code generates', async () => {
    const committed = await readFile(OPENAPI_PATH, 'utf8').catch(() => '')
    expect(committed === generated, 'docs/openapi.json is out of date: run `npm run openapi` and commit it').toBe(true)
    expect(Object.keys(document)[0]).toBe('x-generated')
    expect(document['x-generated']).toBe(GENERATED_NOTE)
  })

  test('is served at /api/v1/openapi.json, the same as the file', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    expect(res.statusCode).toBe(200)
    const { 'x-generated': _, ...expected } = document
    expect(res.json()).toEqual(expected)
  })

  test('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0')
    const result = await validate(structuredClone(document) as never)
    expect(result.valid ? [] : result.errors, 'the validator found problems').toEqual([])
    expect(result.warnings).toEqual([])
  })

  test('every operation has a unique operationId, a summary and declared tags', () => {
    const declaredTags = (document.tags as { name: string }[]).map((t) => t.name)
    const ids = new Set<string>()
    const ops = operations(document)
    expect(ops.length).toBeGreaterThan(0)
    for (const { where, op } of ops) {
      expect(op.operationId, `${where}: operationId`).toEqual(expect.any(String))
      expect(ids.has(op.operationId as string), `${where}: duplicate operationId`).toBe(false)
      ids.add(op.operationId as string)
      expect(op.summary, `${where}: summary`).toEqual(expect.stringMatching(/\S/))
      expect(op.tags, `${where}: tags`).toEqual([expect.any(String)])
      for (const tag of op.tags as string[]) expect(declaredTags, `${where}: tag ${tag}`).toContain(tag)
    }
  })

  test('includes the provisioning routes, secured by the operator token', () => {
    const admin = operations(document).filter(({ where }) => where.includes(' /admin/v1/'))
    expect(admin.length).toBeGreaterThan(0)
    for (const { where, op } of admin) expect(op.security, where).toEqual([{ adminToken: [] }])
    const publishable = [{ publishableKey: [] }]
    const browserRoutes = operations(document).filter(({ op }) => equal(op.security, publishable))
    expect(browserRoutes.map(({ where }) => where).sort()).toEqual([
      'GET /api/v1/forms/{id}/public',
      'POST /api/v1/forms/{id}/submissions',
    ])
    // Signing in and first-run setup need no credential (they are how one gets a session).
    const keyless = operations(document).filter(
      ({ where, op }) => where.includes(' /api/v1/') && equal(op.security, []),
    )
    expect(keyless.map(({ where }) => where).sort()).toEqual([
      'DELETE /api/v1/session',
      'GET /api/v1/invites/preview',
      'GET /api/v1/session',
      'GET /api/v1/setup',
      'GET /api/v1/sign-in-links/preview',
      'POST /api/v1/invites/accept',
      'POST /api/v1/password-resets',
      'POST /api/v1/session',
      'POST /api/v1/setup',
      'POST /api/v1/sign-in-links/redeem',
    ])
    for (const { where, op } of operations(document).filter(({ where }) => where.includes(' /api/v1/'))) {
      if (equal(op.security, publishable) || equal(op.security, [])) continue
      expect(op.security, `${where} uses the API-key schemes`).toBeUndefined()
    }
    const schemes = Object.keys((document.components as Node).securitySchemes as Node)
    expect(schemes.sort()).toEqual([
      'adminToken',
      'apiKeyHeader',
      'basicAuth',
      'bearerAuth',
      'publishableKey',
      'sessionCookie',
    ])
  })

  test('every field of every schema, parameter and header has a description', () => {
    const components = document.components as Node
    const missing: string[] = []
    for (const [name, schema] of Object.entries(components.schemas as Node)) {
      missing.push(...undescribed(document, schema, `#/components/schemas/${name}`))
    }
    for (const [name, header] of Object.entries((components.headers as Node | undefined) ?? {})) {
      if (!(header as Node).description) missing.push(`#/components/headers/${name}`)
    }
    for (const { where, op } of operations(document)) {
      for (const parameter of (op.parameters as unknown[] | undefined) ?? []) {
        const p = resolve(document, parameter)
        if (!p.description) missing.push(`${where} parameter ${p.name as string}`)
      }
      const body = resolve(document, op.requestBody)
      for (const media of Object.values((body.content as Node | undefined) ?? {})) {
        missing.push(...undescribed(document, resolve(document, (media as Node).schema), `${where} body`))
      }
      for (const [status, response] of Object.entries(op.responses as Node)) {
        for (const media of Object.values((resolve(document, response).content as Node | undefined) ?? {})) {
          missing.push(...undescribed(document, resolve(document, (media as Node).schema), `${where} ${status}`))
        }
      }
    }
    expect(missing, `add a description to each of:\n${missing.join('\n')}`).toEqual([])
  })

  test('every request body has an example', () => {
    for (const { where, op } of operations(document)) {
      const body = resolve(document, op.requestBody)
      for (const media of Object.values((body.content as Node | undefined) ?? {}) as Node[]) {
        const schema = resolve(document, media.schema)
        const hasExample = media.example !== undefined || media.examples !== undefined || Array.isArray(schema.examples)
        expect(hasExample, `${where}: request body example`).toBe(true)
      }
    }
  })

  test('every error response uses the one Error schema, whose codes are the closed set', () => {
    for (const { where, op } of operations(document)) {
      const statuses = Object.keys(op.responses as Node)
      expect(statuses, where).toEqual(expect.arrayContaining(['400', '404', '500']))
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const content = resolve(document, (op.responses as Node)[status]).content as Node
        if (where === 'POST /api/v1/form_responses') {
          // The one native route with another dialect (docs/compatibility.md): the CallMeBack body,
          // with the native code, message and request id beside it.
          const schema = (content['application/json'] as Node).schema as Node
          expect(schema.required, `${where} ${status}`).toEqual(['error', 'code', 'message', 'request_id'])
        } else {
          // The /v1 compatibility routes answer the same codes in their product's body (docs/compatibility.md).
          const schema = where.includes(' /v1/') ? 'SarbacaneError' : 'Error'
          expect(content['application/json'], `${where} ${status}`).toEqual({
            schema: { $ref: `#/components/schemas/${schema}` },
          })
        }
        for (const code of ERROR_STATUS_BY_STATUS.get(Number(status)) ?? []) {
          expect((op.responses as Node)[status], `${where} ${status} names ${code}`).toMatchObject({
            description: expect.stringContaining(code),
          })
        }
      }
    }
    const error = resolve(document, { $ref: '#/components/schemas/Error' })
    const code = ((error.properties as Node).error as Node).properties as Node
    expect((code.code as Node).enum).toEqual(Object.keys(ERROR_STATUS))
  })

  test('operations with a key document the rate-limit headers and POSTs the Idempotency-Key', () => {
    for (const { where, method, op } of operations(document).filter(({ op }) => op.security === undefined)) {
      const parameters = ((op.parameters as Node[] | undefined) ?? []).map((p) => resolve(document, p).name)
      if (method === 'post') expect(parameters, where).toContain('Idempotency-Key')
      expect(Object.keys((op.responses as Node)['429'] as Node), where).toContain('headers')
      const headers = Object.keys(((op.responses as Node)['429'] as Node).headers as Node)
      expect(headers, where).toEqual(expect.arrayContaining(['X-RateLimit-Limit', 'Retry-After', 'X-Request-Id']))
    }
  })
})

const ERROR_STATUS_BY_STATUS = new Map<number, string[]>()
for (const [code, status] of Object.entries(ERROR_STATUS)) {
  ERROR_STATUS_BY_STATUS.set(status, [...(ERROR_STATUS_BY_STATUS.get(status) ?? []), code])
}

describe('GET /docs', () => {
  test('serves a reference page whose assets all come from this server', async () => {
    const h = await testApp()
    const page = await h.app.inject({ method: 'GET', url: '/docs' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests|https:/)
    const assets = [...page.body.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
    expect(assets.length).toBeGreaterThan(0)
    for (const asset of assets) {
      const url = new URL(asset, 'http://localhost/docs')
      expect(url.origin, `${asset} must be served by the app`).toBe('http://localhost')
      const res = await h.app.inject({ method: 'GET', url: url.pathname })
      expect(res.statusCode, asset).toBe(200)
      expect(res.rawPayload.length, asset).toBeGreaterThan(0)
    }
    // The page reads the published document itself (its script names it; test/http/docs-page.test.ts).
    const json = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    expect(json.statusCode).toBe(200)
    expect(json.json()).toMatchObject({ openapi: '3.1.0' })
  })
})
