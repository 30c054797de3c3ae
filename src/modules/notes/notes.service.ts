import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { emit, updatedData } from '../../outbox/emit.js'
import { assertLinksExist } from '../timeline/links.js'
import { noteCreated, noteDeleted, noteUpdated } from './notes.events.js'
import { deleteNote, findNote, insertNote, listNotes, type NoteRow, type NoteValues, updateNote } from './notes.repo.js'
import type { Note, NoteCreate, NoteListQuery, NoteUpdate } from './notes.schemas.js'

export function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    object: 'note',
    body: row.body,
    contact_id: row.contact_id,
    deal_id: row.deal_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

export class NotesService {
  constructor(private readonly db: Db) {}

  /** Writes a note on a contact and emits `note.created`. */
  async create(scope: TenantScope, input: NoteCreate): Promise<Note> {
    return inTransaction(this.db, async (tx) => {
      await assertLinksExist(tx, scope, input)
      const now = new Date()
      const note = toNote(
        await insertNote(tx, scope, {
          id: newId('note'),
          body: input.body,
          contact_id: input.contact_id,
          deal_id: input.deal_id ?? null,
          created_at: now,
          updated_at: now,
        }),
      )
      await emit(tx, scope, noteCreated, {
        id: note.id,
        // A note is created on a contact: contact_id is null only once that contact is deleted.
        contact_id: note.contact_id!,
        deal_id: note.deal_id,
        body: note.body,
      })
      return note
    })
  }

  async get(scope: TenantScope, id: string): Promise<Note> {
    const row = await findNote(this.db, scope, id)
    if (!row) throw notFound(id)
    return toNote(row)
  }

  list(scope: TenantScope, query: NoteListQuery & PageParams) {
    return listNotes(this.db, scope, query).then((page) => ({ ...page, data: page.data.map(toNote) }))
  }

  /**
   * Edits a note and emits `note.updated` with the fields whose value changed (nothing for a no-op).
   * With `ifMatch`, 412 on a stale ETag.
   */
  async update(scope: TenantScope, id: string, input: NoteUpdate, opts: { ifMatch?: string } = {}): Promise<Note> {
    return inTransaction(this.db, async (tx) => {
      const current = await findNote(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      const before = toNote(current)
      assertIfMatch(opts.ifMatch, before)
      await assertLinksExist(tx, scope, {
        contact_id: input.contact_id !== before.contact_id ? input.contact_id : undefined,
        deal_id: input.deal_id !== before.deal_id ? input.deal_id : undefined,
      })
      const patch: Record<string, unknown> = {}
      for (const field of ['body', 'contact_id', 'deal_id'] as const) {
        if (input[field] !== undefined && input[field] !== before[field]) patch[field] = input[field]
      }
      if (Object.keys(patch).length === 0) return before
      const note = toNote(await updateNote(tx, scope, id, patch as NoteValues))
      await emit(tx, scope, noteUpdated, updatedData(id, patch, note))
      return note
    })
  }

  /** Deletes the note and emits `note.deleted` with it as it was. With `ifMatch`, 412 on a stale ETag. */
  async remove(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Note> {
    return inTransaction(this.db, async (tx) => {
      if (opts.ifMatch !== undefined) {
        const current = await findNote(tx, scope, id, { forUpdate: true })
        if (!current) throw notFound(id)
        assertIfMatch(opts.ifMatch, toNote(current))
      }
      const row = await deleteNote(tx, scope, id)
      if (!row) throw notFound(id)
      const note = toNote(row)
      await emit(tx, scope, noteDeleted, note)
      return note
    })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Note ${id} not found`)
}
