import type { TenantScope } from '../../core/tenancy.js'
import type { Tx } from '../../db/schema.js'
import type { UpdatedEvent } from '../../outbox/define.js'
import { emit } from '../../outbox/emit.js'
import { contactCreated, contactUpdated } from './contacts.events.js'
import {
  type ContactRow,
  type ContactValues,
  insertContactIfNewEmail,
  lockContactByEmail,
  updateContact,
} from './contacts.repo.js'
import type { Contact } from './contacts.schemas.js'
import { toContact } from './contacts.service.js'

/** What a capture (a booking, a form, a lead) knows of a person; only `email` is required. */
export interface ContactByEmailFields {
  email: string
  name?: string | null
  phone?: string | null
  company?: string | null
  /** Added to the contact's custom fields; keys the contact already has are left as they are. */
  custom_fields?: Record<string, unknown>
}

export interface UpsertByEmailOptions {
  /** The `source` of a contact this call creates (an existing contact keeps its own). */
  source: Contact['source']
  /**
   * The event for a matched contact: `contact.updated` (only when a field changed, as any edit) or
   * `lead.updated` (always: each capture of a known person is an event, `changes` possibly empty).
   */
  updateEvent: UpdatedEvent
}

export interface UpsertByEmailResult {
  contact: ContactRow
  created: boolean
  /** Each field the call filled in, with its new value (empty for a created contact). */
  changes: Record<string, unknown>
}

const FILLABLE = ['name', 'phone', 'company'] as const

/**
 * The contact with this email (matched case-insensitively), created with status `lead` when there
 * is none, in the caller's transaction, with its event. A match is only ever completed, never
 * overwritten: empty name, phone and company are filled, new custom-field keys are added.
 *
 * Concurrency: the insert is `on conflict do nothing` on the `contacts_email` unique index, which
 * waits for a concurrent insert of the same email to commit; the loser then locks the winner's row
 * (`for update`) and fills it in. So N simultaneous captures of one new email make one contact and
 * each reports exactly what it changed.
 */
export async function upsertContactByEmail(
  tx: Tx,
  scope: TenantScope,
  fields: ContactByEmailFields,
  options: UpsertByEmailOptions,
): Promise<UpsertByEmailResult> {
  const customFields = fields.custom_fields ?? {}
  // Two tries: the matched row can be deleted between the conflict and the lock.
  for (let attempt = 0; ; attempt++) {
    const row = await insertContactIfNewEmail(tx, scope, {
      email: fields.email,
      name: fields.name ?? null,
      phone: fields.phone ?? null,
      company: fields.company ?? null,
      source: options.source,
      custom_fields: customFields,
    })
    if (row) {
      await emit(tx, scope, contactCreated, toContact(row))
      return { contact: row, created: true, changes: {} }
    }
    const existing = await lockContactByEmail(tx, scope, fields.email)
    if (!existing) {
      if (attempt < 1) continue
      throw new Error(`contact with email ${fields.email} vanished twice during an upsert`)
    }
    const changes: Record<string, unknown> = {}
    for (const field of FILLABLE) {
      const value = fields[field]
      if (existing[field] === null && value != null) changes[field] = value
    }
    const added = Object.entries(customFields).filter(([key]) => !(key in existing.custom_fields))
    if (added.length > 0) changes.custom_fields = { ...existing.custom_fields, ...Object.fromEntries(added) }
    let contact = existing
    if (Object.keys(changes).length > 0) {
      contact = await updateContact(tx, scope, existing.id, changes as Partial<ContactValues>)
    }
    if (options.updateEvent !== contactUpdated || Object.keys(changes).length > 0) {
      await emit(tx, scope, options.updateEvent, { id: existing.id, changes })
    }
    return { contact, created: false, changes }
  }
}
