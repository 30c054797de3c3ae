import { ApiError, invalidField } from '../../core/errors.js'
import type { PageParams } from '../../core/pagination.js'
import { assertIfMatch } from '../../core/preconditions.js'
import { actingUserId, type Principal, type TenantScope } from '../../core/tenancy.js'
import { assertLinked } from '../../db/links.js'
import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { newId } from '../../lib/ids.js'
import { emit } from '../../outbox/emit.js'
import { searchContacts } from './bulk/search.repo.js'
import { contactDeleted, contactUpdated } from './contacts.events.js'
import {
  type ContactRow,
  type ContactValues,
  deleteContact,
  findContact,
  insertContactWithEvent,
  listContacts,
  lockContacts,
  registerTags,
  setContactsOwner,
  updateContact,
} from './contacts.repo.js'
import {
  type BulkAssignBody,
  type BulkAssignResult,
  type Contact,
  type ContactCreate,
  type ContactListQuery,
  type ContactUpdate,
  CUSTOM_FIELDS_MAX_BYTES,
} from './contacts.schemas.js'

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    object: 'contact',
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    status: row.status as Contact['status'],
    source: row.source as Contact['source'],
    external_id: row.external_id,
    owner_id: row.owner_id,
    tags: row.tags,
    custom_fields: row.custom_fields,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

export function assertCustomFieldsSize(fields: Record<string, unknown>) {
  if (Buffer.byteLength(JSON.stringify(fields)) > CUSTOM_FIELDS_MAX_BYTES) {
    throw invalidField('custom_fields', 'Must be at most 16 KB as JSON')
  }
}

/**
 * The 409 a client can act on for a unique-index violation on email or external id, or undefined
 * when `err` is something else.
 */
export function duplicateError(
  err: unknown,
  input: { email?: string | null; external_id?: string | null },
): ApiError | undefined {
  const e = err as { code?: string; constraint?: string }
  if (e?.code !== '23505') return undefined
  if (e.constraint === 'contacts_email') {
    return new ApiError('already_exists', `A contact with email ${input.email} already exists`, {
      details: [{ field: 'email', message: 'Already used by another contact' }],
    })
  }
  if (e.constraint === 'contacts_external_id') {
    return new ApiError('already_exists', `A contact with external_id ${input.external_id} already exists`, {
      details: [{ field: 'external_id', message: 'Already used by another contact' }],
    })
  }
  return undefined
}

/**
 * Throws 422 naming `owner_id` unless `ownerId` is a user of the caller's organization; the user
 * row is locked until the caller's transaction commits, so the owner cannot vanish in between.
 */
export async function assertOwner(tx: Executor, scope: TenantScope, ownerId: string | null | undefined) {
  if (ownerId != null) await assertLinked(tx, scope, 'users', ownerId, 'owner_id')
}

/**
 * The user id an `owner_id` filter value stands for: `me` is the signed-in user (or the user who
 * created the API key); a key no user created has no `me` (422).
 */
export function ownerFilterOf(principal: Principal, value: string): string {
  if (value !== 'me') return value
  const me = actingUserId(principal)
  if (me === undefined) {
    throw invalidField('owner_id', '`me` needs a signed-in user (or a key a user created); give a user id')
  }
  return me
}

function asDuplicate(err: unknown, input: { email?: string | null; external_id?: string | null }): never {
  throw duplicateError(err, input) ?? err
}

export class ContactsService {
  constructor(private readonly db: Db) {}

  async create(scope: TenantScope, input: ContactCreate, defaultSource: Contact['source'] = 'api'): Promise<Contact> {
    if (input.name === undefined && input.email === undefined && input.phone === undefined) {
      throw new ApiError('validation_failed', 'A contact needs at least a name, an email or a phone', {
        details: [{ field: 'email', message: 'Give at least one of name, email or phone' }],
      })
    }
    const customFields = input.custom_fields ?? {}
    assertCustomFieldsSize(customFields)
    const values: ContactValues = {
      name: input.name ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      company: input.company ?? null,
      status: input.status ?? 'lead',
      source: input.source ?? defaultSource,
      external_id: input.external_id ?? null,
      owner_id: input.owner_id ?? null,
      tags: [],
      custom_fields: customFields,
    }
    const write = async (executor: Executor) => {
      await assertOwner(executor, scope, values.owner_id)
      const now = new Date()
      const row: ContactRow = {
        ...values,
        id: newId('contact'),
        tags: await registerTags(executor, scope, input.tags ?? []),
        created_at: now,
        updated_at: now,
      }
      const contact = toContact(row)
      await insertContactWithEvent(executor, scope, row, contact)
      return contact
    }
    // Without tags or owner the contact, its event and its deliveries are one statement (one round
    // trip); registering tags or checking (and locking) the owner first needs a transaction around both.
    const alone = !input.tags?.length && values.owner_id === null
    return (alone ? write(this.db) : inTransaction(this.db, write)).catch((err) => asDuplicate(err, input))
  }

