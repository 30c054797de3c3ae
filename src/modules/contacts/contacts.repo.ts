import { CompiledQuery, type SelectQueryBuilder, sql } from 'kysely'
import {
  countUpTo,
  narrowBranch,
  offsetOf,
  orderKeys,
  type PageParams,
  paginate,
  rowsThrough,
  type SortSpec,
  TOTAL_CAP,
} from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import { likePattern } from '../../db/like.js'
import type { ContactsTable, Database, Executor } from '../../db/schema.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import { newId } from '../../lib/ids.js'
import type { EventData } from '../../outbox/define.js'
import { afterOutbox, emit, OUTBOX_RESULT, outboxCtes } from '../../outbox/emit.js'
import { tagCreated } from '../tags/tags.events.js'
import { findTagByName } from '../tags/tags.repo.js'
import { toTag } from '../tags/tags.service.js'
import { contactCreated } from './contacts.events.js'
import type { ContactListQuery, ContactSortField } from './contacts.schemas.js'

export interface ContactRow {
  id: string
  name: string | null
  email: string | null
  phone: string | null
  company: string | null
  status: string
  source: string
  external_id: string | null
  owner_id: string | null
  tags: string[]
  custom_fields: Record<string, unknown>
  created_at: Date
  updated_at: Date
}

export const COLUMNS = [
  'id',
  'name',
  'email',
  'phone',
  'company',
  'status',
  'source',
  'external_id',
  'owner_id',
  'tags',
  'custom_fields',
  'created_at',
  'updated_at',
] as const

export type ContactValues = Pick<ContactsTable, 'name' | 'email' | 'phone' | 'company' | 'status' | 'source'> & {
  external_id: string | null
  owner_id: string | null
  tags: string[]
  custom_fields: Record<string, unknown>
}

/**
 * Inserts a contact built in full by the caller (id and timestamps included) together with its
 * `contact.created` event and deliveries, in one statement: a duplicate email fails it whole.
 */
export async function insertContactWithEvent(
  db: Executor,
  scope: TenantScope,
  row: ContactRow,
  eventData: EventData<typeof contactCreated>,
): Promise<void> {
  const result = await sql<{ deliveries: number }>`
    with contact as (
      insert into contacts (id, org_id, livemode, name, email, phone, company, status, source, external_id, owner_id, tags, custom_fields, created_at, updated_at)
      values (${row.id}, ${scope.orgId}, ${scope.livemode}, ${row.name}, ${row.email}, ${row.phone}, ${row.company},
        ${row.status}, ${row.source}, ${row.external_id}, ${row.owner_id}, ${row.tags}::text[], ${JSON.stringify(row.custom_fields)}::jsonb, ${row.created_at}, ${row.updated_at})
      returning id
    ), ${outboxCtes(scope, contactCreated, eventData)}
    select ${OUTBOX_RESULT} from contact`.execute(db)
  await afterOutbox(db, result.rows[0]!.deliveries)
}

/**
 * Inserts a contact with status `lead` for a capture (booking, form, lead) unless the scope has a
 * contact with this email (case-insensitively): `on conflict do nothing` on the `contacts_email`
 * unique index waits for a concurrent insert of the same email to commit. The new row, or
 * undefined when the email was taken.
 */
export async function insertContactIfNewEmail(
  db: Executor,
  scope: TenantScope,
  fields: {
    email: string
    name: string | null
    phone: string | null
    company: string | null
    source: string
    custom_fields: Record<string, unknown>
  },
): Promise<ContactRow | undefined> {
  const inserted = await sql<ContactRow>`
    insert into contacts (id, org_id, livemode, name, email, phone, company, status, source, custom_fields)
    values (${newId('contact')}, ${scope.orgId}, ${scope.livemode}, ${fields.name}, ${fields.email},
      ${fields.phone}, ${fields.company}, 'lead', ${fields.source}, ${JSON.stringify(fields.custom_fields)}::jsonb)
    on conflict (org_id, livemode, lower(email)) where email is not null do nothing
    returning ${sql.raw(COLUMNS.join(', '))}`.execute(db)
  return inserted.rows[0]
}

/** The contact with this email (case-insensitively), locked for update. */
export async function lockContactByEmail(
  db: Executor,
  scope: TenantScope,
  email: string,
): Promise<ContactRow | undefined> {
  const found = await sql<ContactRow>`
    select ${sql.raw(COLUMNS.join(', '))} from contacts
    where org_id = ${scope.orgId} and livemode = ${scope.livemode} and lower(email) = lower(${email})
    for update`.execute(db)
  return found.rows[0]
}

/**
 * The read behind GET /contacts/:id, the hottest query, as fixed SQL text: building it with the
 * query builder cost ~30 µs of CPU per call in the benchmark, a fifth of the stack's overhead.
 */
