import { Ajv, type ErrorObject } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { ErrorDetail } from './errors.js'

/**
 * Two validators: bodies are checked strictly (no type coercion, unknown fields rejected), while
 * query strings and path parameters, which arrive as text, are coerced to their declared types.
 */
function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
  })
  addFormats.default(ajv)
  return ajv
}

const bodyAjv = makeAjv(false)
const textAjv = makeAjv(true)

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object)

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (error.keyword === 'required') path.push(String(error.params.missingProperty))
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty))
  return path.join('.') || '(root)'
}

function messageOf(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return 'This field is required'
    case 'additionalProperties':
      return 'Unknown field'
    case 'type':
      return `Must be ${article(String(p.type))}`
    case 'format':
      return `Must be a valid ${String(p.format).replace('-', ' ')}`
    case 'minLength':
      return p.limit === 1 ? 'Must not be empty' : `Must be at least ${p.limit} characters`
    case 'maxLength':
      return `Must be at most ${p.limit} characters`
    case 'minimum':
      return `Must be at least ${p.limit}`
    case 'maximum':
      return `Must be at most ${p.limit}`
    case 'minItems':
      return `Must have at least ${p.limit} items`
    case 'maxItems':
      return `Must have at most ${p.limit} items`
    case 'enum':
      return `Must be one of: ${(p.allowedValues as unknown[]).join(', ')}`
    case 'const':
      return `Must be ${JSON.stringify(p.allowedValue)}`
    case 'pattern':
      return 'Has an invalid format'
    case 'minProperties':
      return p.limit === 1 ? 'Send at least one field' : `Send at least ${p.limit} fields`
    case 'uniqueItems':
      return 'Must not contain duplicates'
    default:
      return error.message ? error.message.charAt(0).toUpperCase() + error.message.slice(1) : 'Is invalid'
  }
}

function article(type: string): string {
  return type
    .split(',')
    .map((t) => (t === 'null' ? 'null' : t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : `a ${t}`))
    .join(' or ')
}

/** One detail per bad field. For a union (`anyOf`), the branch type errors merge into one message. */
export function validationDetails(errors: ErrorObject[]): ErrorDetail[] {
  const byField = new Map<string, ErrorObject[]>()
  for (const error of errors) {
    const field = fieldOf(error)
    byField.set(field, [...(byField.get(field) ?? []), error])
  }
  const details: ErrorDetail[] = []
  for (const [field, errs] of byField) {
    const types = errs.filter((e) => e.keyword === 'type').map((e) => String(e.params.type))
    if (errs.some((e) => e.keyword === 'anyOf') && types.length > 1) {
      details.push({ field, message: `Must be ${article(types.join(','))}` })
    } else {
      const first = errs.find((e) => e.keyword !== 'anyOf') ?? errs[0]!
      details.push({ field, message: messageOf(first) })
    }
  }
  return details
}
