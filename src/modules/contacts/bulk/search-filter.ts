/**
 * Compiles a search filter (nested `and` / `or` / `not` over conditions) into one SQL boolean
 * expression. Every value travels as a bind parameter: the SQL text holds only column names and
 * operators chosen from the fixed tables below, never text from the request. Each condition is
 * written so that it is never NULL (a missing value is simply false), so `not` means "does not
 * match" rather than SQL's three-valued logic.
 */
import { type RawBuilder, sql } from 'kysely'
import { invalidField } from '../../../core/errors.js'
import type { TenantScope } from '../../../core/tenancy.js'
import { likePattern } from '../../../db/like.js'
import { CONTACT_SOURCES, CONTACT_STATUSES } from '../contacts.schemas.js'

export const FILTER_OPS = ['eq', 'neq', 'lt', 'gt', 'contains', 'in', 'exists'] as const
export type FilterOp = (typeof FILTER_OPS)[number]
/** Nesting depth of and/or/not (a condition alone is depth 1). */
export const FILTER_MAX_DEPTH = 6
/** Conditions and groups in one filter. */
export const FILTER_MAX_NODES = 50
/** Values of one `in`, and branches of one `and` / `or`. */
export const FILTER_MAX_LIST = 100

type Expr = RawBuilder<boolean>
type Kind = 'text' | 'email' | 'enum' | 'tags' | 'date' | 'custom' | 'owner'

/** The fields a condition may name, with the operators each accepts. */
const FIELDS: Record<string, { kind: Kind; ops: readonly FilterOp[]; values?: readonly string[] }> = {
  id: { kind: 'text', ops: ['eq', 'neq', 'in'] },
  name: { kind: 'text', ops: FILTER_OPS },
  email: { kind: 'email', ops: FILTER_OPS },
  phone: { kind: 'text', ops: FILTER_OPS },
  company: { kind: 'text', ops: FILTER_OPS },
  external_id: { kind: 'text', ops: FILTER_OPS },
  owner_id: { kind: 'owner', ops: ['eq', 'neq', 'in', 'exists'] },
  status: { kind: 'enum', ops: ['eq', 'neq', 'in'], values: CONTACT_STATUSES },
  source: { kind: 'enum', ops: ['eq', 'neq', 'in'], values: CONTACT_SOURCES },
  tags: { kind: 'tags', ops: ['contains', 'in', 'exists'] },
  created_at: { kind: 'date', ops: ['eq', 'neq', 'lt', 'gt'] },
  updated_at: { kind: 'date', ops: ['eq', 'neq', 'lt', 'gt'] },
}
const CUSTOM_PREFIX = 'custom_fields.'
const CUSTOM_OPS: readonly FilterOp[] = FILTER_OPS
const FIELD_LIST = `${Object.keys(FIELDS).join(', ')} or custom_fields.<key>`

type Scalar = string | number | boolean
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2}))?$/

/**
 * How an `owner_id` value of `me` is read: the caller's user id (a string), a 422 (null: the caller
 * has no user), or, when not given, literally (no user has that id, so it matches nobody), for
 * filters stored and run later without a caller (segments).
 */
export interface FilterOptions {
  me?: string | null
}

/** How a filter names a tag: trimmed and lower case (tags match whatever the letter case). */
const tagKey = (name: string) => name.trim().toLowerCase()

class Compiler {
  private nodes = 0
  constructor(
    private readonly scope: TenantScope,
    private readonly options: FilterOptions,
  ) {}

