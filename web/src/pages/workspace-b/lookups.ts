import { api, type List } from '../../api.js'
import type { Contact, User } from '../../types.js'

/** Shared look-ups of the workspace-b pages: people by id and contacts' display names. */

export function contactName(c: Pick<Contact, 'id' | 'name' | 'email'>): string {
  return c.name ?? c.email ?? c.id
}

/** Every user of the organization (one page of 100: organizations are small), by id. */
export async function loadUsers(): Promise<Map<string, User>> {
  const list = await api<List<User>>('GET', '/api/v1/users?limit=100&sort=name')
  return new Map(list.data.map((u) => [u.id, u]))
}

const contactNames = new Map<string, string>()

/**
 * The display names of the given contacts, fetched once per tab (the API has no lookup by many ids;
 * at most 8 requests in flight). A deleted contact is left out.
 */
export async function loadContactNames(ids: Iterable<string>): Promise<Map<string, string>> {
  const missing = [...new Set(ids)].filter((id) => !contactNames.has(id))
  let next = 0
  const worker = async () => {
    while (next < missing.length) {
      const id = missing[next++]!
      try {
        contactNames.set(id, contactName(await api<Contact>('GET', `/api/v1/contacts/${id}`)))
      } catch {
        // Deleted meanwhile, or not readable: the card shows no contact.
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(8, missing.length) }, worker))
  return new Map(contactNames)
}

/** Every item of a list endpoint, following `next_cursor` up to `max` items. */
export async function loadAll<T>(path: string, max = 1000): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  const sep = path.includes('?') ? '&' : '?'
  do {
    const page: List<T> = await api<List<T>>(
      'GET',
      `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    items.push(...page.data)
    cursor = page.pagination.has_more ? page.pagination.next_cursor : null
  } while (cursor && items.length < max)
  return items
}

/** Today's date in the reader's zone, as a date input wants it (YYYY-MM-DD). */
export function todayInput(): string {
  const now = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}
