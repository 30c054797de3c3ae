import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type CompressedFile, compressedFileOf, sendCompressed } from './compressed.js'

/** Rapport's mark: the "R" tile of the dashboard, in its accent colour. */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1f4fd1"/><path d="M20 48V16h14.5c7 0 11.5 4 11.5 10.2 0 4.7-2.7 8.1-7 9.4L47 48h-8.4l-7.3-11.8H27.5V48zm7.5-18h6.6c3 0 4.6-1.4 4.6-3.9s-1.6-3.9-4.6-3.9h-6.6z" fill="#fff"/></svg>`

/** The reference in Rapport's colours: its accent in the top bar, no "Swagger" branding. */
const THEME_CSS = `
.swagger-ui .topbar { background: #1f4fd1; padding: 8px 0; }
.swagger-ui .topbar .download-url-wrapper { display: none; }
.swagger-ui .topbar a { max-width: none; }
.swagger-ui .topbar a img { height: 36px; }
.swagger-ui .topbar a::after { content: "Rapport API reference"; color: #fff; font: 600 18px/36px system-ui, sans-serif; margin-left: 10px; }
.swagger-ui .info .title small.version-stamp { background: #1f4fd1; }
.swagger-ui .btn.execute, .swagger-ui .btn.authorize { background: #1f4fd1; border-color: #1f4fd1; color: #fff; }
.swagger-ui .btn.authorize svg { fill: #fff; }
.swagger-ui .opblock-tag { font-size: 18px; }
`

/** swagger-ui's files that the page loads: served compressed (the bundle is 1.4 MB, 0.4 MB in gzip). */
const UI_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
}

const STATIC_FILE_CACHE = 'public, max-age=86400'
const PAGE = { schema: { hide: true }, config: { publicRateLimit: false as const } }

type Json = Record<string, unknown>

function lazily<T>(make: () => T): () => T {
  let value: T | undefined
  return () => {
    value ??= make()
    return value
  }
}

/** `document.paths` and `components.parameters`: every parameter object of the document. */
function parametersOf(document: Json): Json[] {
  const found: Json[] = []
  for (const operations of Object.values((document.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(operations)) {
      if (Array.isArray(operation?.parameters)) found.push(...(operation.parameters as Json[]))
    }
  }
  found.push(...Object.values(((document.components as Json | undefined)?.parameters ?? {}) as Record<string, Json>))
  return found
}

/**
 * The document as the /docs page gets it. "Try it out" fills a parameter's input with its example,
 * so a list's every filter was sent with a made-up value (and listing contacts found nothing): here
 * a parameter's examples move into its description, where they are read, not sent. Request bodies
 * keep theirs (an editable example body is the point). No `servers`: the page calls the origin it
 * was loaded from, whatever address that is.
 */
export function documentForTheReferencePage(document: Json): Json {
  const copy = structuredClone(document)
  delete copy.servers
  for (const parameter of parametersOf(copy)) {
    if ('$ref' in parameter) continue
    const schema = (parameter.schema ?? {}) as Json
    const examples = [
      ...(Array.isArray(parameter.examples) ? parameter.examples : []),
      ...(parameter.example === undefined ? [] : [parameter.example]),
      ...(Array.isArray(schema.examples) ? schema.examples : []),
      ...(schema.example === undefined ? [] : [schema.example]),
    ]
    delete parameter.example
    delete parameter.examples
    delete schema.example
    delete schema.examples
    if (examples.length === 0) continue
    const shown = examples.map((e) => `\`${typeof e === 'string' ? e : JSON.stringify(e)}\``).join(', ')
    const description = typeof parameter.description === 'string' ? parameter.description.replace(/\.?$/, '. ') : ''
    parameter.description = `${description}Example: ${shown}`
  }
  shareErrorResponses(copy)
  return asOpenApi30(copy)
}

/**
 * Error responses are the same few objects repeated on every operation (half the document): the
 * page gets each once, in `components.responses`, and references to it.
 */
function shareErrorResponses(document: Json): void {
  const components = (document.components ?? {}) as Json
  const shared = (components.responses ?? {}) as Record<string, Json>
  components.responses = shared
  document.components = components
  const names = new Map<string, string>()
  for (const operations of Object.values((document.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(operations)) {
      const responses = (operation?.responses ?? {}) as Record<string, Json>
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[45]/.test(status)) continue
        const key = JSON.stringify(response)
        let name = names.get(key)
        if (!name) {
          name = `Error${status}${names.size}`
          names.set(key, name)
          shared[name] = response
        }
        responses[status] = { $ref: `#/components/responses/${name}` }
      }
    }
  }
}