  node(value: unknown, path: string, depth: number): Expr {
    if (depth > FILTER_MAX_DEPTH) throw invalidField(path, `Nests deeper than ${FILTER_MAX_DEPTH} levels`)
    if (++this.nodes > FILTER_MAX_NODES) throw invalidField(path, `The filter has more than ${FILTER_MAX_NODES} nodes`)
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw invalidField(path, 'Must be an object: a condition {field, op, value} or a group {and|or|not}')
    }
    const obj = value as Record<string, unknown>
    const keys = Object.keys(obj)
    for (const group of ['and', 'or', 'not'] as const) {
      if (!(group in obj)) continue
      const extra = keys.find((k) => k !== group)
      if (extra !== undefined) throw invalidField(`${path}.${extra}`, `Unknown field beside "${group}"`)
      if (group === 'not') return sql<boolean>`not (${this.node(obj.not, `${path}.not`, depth + 1)})`
      const list = obj[group]
      if (!Array.isArray(list) || list.length === 0 || list.length > FILTER_MAX_LIST) {
        throw invalidField(`${path}.${group}`, `Must be an array of 1 to ${FILTER_MAX_LIST} filters`)
      }
      const parts = list.map((item, i) => this.node(item, `${path}.${group}[${i}]`, depth + 1))
      return sql<boolean>`(${sql.join(parts, sql.raw(group === 'and' ? ' and ' : ' or '))})`
    }
    return this.condition(obj, path)
  }

  private condition(obj: Record<string, unknown>, path: string): Expr {
    const extra = Object.keys(obj).find((k) => k !== 'field' && k !== 'op' && k !== 'value')
    if (extra !== undefined) throw invalidField(`${path}.${extra}`, 'Unknown field (expected field, op, value)')
    const { field, op } = obj
    if (typeof field !== 'string') throw invalidField(`${path}.field`, `Must be one of ${FIELD_LIST}`)
    const isCustom = field.startsWith(CUSTOM_PREFIX)
    const spec = isCustom ? { kind: 'custom' as const, ops: CUSTOM_OPS } : FIELDS[field]
    if (!spec) throw invalidField(`${path}.field`, `Must be one of ${FIELD_LIST}`)
    const key = field.slice(CUSTOM_PREFIX.length)
    if (isCustom && (key.length === 0 || key.length > 100)) {
      throw invalidField(`${path}.field`, 'A custom field name is 1 to 100 characters')
    }
    if (typeof op !== 'string' || !spec.ops.includes(op as FilterOp)) {
      throw invalidField(`${path}.op`, `Must be one of ${spec.ops.join(', ')} for ${field}`)
    }
    const at = `${path}.value`
    if (op === 'exists') {
      if ('value' in obj) throw invalidField(at, 'exists takes no value; wrap the condition in "not" for absence')
    } else if (!('value' in obj)) {
      throw invalidField(at, 'This field is required')
    }
    const value = obj.value
    switch (spec.kind) {
      case 'custom':
        return this.custom(key, op as FilterOp, value, at)
      case 'tags':
        return this.tags(op as FilterOp, value, at)
      case 'date':
        return this.date(field, op as FilterOp, value, at)
      default:
        return this.text(
          field,
          spec.kind === 'email',
          op as FilterOp,
          value,
          at,
          'values' in spec ? spec.values : undefined,
          spec.kind === 'owner' ? (v, where) => this.owner(v, where) : undefined,
        )
    }
  }

  private text(
    field: string,
    isEmail: boolean,
    op: FilterOp,
    value: unknown,
    at: string,
    allowed?: readonly string[],
    resolve?: (v: string, where: string) => string,
  ) {
    const column = sql.ref(`contacts.${field}`)
    const col = isEmail ? sql`lower(${column})` : column
    const checked = (v: unknown, where: string) => {
      if (typeof v !== 'string' || v.length > 1000)
        throw invalidField(where, 'Must be a string of at most 1000 characters')
      if (allowed && !allowed.includes(v)) throw invalidField(where, `Must be one of: ${allowed.join(', ')}`)
      if (resolve) return resolve(v, where)
      return isEmail ? v.toLowerCase() : v
    }
    // `column is not null and …` (rather than coalesce) keeps the indexes on these columns usable.
    switch (op) {
      case 'exists':
        return sql<boolean>`(${column} is not null)`
      case 'eq':
        return sql<boolean>`(${column} is not null and ${col} = ${checked(value, at)})`
      case 'neq':
        return sql<boolean>`(${col} is distinct from ${checked(value, at)})`
      case 'lt':
        return sql<boolean>`(${column} is not null and ${col} < ${checked(value, at)})`
      case 'gt':
        return sql<boolean>`(${column} is not null and ${col} > ${checked(value, at)})`
      case 'contains':
        return sql<boolean>`(${column} is not null and ${column} ilike ${likePattern(checked(value, at))})`
      case 'in': {
        const list = this.list(value, at).map((v, i) => checked(v, `${at}[${i}]`))
        return sql<boolean>`(${column} is not null and ${col} = any(${list}::text[]))`
      }
      default:
        throw invalidField(at, 'Unsupported operator')
    }
  }

  /** An owner's user id, with `me` read as FilterOptions says. */
  private owner(v: string, where: string): string {
    if (v !== 'me' || this.options.me === undefined) return v
    if (this.options.me === null) throw invalidField(where, '`me` needs a signed-in user (or a key a user created)')
    return this.options.me
  }

  /** Tags match case-insensitively, through the organization's spelling (as the list filter does), so the GIN index serves them. */
  private tags(op: FilterOp, value: unknown, at: string) {
    const { orgId, livemode } = this.scope
    if (op === 'exists') return sql<boolean>`(cardinality(contacts.tags) > 0)`
    const names =
      op === 'in' ? this.list(value, at).map((v, i) => this.tagName(v, `${at}[${i}]`)) : [this.tagName(value, at)]
    const spelled = sql`array(select t.name from tags t where t.org_id = ${orgId} and t.livemode = ${livemode} and lower(t.name) = any(${names}::text[]))`
    return op === 'in'
      ? sql<boolean>`(contacts.tags && ${spelled})`
      : sql<boolean>`(contacts.tags @> ${spelled} and cardinality(${spelled}) > 0)`
  }

  private tagName(v: unknown, at: string): string {
    if (typeof v !== 'string' || v.trim() === '' || v.length > 50)
      throw invalidField(at, 'Must be a tag name (1 to 50 characters)')
    return tagKey(v)
  }

  private date(field: string, op: FilterOp, value: unknown, at: string) {
    if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
      throw invalidField(at, 'Must be an ISO 8601 date or date-time, e.g. 2025-01-31T00:00:00Z')
    }
    const column = sql.ref(`contacts.${field}`)
    const operator = sql.raw({ eq: '=', neq: '<>', lt: '<', gt: '>' }[op as 'eq' | 'neq' | 'lt' | 'gt'])
    return sql<boolean>`(${column} ${operator} ${new Date(value)}::timestamptz)`
  }

  private custom(key: string, op: FilterOp, value: unknown, at: string) {
    const cf = sql`contacts.custom_fields`
    const scalar = (v: unknown, where: string): Scalar => {
      if (!isScalar(v)) throw invalidField(where, 'Must be a string, a number or a boolean')
      return v
    }
    // `custom_fields @> {"key": value}` is what the GIN index (jsonb_path_ops) serves.
    const containsPair = (v: Scalar) => sql<boolean>`${cf} @> ${JSON.stringify({ [key]: v })}::jsonb`
    switch (op) {
      case 'exists':
        return sql<boolean>`(coalesce(jsonb_typeof(${cf} -> ${key}), 'null') <> 'null')`
      case 'eq':
        return sql<boolean>`(${containsPair(scalar(value, at))})`
      case 'neq':
        return sql<boolean>`(not ${containsPair(scalar(value, at))})`
      case 'in': {
        const parts = this.list(value, at).map((v, i) => containsPair(scalar(v, `${at}[${i}]`)))
        return sql<boolean>`(${sql.join(parts, sql.raw(' or '))})`
      }
      case 'lt':
      case 'gt': {
        const operator = sql.raw(op === 'lt' ? '<' : '>')
        if (typeof value === 'number') {
          // Numbers, and text that is a plain decimal number (CSV imports store text), compare numerically.
          return sql<boolean>`(coalesce((case jsonb_typeof(${cf} -> ${key})
            when 'number' then (${cf} ->> ${key})::numeric
            when 'string' then case when (${cf} ->> ${key}) ~ '^-?[0-9]+([.][0-9]+)?$' then (${cf} ->> ${key})::numeric end
            end) ${operator} ${value}, false))`
        }
        if (typeof value !== 'string') throw invalidField(at, 'Must be a number or a string')
        // Text compares with text only: jsonb would otherwise order across types.
        return sql<boolean>`(coalesce(jsonb_typeof(${cf} -> ${key}) = 'string' and (${cf} ->> ${key}) ${operator} ${value}, false))`
      }
      case 'contains': {
        if (typeof value !== 'string' || value.length > 1000)
          throw invalidField(at, 'Must be a string of at most 1000 characters')
        // A text value containing the text (case-insensitive), or an array holding the value.
        return sql<boolean>`(coalesce(case jsonb_typeof(${cf} -> ${key})
          when 'string' then (${cf} ->> ${key}) ilike ${likePattern(value)}
          when 'array' then (${cf} -> ${key}) @> ${JSON.stringify([value])}::jsonb
          else false end, false))`
      }
      default:
        throw invalidField(at, 'Unsupported operator')
    }
  }

  private list(value: unknown, at: string): unknown[] {
    if (!Array.isArray(value) || value.length === 0 || value.length > FILTER_MAX_LIST) {
      throw invalidField(at, `Must be an array of 1 to ${FILTER_MAX_LIST} values`)
    }
    return value
  }
}

