import { sql } from 'kysely'
import { type PageParams, paginate, type SortSpec } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import { prefixPattern } from '../../db/like.js'
import type { Executor } from '../../db/schema.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import type { TagListQuery } from './tags.schemas.js'

export interface TagRow {
  id: string
  name: string
  contact_count: number
  created_at: Date
}

/**
 * Contacts of the tag's organization and mode carrying it, counted index-only from `contact_tags`
 * (migration 0037): no contact row is read, though the count still grows with the tag's contacts.
 */
const CONTACT_COUNT = sql<number>`(select count(*)::int from contact_tags ct
  where ct.org_id = tags.org_id and ct.livemode = tags.livemode and ct.tag = tags.name)`

const selectTag = (db: Executor, scope: TenantScope) =>
  scoped(db, 'tags', scope).select(['id', 'name', 'created_at', CONTACT_COUNT.as('contact_count')])

export async function findTag(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<TagRow | undefined> {
  let q = selectTag(db, scope).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

/** The tag spelled `name` in any letter case, other than `exceptId`. */
export async function findTagByName(db: Executor, scope: TenantScope, name: string, exceptId?: string) {
  let q = scoped(db, 'tags', scope).select(['id', 'name']).where(sql<boolean>`lower(name) = lower(${name})`)
  if (exceptId) q = q.where('id', '<>', exceptId)
  return q.executeTakeFirst()
}

/** Inserts a tag; undefined when one with that name (in any letter case) already exists. */
export async function insertTag(
  db: Executor,
  scope: TenantScope,
  row: { id: string; name: string },
): Promise<TagRow | undefined> {
  const inserted = await sql<{ id: string; name: string; created_at: Date }>`
    insert into tags (id, org_id, livemode, name) values (${row.id}, ${scope.orgId}, ${scope.livemode}, ${row.name})
    on conflict (org_id, livemode, lower(name)) do nothing
    returning id, name, created_at`.execute(db)
  const tag = inserted.rows[0]
  return tag ? { ...tag, contact_count: 0 } : undefined
}

/**
 * Renames the tag and, in the same statement set, every contact of the organization and mode
 * carrying it (their `updated_at` moves too). One UPDATE whatever the number of contacts.
 */
export async function renameTag(db: Executor, scope: TenantScope, id: string, from: string, to: string) {
  await sql`update contacts set tags = array_replace(tags, ${from}, ${to}),
      updated_at = greatest(now(), updated_at + interval '1 microsecond')
    where org_id = ${scope.orgId} and livemode = ${scope.livemode} and tags @> array[${from}]::text[]`.execute(db)
  await scopedUpdate(db, 'tags', scope).set({ name: to }).where('id', '=', id).execute()
}

/** Removes the tag from every contact carrying it, then deletes it. */
export async function deleteTag(db: Executor, scope: TenantScope, id: string, name: string) {
  await sql`update contacts set tags = array_remove(tags, ${name}),
      updated_at = greatest(now(), updated_at + interval '1 microsecond')
    where org_id = ${scope.orgId} and livemode = ${scope.livemode} and tags @> array[${name}]::text[]`.execute(db)
  await scopedDelete(db, 'tags', scope).where('id', '=', id).execute()
}

const SORTS: Record<string, Omit<SortSpec, 'descending' | 'name'>> = {
  name: { expression: sql`lower(name)`, castTo: 'text' },
  created_at: { expression: sql`created_at`, castTo: 'timestamptz' },
}

export async function listTags(db: Executor, scope: TenantScope, query: TagListQuery & PageParams) {
  let q = scoped(db, 'tags', scope)
  if (query.q !== undefined) q = q.where(sql<boolean>`lower(name) like ${prefixPattern(query.q.toLowerCase())}`)
  const sortKey = query.sort ?? 'name'
  const name = sortKey.replace(/^-/, '')
  const sort: SortSpec = { ...SORTS[name]!, name, descending: sortKey.startsWith('-') }
  return paginate(
    q,
    (qb) => qb.select(['id', 'name', 'created_at', CONTACT_COUNT.as('contact_count')]),
    sql<string>`id`,
    sort,
    query,
  )
}