/**
 * The page's document as OpenAPI 3.0. swagger-ui reads a 3.1 document through a much slower
 * resolver (measured: the page drawn after 21 to 26 s instead of 10 to 16 s on a loaded 2-core
 * machine); the few 3.1 forms Rapport's schemas use have 3.0 equivalents (`examples` → `example`,
 * `anyOf` with `null` → `nullable`, `const` → `enum`). The event payloads (`webhooks`, 3.1 only)
 * stay in /api/v1/openapi.json and GET /api/v1/event_types.
 */
function asOpenApi30(document: Json): Json {
  const convert = (node: unknown, inSchema: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => convert(n, inSchema))
    if (!node || typeof node !== 'object') return node
    const out: Json = {}
    for (const [key, value] of Object.entries(node as Json)) {
      const childIsSchema = inSchema
        ? !['properties', 'examples', 'example', 'enum', 'default'].includes(key)
        : key === 'schema'
      if (key === 'properties' && inSchema) {
        out.properties = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, convert(v, true)]))
      } else if (inSchema && key === 'examples' && Array.isArray(value)) {
        if (value.length > 0) out.example = value[0]
      } else if (inSchema && key === 'const') {
        out.enum = [value]
      } else if (inSchema && key === 'propertyNames') {
        // No 3.0 form: the description says what keys may be.
      } else {
        out[key] = convert(value, childIsSchema)
      }
    }
    if (inSchema && Array.isArray(out.anyOf)) {
      const variants = out.anyOf as Json[]
      const nonNull = variants.filter((v) => v.type !== 'null')
      if (nonNull.length < variants.length) {
        if (nonNull.length === 1) {
          delete out.anyOf
          Object.assign(out, nonNull[0], { nullable: true })
        } else {
          out.anyOf = nonNull
          out.nullable = true
        }
      }
    }
    return out
  }
  const { webhooks: _webhooks, ...rest } = document
  const converted = convert(rest, false) as Json
  const components = converted.components as Json | undefined
  if (components?.schemas) {
    components.schemas = Object.fromEntries(
      Object.entries(components.schemas as Json).map(([k, v]) => [k, convert(v, true)]),
    )
  }
  return { ...converted, openapi: '3.0.3' }
}

/**
 * The API reference at /docs: swagger-ui with Rapport's name, logo and colours, its files and the
 * document served compressed with ETags (the document is 3 MB of JSON, about 0.2 MB in brotli),
 * every tag folded so the page is usable as soon as the document arrives.
 */
export async function registerDocsPage(app: FastifyInstance): Promise<void> {
  const uiDir = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json')),
    'static',
  )
  for (const [name, type] of Object.entries(UI_FILES)) {
    const file = lazily(() => compressedFileOf(readFileSync(path.join(uiDir, name)), type))
    app.get(`/docs/static/${name}`, PAGE, (req, reply) => sendCompressed(req, reply, file(), STATIC_FILE_CACHE))
  }
  const uiDocument = lazily(() =>
    compressedFileOf(
      JSON.stringify(documentForTheReferencePage(app.swagger() as Json)),
      'application/json; charset=utf-8',
    ),
  )
  const logo = Buffer.from(LOGO_SVG)
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    logo: { type: 'image/svg+xml', content: logo, href: '/docs', target: '_self' },
    theme: {
      title: 'Rapport API reference',
      css: [{ filename: 'rapport.css', content: THEME_CSS }],
      favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: logo }],
    },
    uiConfig: {
      deepLinking: true,
      // Folded tags and no schema section: the page draws a few dozen rows instead of thousands.
      docExpansion: 'none',
      defaultModelsExpandDepth: -1,
      filter: true,
      displayRequestDuration: true,
      persistAuthorization: true,
      tryItOutEnabled: false,
    },
    uiHooks: {
      onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
        if (req.url.split('?')[0] === '/docs/json') return sendCompressed(req, reply, uiDocument(), 'no-cache')
      },
    },
    staticCSP: true,
    // The page and its assets come from this server; nothing may be fetched elsewhere, and a server
    // reached over plain HTTP (a LAN host) must not have its asset URLs upgraded to HTTPS.
    transformStaticCSP: (header) =>
      header
        .replace(/ validator\.swagger\.io/, '')
        .replace(/ https:/g, '')
        .replace(/\s*upgrade-insecure-requests;?/, ''),
  })
}

/** The OpenAPI document at /api/v1/openapi.json, compressed and with its ETag. */
export function openApiDocumentRoute(app: FastifyInstance) {
  const document = lazily<CompressedFile>(() =>
    compressedFileOf(JSON.stringify(app.swagger()), 'application/json; charset=utf-8'),
  )
  app.get('/api/v1/openapi.json', PAGE, (req, reply) => sendCompressed(req, reply, document(), 'no-cache'))
}
