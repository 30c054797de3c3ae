import { type Selectable, sql, type Updateable } from 'kysely'
import { type PageParams, paginate } from '../../core/pagination.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Executor } from '../../db/schema.js'
import type { NotesTable } from '../../db/schema-timeline.js'
import { scoped, scopedDelete, scopedUpdate } from '../../db/scoped.js'
import type { NoteListQuery } from './notes.schemas.js'

export type NoteRow = Omit<Selectable<NotesTable>, 'org_id' | 'livemode'>
export type NoteValues = Omit<Updateable<NotesTable>, 'id' | 'org_id' | 'livemode' | 'created_at' | 'updated_at'>

export const NOTE_COLUMNS = ['id', 'body', 'contact_id', 'deal_id', 'created_at', 'updated_at'] as const

export async function insertNote(db: Executor, scope: TenantScope, row: NoteRow): Promise<NoteRow> {
  return db
    .insertInto('notes')
    .values({ ...row, org_id: scope.orgId, livemode: scope.livemode })
    .returning(NOTE_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findNote(
  db: Executor,
  scope: TenantScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<NoteRow | undefined> {
  let q = scoped(db, 'notes', scope).select(NOTE_COLUMNS).where('id', '=', id)
  if (opts.forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

/** Notes of the given ids (of the scope), in no particular order: the timeline's hydration. */
export async function findNotes(db: Executor, scope: TenantScope, ids: string[]): Promise<NoteRow[]> {
  if (ids.length === 0) return []
  return scoped(db, 'notes', scope).select(NOTE_COLUMNS).where('id', 'in', ids).execute()
}

export async function updateNote(db: Executor, scope: TenantScope, id: string, values: NoteValues): Promise<NoteRow> {
  return scopedUpdate(db, 'notes', scope)
    .set({ ...values, updated_at: sql`greatest(now(), updated_at + interval '1 microsecond')` })
    .where('id', '=', id)
    .returning(NOTE_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function deleteNote(db: Executor, scope: TenantScope, id: string): Promise<NoteRow | undefined> {
  return scopedDelete(db, 'notes', scope).where('id', '=', id).returning(NOTE_COLUMNS).executeTakeFirst()
}

export async function listNotes(db: Executor, scope: TenantScope, query: NoteListQuery & PageParams) {
  let q = scoped(db, 'notes', scope)
  if (query.contact_id !== undefined) q = q.where('contact_id', '=', query.contact_id)
  if (query.deal_id !== undefined) q = q.where('deal_id', '=', query.deal_id)
  const descending = (query.sort ?? '-created_at') === '-created_at'
  return paginate(
    q,
    (qb) => qb.select(NOTE_COLUMNS),
    sql<string>`id`,
    { name: 'created_at', expression: sql`created_at`, castTo: 'timestamptz', descending },
    query,
  )
}
