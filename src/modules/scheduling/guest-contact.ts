import { sql } from 'kysely'
import type { Tx } from '../../db/schema.js'
import { emit } from '../../events/emit.js'
import { newId } from '../../lib/ids.js'
import type { TenantScope } from '../api-keys/principal.js'
import type { ContactRow } from '../contacts/contacts.repo.js'
import { toContact } from '../contacts/contacts.service.js'

/**
 * The guest's contact, found by email (case-insensitively) or created with source `booking`, in
 * the caller's transaction, with its event: `contact.created` for a new contact, `contact.updated`
 * when the booking gave a name to a contact that had none. An existing contact's other fields are
 * left alone. One statement on the `contacts_email` unique index, so two bookings by one new guest
 * never make two contacts. (The contacts module's batch upsert runs its own transactions, so it
 * cannot be used inside the booking's.)
 */
export async function upsertGuestContact(
  tx: Tx,
  scope: TenantScope,
  guest: { name: string; email: string },
): Promise<{ id: string; created: boolean }> {
  const result = await sql<ContactRow & { created: boolean; prior_name: string | null }>`
    with prior as (
      select name from contacts
      where org_id = ${scope.orgId} and livemode = ${scope.livemode} and lower(email) = lower(${guest.email})
    ), upserted as (
      insert into contacts (id, org_id, livemode, name, email, status, source, custom_fields)
      values (${newId('contact')}, ${scope.orgId}, ${scope.livemode}, ${guest.name}, ${guest.email}, 'lead', 'booking', '{}'::jsonb)
      on conflict (org_id, livemode, lower(email)) where email is not null
      do update set
        name = coalesce(contacts.name, excluded.name),
        updated_at = case when contacts.name is null
          then greatest(now(), contacts.updated_at + interval '1 microsecond') else contacts.updated_at end
      returning id, name, email, phone, company, status, source, external_id, tags, custom_fields,
        created_at, updated_at, (xmax = 0) as created
    )
    select upserted.*, (select name from prior) as prior_name from upserted`.execute(tx)
  const { created, prior_name, ...row } = result.rows[0]!
  if (created) await emit(tx, scope, 'contact.created', toContact(row))
  else if (prior_name === null && row.name !== null)
    await emit(tx, scope, 'contact.updated', { id: row.id, changes: { name: row.name } })
  return { id: row.id, created }
}
