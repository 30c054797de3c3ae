import { sql } from 'kysely'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import { newId } from '../../../lib/ids.js'
import type { ImportRow } from './import-rows.js'

export interface BatchOutcome {
  /** Rows (by spreadsheet row number) that created a contact. */
  inserted: number[]
  /** Rows that updated the contact with their email (or, without an email, their external id). */
  updated: number[]
}

/**
 * Upserts one batch of rows in ONE statement: the rows travel as a single JSON parameter (no value
 * is ever spliced into the SQL text). A row with an email updates the contact with that email
 * (case-insensitively, the `contacts_email` index); a row without one but with an external id
 * updates the contact with that external id; every other row inserts a contact. An update keeps
 * the fields the row leaves empty, replaces tags when the row has some, and merges custom fields.
 *
 * The batch must not name one email or external id twice (the caller starts a new batch instead).
 * A row that would take an external id held by another contact, or whose insert loses a race to
 * another writer, is neither inserted nor updated: the caller reports it.
 */
export async function upsertImportBatch(
  db: Executor,
  scope: TenantScope,
  rows: (ImportRow & { owner_id: string | null })[],
): Promise<BatchOutcome> {
  const payload = JSON.stringify(rows.map((r) => ({ ...r, id: newId('contact') })))
  const { orgId, livemode } = scope
  const result = await sql<{ updated: number[] | null; inserted: number[] | null }>`
    with r as (
      select * from jsonb_to_recordset(${payload}::jsonb) as r(
        "row" int, id text, name text, email text, phone text, company text, status text, source text,
        external_id text, owner_id text, tags text[], custom_fields jsonb)
    ), matched as (
      select r."row", c.id as contact_id from r
      join contacts c on c.org_id = ${orgId} and c.livemode = ${livemode} and lower(c.email) = lower(r.email)
      where r.email is not null
      union all
      select r."row", c.id from r
      join contacts c on c.org_id = ${orgId} and c.livemode = ${livemode} and c.external_id = r.external_id
      where r.email is null and r.external_id is not null
    ), upd as (
      update contacts c set
        name = coalesce(r.name, c.name),
        email = coalesce(r.email, c.email),
        phone = coalesce(r.phone, c.phone),
        company = coalesce(r.company, c.company),
        status = coalesce(r.status, c.status),
        source = coalesce(r.source, c.source),
        external_id = coalesce(r.external_id, c.external_id),
        owner_id = coalesce(r.owner_id, c.owner_id),
        tags = coalesce(r.tags, c.tags),
        custom_fields = c.custom_fields || coalesce(r.custom_fields, '{}'::jsonb),
        updated_at = greatest(now(), c.updated_at + interval '1 microsecond')
      from matched m join r on r."row" = m."row"
      where c.id = m.contact_id
        and (r.external_id is null or c.external_id is not distinct from r.external_id or not exists (
          select 1 from contacts o
          where o.org_id = ${orgId} and o.livemode = ${livemode} and o.external_id = r.external_id))
      returning m."row"
    ), ins as (
      insert into contacts (id, org_id, livemode, name, email, phone, company, status, source, external_id, owner_id, tags, custom_fields)
      select r.id, ${orgId}, ${livemode}, r.name, r.email, r.phone, r.company, coalesce(r.status, 'lead'),
        coalesce(r.source, 'import'), r.external_id, r.owner_id, coalesce(r.tags, '{}'), coalesce(r.custom_fields, '{}'::jsonb)
      from r where not exists (select 1 from matched m where m."row" = r."row")
      on conflict do nothing
      returning id
    )
    select (select array_agg("row") from upd) as updated,
      (select array_agg(r."row") from ins join r on r.id = ins.id) as inserted`.execute(db)
  const out = result.rows[0]
  return { inserted: out?.inserted ?? [], updated: out?.updated ?? [] }
}

/**
 * The users of the organization that `names` (user ids or emails) name: each name, and each email
 * lower-cased, to the user's id. The users are locked `for key share` until the caller commits, so
 * an owner cannot be deleted between this look-up and the batch's write.
 */
export async function findOwners(db: Executor, scope: TenantScope, names: string[]): Promise<Map<string, string>> {
  const lowered = names.map((n) => n.toLowerCase())
  const found = await sql<{ id: string; email: string }>`
    select id, lower(email) as email from users
    where org_id = ${scope.orgId} and (id = any(${names}::text[]) or lower(email) = any(${lowered}::text[]))
    order by id
    for key share`.execute(db)
  const byName = new Map<string, string>()
  for (const u of found.rows) {
    byName.set(u.email, u.id)
  }
  // An id wins over an email that happens to spell the same text.
  for (const u of found.rows) byName.set(u.id, u.id)
  return byName
}
