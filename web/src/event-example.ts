import type { JsonSchema } from './types.js'

/**
 * An example of a value of `schema`: each field's first example when the catalog gives one, else a
 * value of its type. Shown next to each event of the picker so a reader sees what arrives.
 */
export function exampleOf(schema: JsonSchema, depth = 0): unknown {
  if (schema.examples && schema.examples.length > 0) return schema.examples[0]
  if (schema.const !== undefined) return schema.const
  if (schema.enum && schema.enum.length > 0) return schema.enum[0]
  if (schema.anyOf && schema.anyOf.length > 0) {
    const notNull = schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]!
    return exampleOf(notNull, depth)
  }
  if (depth > 6) return null
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [name, property] of Object.entries(schema.properties ?? {})) out[name] = exampleOf(property, depth + 1)
      return out
    }
    case 'array':
      return schema.items ? [exampleOf(schema.items, depth + 1)] : []
    case 'string':
      return schema.format === 'date-time'
        ? '2026-01-15T09:30:00.000Z'
        : schema.format === 'date'
          ? '2026-01-15'
          : 'string'
    case 'integer':
    case 'number':
      return 0
    case 'boolean':
      return true
    case 'null':
      return null
    default:
      return null
  }
}

/** The delivery body for an event of the catalog, as the endpoint receives it. */
export function exampleDelivery(name: string, schema: JsonSchema): string {
  const envelope = {
    id: 'evt_01jd3k8m2x7q9v4b6n5t0w1y2z',
    event: name,
    timestamp: '2026-01-15T09:30:00.000Z',
    data: exampleOf(schema),
  }
  return JSON.stringify(envelope, null, 2)
}
