/**
 * From CSV header and cells to contact values: the column mapping, and the checks each row passes
 * (the same schema as `POST /api/v1/contacts`, so an import accepts exactly what the API does).
 */
import type { ValidateFunction } from 'ajv'
import { invalidField } from '../../../core/errors.js'
import { validationDetails, validatorCompiler } from '../../../core/validation.js'
import { ContactCreate, CUSTOM_FIELDS_MAX_BYTES } from '../contacts.schemas.js'

/** Columns that map onto contact fields without a mapping (matched case-insensitively). */
export const KNOWN_COLUMNS = [
  'name',
  'email',
  'phone',
  'company',
  'status',
  'source',
  'tags',
  'external_id',
  'owner_id',
] as const
type KnownColumn = (typeof KNOWN_COLUMNS)[number]
const CUSTOM_PREFIX = 'custom_fields.'

/** Where one CSV column goes: a contact field, a custom field, or nowhere. */
export type ColumnTarget = { field: KnownColumn } | { custom: string } | { ignore: true }

/** What one valid row writes; `null` means "the row did not say" (an update keeps the current value). */
export interface ImportRow {
  /** The row's number as a spreadsheet shows it (the header is row 1). */
  row: number
  name: string | null
  email: string | null
  phone: string | null
  company: string | null
  status: string | null
  source: string | null
  external_id: string | null
  /** The owner as the file names it: a user id or a user's email (the writer finds the user). */
  owner: string | null
  tags: string[] | null
  custom_fields: Record<string, string> | null
}

/** Reads the `mapping` parameter: a JSON object from CSV header to field name, or null to drop the column. */
export function parseMapping(raw: string | undefined): Map<string, ColumnTarget> {
  const targets = new Map<string, ColumnTarget>()
  if (raw === undefined || raw === '') return targets
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw invalidField('mapping', 'Must be a JSON object such as {"E-mail":"email"}')
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidField('mapping', 'Must be a JSON object such as {"E-mail":"email"}')
  }
  for (const [header, target] of Object.entries(parsed)) {
    const field = `mapping.${header}`
    if (target === null) targets.set(header.trim(), { ignore: true })
    else if (typeof target !== 'string') throw invalidField(field, 'Must be a field name or null')
    else targets.set(header.trim(), targetOf(target, field))
  }
  return targets
}

function targetOf(name: string, field: string): ColumnTarget {
  const normalized = name.trim()
  const lower = normalized.toLowerCase()
  if ((KNOWN_COLUMNS as readonly string[]).includes(lower)) return { field: lower as KnownColumn }
  if (lower.startsWith(CUSTOM_PREFIX) && normalized.length > CUSTOM_PREFIX.length) {
    const key = normalized.slice(CUSTOM_PREFIX.length)
    if (key.length > 100) throw invalidField(field, 'A custom field name is at most 100 characters')
    return { custom: key }
  }
  throw invalidField(
    field,
    `Must be one of ${KNOWN_COLUMNS.join(', ')}, custom_fields.<key>, or null to ignore the column`,
  )
}

/**
 * Decides where each column goes: the mapping first, then a known field name (case and spaces
 * ignored: `E Mail` does not match, `External ID` does), then `custom_fields.<key>`; any other
 * header becomes a custom field named by the header, so nothing in the file is silently dropped.
 */
export function resolveColumns(header: string[], mapping: Map<string, ColumnTarget>): ColumnTarget[] {
  const columns = header.map((raw, i): ColumnTarget => {
    const name = raw.trim()
    const mapped = mapping.get(name)
    if (mapped) return mapped
    if (name === '') return { ignore: true }
    const known = name.toLowerCase().replace(/[\s-]+/g, '_')
    if ((KNOWN_COLUMNS as readonly string[]).includes(known)) return { field: known as KnownColumn }
    if (name.toLowerCase().startsWith(CUSTOM_PREFIX)) return targetOf(name, `header[${i}]`)
    return { custom: name.slice(0, 100) }
  })
  const seen = new Map<string, number>()
  columns.forEach((target, i) => {
    const key = 'field' in target ? target.field : 'custom' in target ? `${CUSTOM_PREFIX}${target.custom}` : undefined
    if (key === undefined) return
    const first = seen.get(key)
    if (first !== undefined) {
      throw invalidField('file', `Columns ${first + 1} and ${i + 1} both map to ${key}; map one of them to null`)
    }
    seen.set(key, i)
  })
  if (!columns.some((t) => 'field' in t && ['name', 'email', 'phone'].includes(t.field))) {
    throw invalidField('file', 'The header has no name, email or phone column (a contact needs one of them)')
  }
  return columns
}

