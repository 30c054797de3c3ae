import type { ErrorObject } from 'ajv'
import { MAX_ERROR_DETAILS } from './errors.js'

/** The cap of a request array whose schema sets none; most set a smaller one of their own. */
export const DEFAULT_MAX_ITEMS = 1000

type Schema = Record<string, unknown>

const isSchema = (value: unknown): value is Schema => !!value && typeof value === 'object' && !Array.isArray(value)

function subschemas(schema: Schema): Schema[] {
  const found: Schema[] = []
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else']) {
    const value = schema[key]
    if (isSchema(value)) found.push(value)
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    const value = schema[key]
    if (Array.isArray(value)) found.push(...value.filter(isSchema))
  }
  for (const key of ['properties', 'patternProperties']) {
    const value = schema[key]
    if (isSchema(value)) found.push(...Object.values(value).filter(isSchema))
  }
  return found
}

/** Every array schema in `schema` (walked once per object, whatever is shared). */
export function arraySchemas(schema: unknown, seen = new Set<Schema>()): Schema[] {
  if (!isSchema(schema) || seen.has(schema)) return []
  seen.add(schema)
  const own = schema.type === 'array' || 'items' in schema ? [schema] : []
  return [...own, ...subschemas(schema).flatMap((s) => arraySchemas(s, seen))]
}

function jsonTypeOf(data: unknown): string {
  if (data === null) return 'null'
  if (Array.isArray(data)) return 'array'
  if (typeof data === 'number') return Number.isInteger(data) ? 'integer' : 'number'
  return typeof data
}

function acceptsType(schema: Schema, type: string): boolean {
  const declared = schema.type
  if (declared === undefined) return true
  const types = Array.isArray(declared) ? declared : [declared]
  return types.includes(type) || (type === 'integer' && types.includes('number'))
}

function problem(instancePath: string, keyword: string, params: Record<string, unknown>): ErrorObject {
  return { instancePath, keyword, params, schemaPath: '' }
}

/**
 * Finds what would make Ajv (with `allErrors`) report an error per item: an array over its
 * `maxItems`, or more unknown fields than an error body lists. It follows `properties`, `items` and
 * the one union branch of the data's type, and stops at the first oversized value, so it costs
 * little on any body (arrays are capped, so the walk is bounded by the schema's caps).
 */
export function firstOversized(schema: unknown, data: unknown, path = ''): ErrorObject[] | undefined {
  if (!isSchema(schema)) return undefined
  const type = jsonTypeOf(data)
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key]
    if (!Array.isArray(branches)) continue
    const matching = branches.filter((b) => isSchema(b) && acceptsType(b, type))
    if (matching.length === 1) {
      const found = firstOversized(matching[0], data, path)
      if (found) return found
    }
  }
  if (Array.isArray(data)) {
    const limit = schema.maxItems
    if (typeof limit === 'number' && data.length > limit) return [problem(path, 'maxItems', { limit })]
    if (isSchema(schema.items)) {
      for (let i = 0; i < data.length; i++) {
        const found = firstOversized(schema.items, data[i], `${path}/${i}`)
        if (found) return found
      }
    }
    return undefined
  }
  if (type !== 'object' || !isSchema(schema.properties)) return undefined
  const properties = schema.properties
  const record = data as Record<string, unknown>
  const unknown: ErrorObject[] = []
  for (const key of Object.keys(record)) {
    if (Object.hasOwn(properties, key)) {
      const found = firstOversized(
        properties[key],
        record[key],
        `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      )
      if (found) return found
    } else if (schema.additionalProperties === false) {
      unknown.push(problem(path, 'additionalProperties', { additionalProperty: key }))
    }
  }
  return unknown.length > MAX_ERROR_DETAILS ? unknown : undefined
}