const FIND_CONTACT_SQL = `select ${COLUMNS.join(', ')} from contacts where org_id = $1 and livemode = $2 and id = $3`

export async function findContact(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ContactRow | undefined> {
  const text = opts.forUpdate ? `${FIND_CONTACT_SQL} for update` : FIND_CONTACT_SQL
  const result = await db.executeQuery<ContactRow>(CompiledQuery.raw(text, [scope.orgId, scope.livemode, id]))
  return result.rows[0]
}

export async function updateContact(
  db: Executor,
  scope: TenantScope,
  id: string,
  values: Partial<ContactValues>,
): Promise<ContactRow> {
  const { custom_fields, ...rest } = values
  return scopedUpdate(db, 'contacts', scope)
    .set({
      ...rest,
      ...(custom_fields ? { custom_fields: JSON.stringify(custom_fields) } : {}),
      updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')`,
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function deleteContact(db: Executor, scope: TenantScope, id: string): Promise<ContactRow | undefined> {
  return scopedDelete(db, 'contacts', scope).where('id', '=', id).returning(COLUMNS).executeTakeFirst()
}

/**
 * The sorts of the contacts list and search, each served by one index per direction (migrations
 * 0001, 0006, 0016 and 0033: the expressions here must stay those of the indexes).
 */
export const SORTS: Record<ContactSortField, Omit<SortSpec, 'descending' | 'name'>> = {
  created_at: { expression: sql`created_at`, castTo: 'timestamptz' },
  updated_at: { expression: sql`updated_at`, castTo: 'timestamptz' },
  name: { expression: sql`lower(name)`, castTo: 'text', nullable: true },
  email: { expression: sql`lower(email)`, castTo: 'text', nullable: true },
  company: { expression: sql`lower(company)`, castTo: 'text', nullable: true },
  status: { expression: sql`status`, castTo: 'text' },
  source: { expression: sql`source`, castTo: 'text' },
  owner_id: { expression: sql`owner_id`, castTo: 'text', nullable: true },
}

/** The sort of a `sort` parameter (`-created_at` when absent). */
export function sortOf(sortKey: string | undefined): SortSpec {
  const key = sortKey ?? '-created_at'
  const name = key.replace(/^-/, '') as ContactSortField
  return { ...SORTS[name], name, descending: key.startsWith('-') }
}

export async function listContacts(
  db: Executor,
  scope: TenantScope,
  query: Omit<ContactListQuery, 'owner_id'> & { owner_id?: string } & PageParams,
) {
  let q = scoped(db, 'contacts', scope)
  // Both lookups run first so that the planner sees values, not subqueries: an email is unique in
  // the organization (a key lookup; as `lower(email) = …` the planner guessed 0.5% of the rows and
  // read 1M contacts in list order, 3.3 s), and a tag's frequency is in the column's statistics.
  if (query.email !== undefined) {
    const id = await findContactIdBy(db, scope, 'email', query.email)
    q = id === undefined ? q.where(sql<boolean>`false`) : q.where('id', '=', id)
  }
  let tag: string | undefined
  if (query.tag !== undefined) {
    // Tags are stored as the organization spells them; match the given name case-insensitively.
    tag = (await findTagByName(db, scope, query.tag))?.name
    q = tag === undefined ? q.where(sql<boolean>`false`) : q.where(sql<boolean>`tags @> array[${tag}]::text[]`)
  }
  if (query.status !== undefined) q = q.where('status', '=', query.status)
  if (query.source !== undefined) q = q.where('source', '=', query.source)
  if (query.external_id !== undefined) q = q.where('external_id', '=', query.external_id)
  if (query.owner_id !== undefined) q = q.where('owner_id', '=', query.owner_id)
  if (query.created_after !== undefined) q = q.where('created_at', '>=', new Date(query.created_after))
  if (query.created_before !== undefined) q = q.where('created_at', '<', new Date(query.created_before))
  if (query.q !== undefined) {
    const pattern = likePattern(query.q)
    q = q.where((eb) =>
      eb.or([
        eb('name', 'ilike', pattern),
        eb('email', 'ilike', pattern),
        eb('phone', 'ilike', pattern),
        eb('company', 'ilike', pattern),
      ]),
    )
  }
  const sort = sortOf(query.sort)
  // Any other filter, including one added later, takes the general path.
  const onlyTagged = Object.entries(query).every(([key, value]) => value === undefined || ANSWERED_BY_TAGS.has(key))
  if (tag !== undefined && onlyTagged) return pageTagged(db, scope, { tag, status: query.status }, sort, query)
  if (query.q !== undefined) return pageGathered(db, q, sort, query)
  return paginate(q, (qb) => qb.select(COLUMNS), sql<string>`id`, sort, query)
}

/**
 * One page of contacts whose matches are gathered unordered, as a substring's trigram bitmap gathers
 * them: the matches are read once (at most TOTAL_CAP + 1), counted beside them and sorted for the
 * page, where `paginate` reads them twice, for the page and for its count. Past the cap the rows
 * read are not all the matches, and the page is read again as `paginate` reads it.
 */
async function pageGathered(
  db: Executor,
  filtered: ReturnType<typeof scoped<'contacts'>>,
  sort: SortSpec,
  params: PageParams,
) {
  const matches = filtered
    .select(COLUMNS)
    .limit(TOTAL_CAP + 1)
    .offset(0)
  const counted = db.selectFrom(matches.as('contacts')).selectAll().select(sql<number>`count(*) over ()`.as('__count'))
  const gathered = db.selectFrom(counted.as('contacts')) as unknown as ReturnType<typeof scoped<'contacts'>>
  const withCount = (qb: typeof gathered) => qb.select(COLUMNS).select(sql<number>`__count`.as('__count'))
  const page = await paginate(gathered, withCount, sql<string>`id`, sort, params, {
    countFrom: filtered,
    countColumn: '__count',
  })
  if (page.pagination.total_is_exact) return page
  return paginate(filtered, (qb) => qb.select(COLUMNS), sql<string>`id`, sort, params, {
    counted: { n: TOTAL_CAP + 1 },
  })
}

/** The list parameters a page read through `contact_tags` honours: its filter, the sort and the paging. */
const ANSWERED_BY_TAGS = new Set(['tag', 'status', 'sort', 'page', 'limit', 'cursor'])

/** A filter that `contact_tags` answers alone: one tag, as the organization spells it, and at most a status. */
export interface TagFilter {
  tag: string
  status?: string | undefined
}

/**
 * How many of a tag's contacts, in list order, a page of the tag with a status in a sort other than
 * creation reads before it sorts the matches instead (decision 0039).
 */
const TAG_WALK_BUDGET = 10_000

/**
 * One page of the contacts matching exactly `filter`, read through `contact_tags` (migrations 0037
 * and 0038, decisions 0037 and 0039), so that no part grows with the table. `contact_tags` holds
 * copies of the status and of every sort key under the contacts' own column names, so a sort's
 * expression and cursor mean the same on both tables, and each sort has an index led by the tag:
 * - the capped `total` is counted index-only;
 * - the page's ids are read from `contact_tags` in list order (at most offset + limit + 1 of them),
 *   then each contact by key, and only those are sorted;
 * - a tag alone, in any sort, and a tag with a status sorted by creation, read one index range;
 * - a tag with a status in another sort reads the tag's index in that sort and keeps the status:
 *   at most TAG_WALK_BUDGET entries while the matches are at most TOTAL_CAP, after which (the
 *   page not found: the status sits at the far end of the sort) the matches are read through the
 *   status's index and sorted. At most a tenth of the budget are read and sorted at once. Past
 *   TOTAL_CAP matches (`sortUpTo`, for tests) the planner chooses, within the tag's rows.
 */
export async function pageTagged(
  db: Executor,
  scope: TenantScope,
  filter: TagFilter,
  sort: SortSpec,
  params: PageParams,
  options: { walkBudget?: number; sortUpTo?: number } = {},
) {
  const ofTag = scoped(db, 'contact_tags', scope).where('tag', '=', filter.tag)
  const tagged = filter.status === undefined ? ofTag : ofTag.where('status', '=', filter.status)
  // The count reads the index in its own order: with it, no plan of this statement (prepared, so
  // possibly generic, where one tag in a table of few looks like every row) can prefer reading all
  // of `contact_tags` to stopping at the cap.
  const countFrom = tagged.orderBy(sql`created_at desc`).orderBy(sql`contact_id desc`)
  type TagRows = typeof ofTag
  type TagIds = SelectQueryBuilder<Database, 'contact_tags', { contact_id: string }>
  // The page of these ids. The contacts are fetched by key behind a fence (`offset 0`): the page
  // sorts its few rows, and cannot walk an index of contacts in list order instead.
  const pageOf = (ids: TagIds, counted?: { n: number }) => {
    const contacts = scoped(db, 'contacts', scope).selectAll().where('id', 'in', ids)
    const fenced = db.selectFrom(contacts.offset(0).as('contacts')) as unknown as ReturnType<typeof scoped<'contacts'>>
    return paginate(fenced, (qb) => qb.select(COLUMNS), sql<string>`id`, sort, params, { countFrom, counted })
  }
  // The page of these rows: their ids in list order, at most offset + limit + 1.
  const page = (rows: TagRows, counted?: { n: number }) =>
    pageOf(narrowBranch(rows.select('contact_id'), sort, sql<string>`contact_id`, params), counted)

  if (filter.status === undefined || sort.name === 'created_at') return page(tagged)
  const counted = await countUpTo(countFrom, TOTAL_CAP + 1)
  const budget = options.walkBudget ?? TAG_WALK_BUDGET
  // Read apart (`offset 0`), then sorted: the planner cannot turn this into a walk of a sort index.
  const matches = db.selectFrom(tagged.selectAll().offset(0).as('contact_tags')) as unknown as TagRows
  // A few matches are read and sorted at once: fewer rows than any walk would read.
  if (counted.n <= budget / 10) return page(matches, counted)
  // The walk: the tag's next `budget` rows in list order from the cursor, the status kept. The sort
  // keys are selected as columns, so their order carries through the fence and nothing is sorted.
  const keys = orderKeys(sort, sql<string>`contact_id`)
  const walk = narrowBranch(
    ofTag.select(['contact_id', 'status']).select(keys.slice(0, -1).map((key, i) => sql`${key}`.as(`__key${i}`))),
    sort,
    sql<string>`contact_id`,
    { cursor: params.cursor, limit: budget - 1 },
  )
  const direction = sql.raw(sort.descending ? 'desc' : 'asc')
  let found = db.selectFrom(walk.offset(0).as('walk')).select('contact_id').where('status', '=', filter.status)
  for (const i of keys.slice(0, -1).keys()) found = found.orderBy(sql`${sql.ref(`__key${i}`)} ${direction}`)
  const walkedIds = found.orderBy(sql`contact_id ${direction}`).limit(rowsThrough(params))
  const walked = await pageOf(walkedIds as unknown as TagIds, counted)
  // Found: a full page and the item after it, or every match there is.
  if (walked.pagination.has_more || (!params.cursor && offsetOf(params) + walked.data.length >= counted.n)) {
    return walked
  }
  return page(counted.n > (options.sortUpTo ?? TOTAL_CAP) ? tagged : matches, counted)
}

/** The contacts of these ids, locked for update in id order (two bulk writes never deadlock). */
export async function lockContacts(
  db: Executor,
  scope: TenantScope,
  ids: string[],
): Promise<{ id: string; owner_id: string | null }[]> {
  if (ids.length === 0) return []
  return scoped(db, 'contacts', scope)
    .select(['id', 'owner_id'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute()
}

/** Sets the owner of these contacts (already locked by the caller), touching `updated_at`. */
export async function setContactsOwner(
  db: Executor,
  scope: TenantScope,
  ids: string[],
  ownerId: string | null,
): Promise<void> {
  if (ids.length === 0) return
  await scopedUpdate(db, 'contacts', scope)
    .set({ owner_id: ownerId, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('id', 'in', ids)
    .execute()
}

/**
 * Registers tag names in the organization (first use creates them) and returns them spelled as the
 * organization first wrote them, so `Lead` and `lead` stay one tag.
 */
export async function registerTags(db: Executor, scope: TenantScope, names: string[]): Promise<string[]> {
  const unique = [...new Map(names.map((n) => [n.trim().toLowerCase(), n.trim()])).values()]
  if (unique.length === 0) return []
  const created = await sql<{
    id: string
    name: string
    created_at: Date
  }>`insert into tags (id, org_id, livemode, name)
    select u.id, ${scope.orgId}, ${scope.livemode}, u.name
    from unnest(${unique.map(() => newId('tag'))}::text[], ${unique}::text[]) as u(id, name)
    on conflict (org_id, livemode, lower(name)) do nothing
    returning id, name, created_at`.execute(db)
  // A first use creates the tag: announced like an explicit creation, in the caller's transaction.
  for (const t of created.rows) {
    await emit(db, scope, tagCreated, toTag({ ...t, contact_count: 0 }))
  }
  const rows = await scoped(db, 'tags', scope)
    .select('name')
    .where(sql<boolean>`lower(name) = any(${unique.map((n) => n.toLowerCase())}::text[])`)
    .execute()
  const canonical = new Map(rows.map((r) => [r.name.toLowerCase(), r.name]))
  return unique.map((n) => canonical.get(n.toLowerCase()) ?? n)
}

/** The id of the contact with this email (case-insensitively) or external id, if any. */
export async function findContactIdBy(
  db: Executor,
  scope: TenantScope,
  key: 'email' | 'external_id',
  value: string,
): Promise<string | undefined> {
  const row = await scoped(db, 'contacts', scope)
    .select('id')
    .where(key === 'email' ? sql<boolean>`lower(email) = lower(${value})` : sql<boolean>`external_id = ${value}`)
    .executeTakeFirst()
  return row?.id
}