let validateCreate: ValidateFunction | undefined
function rowValidator(): ValidateFunction {
  validateCreate ??= validatorCompiler({
    schema: ContactCreate,
    httpPart: 'body',
    method: 'POST',
    url: '/api/v1/contacts/import',
  }) as ValidateFunction
  return validateCreate
}

/** Splits a tags cell on `;` or `,`. */
function splitTags(cell: string): string[] {
  return cell
    .split(/[;,]/)
    .map((t) => t.trim())
    .filter((t) => t !== '')
}

/** Builds one row's values, or says what is wrong with it (the row is then skipped). */
export function buildRow(
  record: string[],
  columns: ColumnTarget[],
  row: number,
): { ok: true; value: ImportRow } | { ok: false; message: string } {
  if (record.length > columns.length && record.slice(columns.length).some((c) => c.trim() !== '')) {
    return { ok: false, message: `Has ${record.length} cells but the header has ${columns.length}` }
  }
  const input: Record<string, unknown> = {}
  const custom: Record<string, string> = {}
  let owner: string | null = null
  for (const [i, target] of columns.entries()) {
    const cell = record[i]?.trim() ?? ''
    if (cell === '' || 'ignore' in target) continue
    if (cell.includes('\u0000')) return { ok: false, message: `Column ${i + 1}: Must not contain NUL characters` }
    if ('custom' in target) custom[target.custom] = cell
    else if (target.field === 'owner_id') {
      if (cell.length > 254) return { ok: false, message: 'owner_id: Must be a user id or a user’s email' }
      owner = cell
    } else if (target.field === 'tags') input.tags = splitTags(cell)
    else if (target.field === 'status' || target.field === 'source') input[target.field] = cell.toLowerCase()
    else input[target.field] = cell
  }
  if (Object.keys(custom).length > 0) input.custom_fields = custom
  const validate = rowValidator()
  if (!validate(input)) {
    const detail = validationDetails(validate.errors ?? [])[0]
    return { ok: false, message: detail ? `${detail.field}: ${detail.message}` : 'Is invalid' }
  }
  if (input.name === undefined && input.email === undefined && input.phone === undefined) {
    return { ok: false, message: 'A contact needs at least a name, an email or a phone' }
  }
  if (Buffer.byteLength(JSON.stringify(custom)) > CUSTOM_FIELDS_MAX_BYTES) {
    return { ok: false, message: 'custom_fields: Must be at most 16 KB as JSON' }
  }
  const text = (key: string) => (input[key] as string | undefined) ?? null
  return {
    ok: true,
    value: {
      row,
      name: text('name'),
      email: text('email'),
      phone: text('phone'),
      company: text('company'),
      status: text('status'),
      source: text('source'),
      external_id: text('external_id'),
      owner,
      tags: (input.tags as string[] | undefined) ?? null,
      custom_fields: Object.keys(custom).length > 0 ? custom : null,
    },
  }
}

/** A valid row with the numbers of the later rows of the file folded into it (same contact). */
export interface MergedRow extends ImportRow {
  /** Rows after `row` that named the same contact and were folded into this one, in file order. */
  folded: number[]
}

/** The keys that find a row's contact: its email (case-insensitively), then its external id. */
export function keysOf(row: ImportRow): { primary: string | null; all: string[] } {
  const all: string[] = []
  if (row.email !== null) all.push(`e:${row.email.toLowerCase()}`)
  if (row.external_id !== null) all.push(`x:${row.external_id}`)
  return { primary: all[0] ?? null, all }
}

/**
 * Folds `later` into `earlier`, as if both were written one after the other: a given field of the
 * later row wins, an empty one keeps the earlier value, custom fields merge. One write per contact
 * per batch is what keeps a file of rows sharing one email linear (each write of one contact in one
 * transaction leaves a row version the next lookup has to step over).
 */
export function foldInto(earlier: MergedRow, later: ImportRow): void {
  earlier.name = later.name ?? earlier.name
  earlier.email = later.email ?? earlier.email
  earlier.phone = later.phone ?? earlier.phone
  earlier.company = later.company ?? earlier.company
  earlier.status = later.status ?? earlier.status
  earlier.source = later.source ?? earlier.source
  earlier.external_id = later.external_id ?? earlier.external_id
  earlier.owner = later.owner ?? earlier.owner
  earlier.tags = later.tags ?? earlier.tags
  if (later.custom_fields) earlier.custom_fields = { ...earlier.custom_fields, ...later.custom_fields }
  earlier.folded.push(later.row)
}
