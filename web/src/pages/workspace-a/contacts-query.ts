import { api, type List } from '../../api.js'
import type { Body, Contact } from '../../types.js'

/**
 * What a contacts view shows: the saved-view fields, with the owner filter apart from the other
 * conditions (a saved view keeps it inside `filter`: see savedFields and fromSaved).
 */
export interface ViewConfig {
  columns: string[]
  sort: SearchSort | null
  filter: Filter | null
  q: string | null
  /** Whose contacts: a user id, `me` (whoever reads the view), `none` (nobody's), or null for everyone's. */
  owner: string | null
}

export type SearchSort = NonNullable<Body<'searchContacts'>['sort']>
export type SortField = Exclude<SearchSort, `-${string}`>
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
  'owner_id',
  'created_at',
  'updated_at',
] as const

export const DEFAULT_VIEW: ViewConfig = {
  columns: ['name', 'email', 'company', 'status', 'owner_id', 'tags', 'created_at'],
  sort: null,
  filter: null,
  q: null,
  owner: null,
}

/**
 * Columns the API can sort by (POST /api/v1/contacts/search `sort`, each kept cheap at a million
 * contacts by an index per direction); a field the API drops fails the type check here.
 */
const SORT_FIELDS = [
  'name',
  'email',
  'company',
  'status',
  'source',
  'owner_id',
  'created_at',
  'updated_at',
] as const satisfies readonly SortField[]
export const SORTABLE: ReadonlySet<string> = new Set(SORT_FIELDS)

export const OPS = ['eq', 'neq', 'contains', 'in', 'lt', 'gt', 'exists'] as const

export function columnLabel(column: string): string {
  if (column.startsWith('custom_fields.')) return column.slice('custom_fields.'.length)
  if (column === 'owner_id') return 'Owner'
  return column.replace('_', ' ').replace(/^./, (c) => c.toUpperCase())
}

/** A user's name by id (the organization's people), for the owner column. */
export type NameOf = (userId: string) => string

/** A cell's text: lists joined, dates in the reader's locale, custom fields by key, the owner by name. */
export function cellText(contact: Contact, column: string, nameOf?: NameOf): string {
  const value = column.startsWith('custom_fields.')
    ? contact.custom_fields[column.slice('custom_fields.'.length)]
    : (contact as Record<string, unknown>)[column]
  if (value === null || value === undefined) return ''
  if (column === 'owner_id' && typeof value === 'string') return nameOf ? nameOf(value) : value
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

/** The owner filter as a search condition (`me` is read by the API as whoever searches). */
export function ownerCondition(owner: string): Filter {
  if (owner === 'none') return { not: { field: 'owner_id', op: 'exists' } }
  return { field: 'owner_id', op: 'eq', value: owner }
}

/** The owner an owner condition names, or undefined for any other node. */
function ownerOf(node: unknown): string | undefined {
  const n = node as { field?: unknown; op?: unknown; value?: unknown; not?: { field?: unknown; op?: unknown } }
  if (n?.field === 'owner_id' && n.op === 'eq' && typeof n.value === 'string') return n.value
  if (n?.not?.field === 'owner_id' && n.not.op === 'exists' && Object.keys(n).length === 1) return 'none'
  return undefined
}

/** The filter with the owner condition added (at the top level, so fromSaved finds it again). */
export function withOwner(filter: Filter | null, owner: string | null): Filter | null {
  if (!owner) return filter
  const condition = ownerCondition(owner)
  if (!filter) return condition
  if (Array.isArray(filter.and)) return { and: [...filter.and, condition] }
  return { and: [filter, condition] }
}

/** A saved view's fields as the view holds them: a top-level owner condition becomes the owner filter. */
export function fromSaved(saved: Pick<ViewConfig, 'columns' | 'sort' | 'filter' | 'q'>): ViewConfig {
  const base = { columns: saved.columns, sort: saved.sort, q: saved.q }
  const filter = saved.filter
  const alone = ownerOf(filter)
  if (alone) return { ...base, filter: null, owner: alone }
  const list = Array.isArray(filter?.and) ? (filter.and as unknown[]) : undefined
  const owners = list?.filter((n) => ownerOf(n) !== undefined) ?? []
  if (!list || owners.length !== 1) return { ...base, filter, owner: null }
  const rest = list.filter((n) => ownerOf(n) === undefined) as Filter[]
  return {
    ...base,
    filter: rest.length === 0 ? null : rest.length === 1 ? rest[0]! : { and: rest },
    owner: ownerOf(owners[0])!,
  }
}

/** What a saved view stores: the view, its owner filter folded into `filter`. */
export function savedFields(view: ViewConfig): Pick<ViewConfig, 'columns' | 'sort' | 'filter' | 'q'> {
  return { columns: view.columns, sort: view.sort, filter: withOwner(view.filter, view.owner), q: view.q }
}

/** The search filter of a view: its filter and owner, and the full-text search as "any text field contains". */
export function searchFilter(view: ViewConfig): Filter | undefined {
  const parts: Filter[] = []
  const filter = withOwner(view.filter, view.owner)
  if (filter) parts.push(filter)
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
export async function viewAsCsv(
  view: ViewConfig,
  onProgress: (rows: number) => void,
  nameOf?: NameOf,
): Promise<string> {
  const csvField = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)
  const lines = [view.columns.map(csvField).join(',')]
  let cursor: string | null = null
  do {
    const page: List<Contact> = await searchPage(view, cursor)
    for (const c of page.data) lines.push(view.columns.map((col) => csvField(cellText(c, col, nameOf))).join(','))
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
