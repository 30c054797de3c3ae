import type { Db, Executor } from '../../db/schema.js'
import { inTransaction } from '../../db/transaction.js'
import { emit } from '../../events/emit.js'
import { ApiError, invalidField } from '../../http/errors.js'
import { assertIfMatch } from '../../http/etag.js'
import type { PageParams } from '../../http/pagination.js'
import { newId } from '../../lib/ids.js'
import type { TenantScope } from '../api-keys/principal.js'
import {
  type ContactRow,
  type ContactValues,
  deleteContact,
  findContact,
  insertContactWithEvent,
  listContacts,
  registerTags,
  updateContact,
} from './contacts.repo.js'
import {
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
    tags: row.tags,
    custom_fields: row.custom_fields,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }
}

function assertCustomFieldsSize(fields: Record<string, unknown>) {
  if (Buffer.byteLength(JSON.stringify(fields)) > CUSTOM_FIELDS_MAX_BYTES) {
    throw invalidField('custom_fields', 'Must be at most 16 KB as JSON')
  }
}

/** A unique-index violation on the email index becomes the 409 a client can act on. */
function asDuplicateEmail(err: unknown, email: string | null | undefined): never {
  const e = err as { code?: string; constraint?: string }
  if (e?.code === '23505' && e.constraint === 'contacts_email') {
    throw new ApiError('already_exists', `A contact with email ${email} already exists`, {
      details: [{ field: 'email', message: 'Already used by another contact' }],
    })
  }
  throw err
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
      tags: [],
      custom_fields: customFields,
    }
    const write = async (executor: Executor) => {
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
    // Without tags the contact, its event and its deliveries are one statement (one round trip);
    // registering tags first needs a transaction around both.
    return (input.tags?.length ? inTransaction(this.db, write) : write(this.db)).catch((err) =>
      asDuplicateEmail(err, input.email),
    )
  }

  async get(scope: TenantScope, id: string): Promise<Contact> {
    const row = await findContact(this.db, scope, id)
    if (!row) throw notFound(id)
    return toContact(row)
  }

  list(scope: TenantScope, query: ContactListQuery & PageParams) {
    return listContacts(this.db, scope, query).then((page) => ({ ...page, data: page.data.map(toContact) }))
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
      for (const field of ['name', 'email', 'phone', 'company', 'status', 'source'] as const) {
        if (input[field] !== undefined) patch[field] = input[field]
      }
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
      await emit(tx, scope, 'contact.updated', { id, changes })
      return contact
    }).catch((err) => asDuplicateEmail(err, input.email))
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
      await emit(tx, scope, 'contact.deleted', contact)
      return contact
    })
  }
}

function notFound(id: string) {
  return new ApiError('not_found', `Contact ${id} not found`)
}
