import { Ajv, type ErrorObject } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { ErrorDetail } from './errors.js'
import { MAX_ERROR_DETAILS } from './errors.js'
import { firstOversized } from './oversize.js'

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
  ajv.addFormat('date', { type: 'string', validate: isStorableDate })
  ajv.addFormat('date-time', { type: 'string', validate: isStorableDateTime })
  return ajv
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
/** The instants every layer can hold: JavaScript dates, `Date#toISOString` and PostgreSQL alike. */
const FIRST_INSTANT_MS = new Date('0001-01-01T00:00:00Z').getTime()
const LAST_INSTANT_MS = new Date('9999-12-31T23:59:59.999Z').getTime()
const dateTimeOfAjv = (
  addFormats.default as unknown as { get(name: string): { validate: (s: string) => boolean } }
).get('date-time')

/**
 * `format: "date"` for every schema: a real calendar day (no 2020-02-30) from year 0001 to 9999.
 * PostgreSQL has no year 0 and four-digit years are all the API writes, so anything else would
 * either be refused by the database (a 500) or read back differently.
 */
export function isStorableDate(s: string): boolean {
  const m = DATE.exec(s)
  if (!m) return false
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)
}

/**
 * `format: "date-time"` for every schema: RFC 3339 with an offset, a real calendar day, and an instant
 * from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z that JavaScript can read (no leap second).
 */
export function isStorableDateTime(s: string): boolean {
  if (!dateTimeOfAjv.validate(s) || !isStorableDate(s.slice(0, 10))) return false
  const ms = Date.parse(s.replace(/^(.{10})[ t]/, '$1T').toUpperCase())
  return Number.isFinite(ms) && ms >= FIRST_INSTANT_MS && ms <= LAST_INSTANT_MS
}

const bodyAjv = makeAjv(false)
const textAjv = makeAjv(true)

/**
 * Compiled validators by the schema's text. Ajv caches by schema object, and each app built gets
 * its own copies of the route schemas, so without this every app built in one process (tests build
 * hundreds) compiled and kept every schema again, until a test worker ran out of memory.
 */
const compiled = new Map<string, ReturnType<Ajv['compile']>>()
function compileOnce(ajv: Ajv, part: string, schema: object): ReturnType<Ajv['compile']> {
  const key = `${part}\n${JSON.stringify(schema)}`
  let validate = compiled.get(key)
  if (!validate) {
    validate = ajv.compile(schema)
    compiled.set(key, validate)
  }
  return validate
}

/**
 * Bodies are first checked for arrays over their `maxItems` and objects with more unknown fields than
 * an error lists: those fail at once with a few details, instead of Ajv reporting (and the answer
 * listing) every item of a 100,000-item array, which took seconds.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  if (httpPart !== 'body') return compileOnce(textAjv, 'text', schema as object)
  const validate = compileOnce(bodyAjv, 'body', schema as object)
  const checked = Object.assign(
    (data: unknown, context?: unknown) => {
      const oversized = firstOversized(schema, data)
      if (oversized) {
        checked.errors = oversized
        return false
      }
      const valid = (validate as (d: unknown, c?: unknown) => boolean)(data, context)
      checked.errors = validate.errors
      return valid
    },
    { errors: null as ErrorObject[] | null | undefined, schemaEnv: validate.schemaEnv },
  )
  return checked
}

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

/** One detail per bad field (see `validationProblems`). */
export function validationDetails(errors: ErrorObject[]): ErrorDetail[] {
  return validationProblems(errors).details
}

/**
 * One detail per bad field, for the first `MAX_ERROR_DETAILS` + 1 fields (an error body shows 100 and
 * counts the rest); `more` counts the errors after those, without reading them (a 100,000-item error
 * list took seconds to group). For a union (`anyOf`), the branch type errors merge into one message.
 */
export function validationProblems(errors: ErrorObject[]): { details: ErrorDetail[]; more: number } {
  const byField = new Map<string, ErrorObject[]>()
  let more = 0
  for (const error of errors) {
    if (byField.size > MAX_ERROR_DETAILS) {
      more++
      continue
    }
    const field = fieldOf(error)
    const known = byField.get(field)
    if (known) known.push(error)
    else byField.set(field, [error])
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
  return { details, more }
}
