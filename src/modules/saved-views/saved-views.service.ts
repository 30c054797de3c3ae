import { ApiError } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import type { Principal } from '../../core/tenancy.js'
import type { Db } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { compileFilter } from '../contacts/bulk/search-filter.js'
import {
  deleteSavedView,
  findSavedView,
  insertSavedView,
  listSavedViews,
  type SavedViewRow,
  updateSavedView,
} from './saved-views.repo.js'
import type { SavedView, SavedViewCreate, SavedViewListQuery, SavedViewUpdate } from './saved-views.schemas.js'

export function toSavedView(row: SavedViewRow): SavedView {
  return {
    id: row.id,
    object: 'saved_view',
    resource: row.resource as SavedView['resource'],
    name: row.name,
    shared: row.shared,
    owner_id: row.owner_id,
    columns: row.columns,
    sort: row.sort as SavedView['sort'],
    filter: (row.filter ?? null) as SavedView['filter'],
    q: row.q,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

const notFound = (id: string) => new ApiError('not_found', `Saved view ${id} not found`)

/** Owners and admins (or a key with `admin`) may change anyone's shared view; others only their own. */
function mayChange(p: Principal, row: SavedViewRow): boolean {
  if (row.owner_id === p.keyId) return true
  return p.role ? p.role === 'owner' || p.role === 'admin' : p.scopes.includes('admin')
}

/**
 * Saved views belong to a person (`owner_id` is the principal's `keyId`: the user of a session, or
 * the API key) and are seen by them alone unless shared; another person's private view is a 404.
 */
export class SavedViewsService {
  constructor(private readonly db: Db) {}

  async list(p: Principal, query: SavedViewListQuery & PageParams) {
    const page = await listSavedViews(this.db, p, p.keyId, query)
    return { ...page, data: page.data.map(toSavedView) }
  }

  async get(p: Principal, id: string): Promise<SavedView> {
    const row = await findSavedView(this.db, p, p.keyId, id)
    if (!row) throw notFound(id)
    return toSavedView(row)
  }

  async create(p: Principal, input: SavedViewCreate): Promise<SavedView> {
    // The filter is checked as the search would check it: a view saved is a view that runs.
    if (input.filter) compileFilter(p, input.filter)
    const row = await insertSavedView(this.db, p, {
      ...input,
      name: input.name.trim(),
      id: newId('savedView'),
      owner_id: p.keyId,
    })
    return toSavedView(row)
  }

  async update(p: Principal, id: string, patch: SavedViewUpdate, opts: { ifMatch?: string } = {}): Promise<SavedView> {
    if (patch.filter) compileFilter(p, patch.filter)
    return inTransaction(this.db, async (tx) => {
      const row = await findSavedView(tx, p, p.keyId, id, { forUpdate: true })
      if (!row) throw notFound(id)
      if (!mayChange(p, row)) throw forbidden()
      assertIfMatch(opts.ifMatch, toSavedView(row))
      return toSavedView(await updateSavedView(tx, p, id, patch.name ? { ...patch, name: patch.name.trim() } : patch))
    })
  }

  async remove(p: Principal, id: string, opts: { ifMatch?: string } = {}): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const row = await findSavedView(tx, p, p.keyId, id, { forUpdate: true })
      if (!row) throw notFound(id)
      if (!mayChange(p, row)) throw forbidden()
      assertIfMatch(opts.ifMatch, toSavedView(row))
      await deleteSavedView(tx, p, id)
    })
  }
}

const forbidden = () =>
  new ApiError(
    'insufficient_scope',
    'This view is shared by someone else: only they, an owner or an admin can change or delete it',
  )