  async get(scope: TenantScope, id: string): Promise<Contact> {
    const row = await findContact(this.db, scope, id)
    if (!row) throw notFound(id)
    return toContact(row)
  }

  list(principal: Principal, query: ContactListQuery & PageParams) {
    const { owner_id, ...rest } = query
    const filters = owner_id === undefined ? rest : { ...rest, owner_id: ownerFilterOf(principal, owner_id) }
    return listContacts(this.db, principal, filters).then((page) => ({ ...page, data: page.data.map(toContact) }))
  }

  /** One page of the contacts matching a structured filter (`POST /api/v1/contacts/search`). */
  search(principal: Principal, query: { filter?: unknown; sort?: string } & PageParams) {
    return searchContacts(this.db, principal, query, { me: actingUserId(principal) ?? null }).then((page) => ({
      ...page,
      data: page.data.map(toContact),
    }))
  }

  /**
   * Gives these contacts one owner (or none), in one transaction: each contact whose owner changes
   * emits `contact.updated` with `{owner_id}`; ids of no contact of the scope are reported, not fatal.
   */
  async assignOwner(scope: TenantScope, input: BulkAssignBody): Promise<BulkAssignResult> {
    return inTransaction(this.db, async (tx) => {
      await assertOwner(tx, scope, input.owner_id)
      const found = new Map((await lockContacts(tx, scope, input.ids)).map((c) => [c.id, c.owner_id]))
      const updated = input.ids.filter((id) => found.has(id) && found.get(id) !== input.owner_id)
      await setContactsOwner(tx, scope, updated, input.owner_id)
      for (const id of updated) await emit(tx, scope, contactUpdated, { id, changes: { owner_id: input.owner_id } })
      return {
        object: 'bulk_assignment' as const,
        owner_id: input.owner_id,
        updated,
        unchanged: input.ids.filter((id) => found.has(id) && found.get(id) === input.owner_id),
        not_found: input.ids.filter((id) => !found.has(id)),
      }
    })
  }

  /**
   * Applies the given fields; emits `contact.updated` with only the fields whose value changed.
   * With `ifMatch`, the change applies only if the contact still has that ETag (else 412).
   */
  async update(
    scope: TenantScope,
    id: string,
    input: ContactUpdate,
    opts: { ifMatch?: string } = {},
  ): Promise<Contact> {
    return inTransaction(this.db, async (tx) => {
      const current = await findContact(tx, scope, id, { forUpdate: true })
      if (!current) throw notFound(id)
      assertIfMatch(opts.ifMatch, toContact(current))
      const patch: Record<string, unknown> = {}
      for (const field of [
        'name',
        'email',
        'phone',
        'company',
        'status',
        'source',
        'external_id',
        'owner_id',
      ] as const) {
        if (input[field] !== undefined) patch[field] = input[field]
      }
      if (input.owner_id != null && input.owner_id !== current.owner_id) await assertOwner(tx, scope, input.owner_id)
      if (input.tags !== undefined) patch.tags = await registerTags(tx, scope, input.tags)
      if (input.custom_fields !== undefined) {
        const merged: Record<string, unknown> = { ...current.custom_fields }
        for (const [k, v] of Object.entries(input.custom_fields)) {
          if (v === null) delete merged[k]
          else merged[k] = v
        }
        assertCustomFieldsSize(merged)
        patch.custom_fields = merged
      }
      const changes: Record<string, unknown> = {}
      for (const [field, value] of Object.entries(patch)) {
        if (JSON.stringify(value) !== JSON.stringify(current[field as keyof ContactRow])) changes[field] = value
      }
      if (Object.keys(changes).length === 0) return toContact(current)
      const contact = toContact(await updateContact(tx, scope, id, changes as Partial<ContactValues>))
      await emit(tx, scope, contactUpdated, { id, changes })
      return contact
    }).catch((err) => asDuplicate(err, input))
  }

  async remove(scope: TenantScope, id: string, opts: { ifMatch?: string } = {}): Promise<Contact> {
    return inTransaction(this.db, async (tx) => {
      if (opts.ifMatch !== undefined) {
        const current = await findContact(tx, scope, id, { forUpdate: true })
        if (!current) throw notFound(id)
        assertIfMatch(opts.ifMatch, toContact(current))
      }
      const row = await deleteContact(tx, scope, id)
      if (!row) throw notFound(id)
      const contact = toContact(row)
      await emit(tx, scope, contactDeleted, contact)
      return contact
    })
  }
}

export function notFound(id: string) {
  return new ApiError('not_found', `Contact ${id} not found`)
}