/** The SQL condition of `filter` (a 422 naming the failing part, e.g. `filter.and[1].or[0].op`, if invalid). */
export function compileFilter(scope: TenantScope, filter: unknown, path = 'filter', options: FilterOptions = {}): Expr {
  return new Compiler(scope, options).node(filter, path, 1)
}

/**
 * The tag (trimmed, lower case) and status of a filter that is just `tags contains <tag>`, alone or
 * in an `and` with one `status eq <status>`: the shape `contact_tags` answers alone (decision 0037).
 * Read after `compileFilter` accepted the filter, so its values are known to be valid.
 */
export function tagFilterOf(filter: unknown): { tag: string; status?: string } | undefined {
  const parts = typeof filter === 'object' && filter !== null && 'and' in filter ? filter.and : [filter]
  if (!Array.isArray(parts)) return undefined
  let tag: string | undefined
  let status: string | undefined
  for (const part of parts as { field?: unknown; op?: unknown; value?: unknown }[]) {
    if (Object.keys(part).some((k) => k !== 'field' && k !== 'op' && k !== 'value')) return undefined
    if (part.field === 'tags' && part.op === 'contains' && tag === undefined) tag = tagKey(String(part.value))
    else if (part.field === 'status' && part.op === 'eq' && status === undefined) status = String(part.value)
    else return undefined
  }
  return tag === undefined ? undefined : { tag, ...(status === undefined ? {} : { status }) }
}
