import { readFileSync } from 'node:fs'

type Json = Record<string, unknown>

export interface Operation {
  id: string
  method: string
  /** The path template, such as `/api/v1/contacts/{id}`. */
  path: string
  pathParams: string[]
  queryParams: string[]
  /** The example body of the operation, when it takes one. */
  body: unknown
  hasBody: boolean
  /** Dotted paths of the body's fields, from its schema and its example (nested objects included). */
  fields: string[][]
  auth: 'key' | 'admin' | 'publishable' | 'none'
  /**
   * The body each documented error status has: `Error` (the envelope), another component's name, or
   * an inline schema (a compatible API's own body, as on `/v1` and `POST /api/v1/form_responses`).
   */
  errorSchemas: Record<string, string | Json>
  /** A success is a stream that does not end (server-sent events): sent over a socket, not inject. */
  streams: boolean
}

export const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as {
  security?: Json[]
  paths: Record<string, Record<string, Json>>
  components: { schemas: Record<string, Json> }
}

function resolve(schema: unknown): Json | undefined {
  if (!schema || typeof schema !== 'object') return undefined
  const ref = (schema as Json).$ref
  return typeof ref === 'string' ? doc.components.schemas[ref.split('/').pop()!] : (schema as Json)
}

function fieldPaths(schema: unknown, example: unknown, prefix: string[], out: string[][], depth = 0) {
  const s = resolve(schema)
  if (depth > 4) return
  const branches = [...((s?.anyOf as unknown[]) ?? []), ...((s?.oneOf as unknown[]) ?? [])]
  for (const b of branches) fieldPaths(b, example, prefix, out, depth + 1)
  const props = (s?.properties as Json | undefined) ?? {}
  const keys = new Set([
    ...Object.keys(props),
    ...(example && typeof example === 'object' && !Array.isArray(example) ? Object.keys(example) : []),
  ])
  for (const key of keys) {
    const path = [...prefix, key]
    if (!out.some((p) => p.join('\u0001') === path.join('\u0001'))) out.push(path)
    const child = example && typeof example === 'object' ? (example as Json)[key] : undefined
    const childSchema = resolve(props[key])
    if (childSchema?.type === 'array' || Array.isArray(child)) {
      const items = childSchema?.items
      const first = Array.isArray(child) ? child[0] : undefined
      if (items || first !== undefined) fieldPaths(items, first, [...path, '0'], out, depth + 1)
    } else fieldPaths(childSchema, child, path, out, depth + 1)
  }
}

/** Any URL in an example points to loopback: nothing the fuzz saves may send a request outside. */
function loopbackUrls(value: unknown): unknown {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? 'http://127.0.0.1:9/fuzz' : value
  if (Array.isArray(value)) return value.map(loopbackUrls)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'enabled' ? false : loopbackUrls(v)]))
  }
  return value
}

function errorSchemasOf(op: Json): Record<string, string | Json> {
  const found: Record<string, string | Json> = {}
  for (const [status, response] of Object.entries((op.responses as Record<string, Json> | undefined) ?? {})) {
    const content = (response.content as Record<string, Json> | undefined)?.['application/json']
    const schema = content?.schema as Json | undefined
    if (Number(status) < 400 || !schema) continue
    found[status] = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop()! : schema
  }
  return found
}

function authOf(op: Json): Operation['auth'] {
  // An operation without its own `security` takes the document's.
  const schemes = ((op.security as Json[] | undefined) ?? doc.security ?? []).flatMap((s) => Object.keys(s))
  if (schemes.includes('bearerAuth')) return 'key'
  if (schemes.includes('adminToken')) return 'admin'
  if (schemes.includes('publishableKey')) return 'publishable'
  return 'none'
}

/** Every operation of the published OpenAPI document. */
export function operations(): Operation[] {
  const ops: Operation[] = []
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      const params = (op.parameters as { in: string; name: string }[] | undefined) ?? []
      const content = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined
      const json = content?.['application/json']
      const schema = resolve(json?.schema)
      const example =
        json?.example ??
        (json?.examples as unknown[] | undefined)?.[0] ??
        (schema?.examples as unknown[] | undefined)?.[0]
      const fields: string[][] = []
      if (json) fieldPaths(schema, example, [], fields)
      ops.push({
        id: String(op.operationId),
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        body: json ? loopbackUrls(example ?? {}) : undefined,
        hasBody: !!json,
        fields,
        auth: authOf(op),
        errorSchemas: errorSchemasOf(op),
        streams: !!((op.responses as Record<string, Json> | undefined)?.['200']?.content as Json | undefined)?.[
          'text/event-stream'
        ],
      })
    }
  }
  return ops
}
