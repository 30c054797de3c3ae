import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { emit, updatedData } from '../../outbox/emit.js'
import { tagCreated, tagDeleted, tagUpdated } from './tags.events.js'
import { deleteTag, findTag, findTagByName, insertTag, listTags, renameTag, type TagRow } from './tags.repo.js'
import type { Tag, TagCreate, TagListQuery, TagUpdate } from './tags.schemas.js'

export function toTag(row: TagRow): Tag {
  return {
    id: row.id,
    object: 'tag',
    name: row.name,
    contact_count: row.contact_count,
    created_at: row.created_at.toISOString(),
  }
}

function nameTaken(name: string): ApiError {
  return new ApiError('already_exists', `A tag named ${name} already exists`, {
    details: [{ field: 'name', message: 'Already the name of another tag (names compare case-insensitively)' }],
  })
}

/** A rename racing another onto the same name loses on the unique index: the same 409. */
function asNameTaken(err: unknown, name: string): never {
  const e = err as { code?: string; constraint?: string }
  if (e?.code === '23505' && e.constraint === 'tags_name') throw nameTaken(name)
  throw err
}

/**
 * Tags are bulk labels: renaming or deleting one rewrites every contact carrying it in one UPDATE,
 * with one `tag.updated` / `tag.deleted` event instead of a `contact.updated` per contact (see
 * docs/timeline.md for why).
 */
export class TagsService {
  constructor(private readonly db: Db) {}

  list(scope: TenantScope, query: TagListQuery & PageParams) {
    return listTags(this.db, scope, query).then((page) => ({ ...page, data: page.data.map(toTag) }))
  }

  async get(scope: TenantScope, id: string): Promise<Tag> {
    const row = await findTag(this.db, scope, id)
    if (!row) throw notFound(id)
    return toTag(row)
  }

  /** Creates a tag and emits `tag.created`, in one transaction; a taken name (any letter case) is a 409. */
  async create(scope: TenantScope, input: TagCreate): Promise<Tag> {
    const name = input.name.trim()
    return inTransaction(this.db, async (tx) => {
      const row = await insertTag(tx, scope, { id: newId('tag'), name })
      if (!row) throw nameTaken(name)
      const tag = toTag(row)
      await emit(tx, scope, tagCreated, tag)
      return tag
    })
  }

  /**
   * Renames the tag on itself and on every contact carrying it, atomically, and emits `tag.updated`
   * with the name contacts now show. Renaming onto another tag's name is a 409; changing only the
   * letter case is allowed (and emitted); the same name changes and emits nothing.
   */
  async rename(scope: TenantScope, id: string, input: TagUpdate, opts: { ifMatch?: string } = {}): Promise<Tag> {
    const name = input.name.trim()
    return inTransaction(this.db, async (tx) => {
      const current = await findTag(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toTag(current))
      if (current.name === name) return toTag(current)
      if (await findTagByName(tx, scope, name, id)) throw nameTaken(name)
      await renameTag(tx, scope, id, current.name, name)
      const tag = toTag((await findTag(tx, scope, id))!)
      await emit(tx, scope, tagUpdated, updatedData(id, { name }, tag))
      return tag
    }).catch((err) => asNameTaken(err, name))
  }

  /**
   * Removes the tag from every contact carrying it, then deletes it, and emits `tag.deleted` with
   * the tag as it was (`contact_count`: the contacts that carried it).
   */
  async remove(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Tag> {
    return inTransaction(this.db, async (tx) => {
      const current = await findTag(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toTag(current))
      await deleteTag(tx, scope, id, current.name)
      const tag = toTag(current)
      await emit(tx, scope, tagDeleted, tag)
      return tag
    })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Tag ${id} not found`)
}
