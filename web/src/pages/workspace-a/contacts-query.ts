import { api, type List } from '../../api.js'
import type { Body, Contact } from '../../types.js'

/** What a contacts view shows: the saved-view fields. */
export interface ViewConfig {
  columns: string[]
  sort: SearchSort | null
  filter: Filter | null
  q: string | null
}

export type SearchSort = NonNullable<Body<'searchContacts'>['sort']>
export type Filter = Record<string, unknown>

export interface Condition {
  field: string
  op: string
  value: string
}

export const BASE_COLUMNS = [
  'name',
  'email',
  'phone',
  'company',
  'status',
  'source',
  'tags',
  'external_id',
  'created_at',
  'updated_at',
] as const

export const DEFAULT_VIEW: ViewConfig = {
  columns: ['name', 'email', 'company', 'status', 'tags', 'created_at'],
  sort: null,
  filter: null,
  q: null,
}

/** Columns the API can sort by (POST /api/v1/contacts/search `sort`). */
export const SORTABLE = new Set(['name', 'created_at', 'updated_at'])

export const OPS = ['eq', 'neq', 'contains', 'in', 'lt', 'gt', 'exists'] as const

export function columnLabel(column: string): string {
  if (column.startsWith('custom_fields.')) return column.slice('custom_fields.'.length)
  return column.replace('_', ' ').replace(/^./, (c) => c.toUpperCase())
}

/** A cell's text: lists joined, dates in the reader's locale, custom fields by key. */
export function cellText(contact: Contact, column: string): string {
  const value = column.startsWith('custom_fields.')
    ? contact.custom_fields[column.slice('custom_fields.'.length)]
    : (contact as Record<string, unknown>)[column]
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.join(', ')
  if ((column === 'created_at' || column === 'updated_at') && typeof value === 'string') {
    return new Date(value).toLocaleDateString()
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** A condition as the search grammar has it: `in` takes a comma-separated list, `exists` no value. */
export function conditionFilter(c: Condition): Filter {
  if (c.op === 'exists') return { field: c.field, op: 'exists' }
  if (c.op === 'in') return { field: c.field, op: 'in', value: c.value.split(',').map((v) => v.trim()) }
  return { field: c.field, op: c.op, value: c.value }
}

/** The search filter of a view: its filter, and the full-text search as "any text field contains". */
export function searchFilter(view: ViewConfig): Filter | undefined {
  const parts: Filter[] = []
  if (view.filter) parts.push(view.filter)
  if (view.q) {
    parts.push({
      or: ['name', 'email', 'phone', 'company'].map((field) => ({ field, op: 'contains', value: view.q })),
    })
  }
  if (parts.length === 0) return undefined
  return parts.length === 1 ? parts[0] : { and: parts }
}

/** One page of the view, by keyset cursor (same cost at any depth). */
export function searchPage(view: ViewConfig, cursor: string | null, limit = 100) {
  const filter = searchFilter(view)
  return api<List<Contact>>('POST', '/api/v1/contacts/search', {
    ...(filter ? { filter } : {}),
    ...(view.sort ? { sort: view.sort } : {}),
    limit,
    ...(cursor ? { cursor } : {}),
  })
}

/** Every contact of the view as CSV (its columns, in order), walking the pages by cursor. */
export async function viewAsCsv(view: ViewConfig, onProgress: (rows: number) => void): Promise<string> {
  const csvField = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)
  const lines = [view.columns.map(csvField).join(',')]
  let cursor: string | null = null
  do {
    const page: List<Contact> = await searchPage(view, cursor)
    for (const c of page.data) lines.push(view.columns.map((col) => csvField(cellText(c, col))).join(','))
    onProgress(lines.length - 1)
    cursor = page.pagination.has_more ? page.pagination.next_cursor : null
  } while (cursor)
  return `${lines.join('\r\n')}\r\n`
}

/** Runs `work` over `items`, `concurrency` at a time; resolves to the failures. */
export async function eachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  const failures: { item: T; error: unknown }[] = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      try {
        await work(item)
      } catch (error) {
        failures.push({ item, error })
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return failures
}
