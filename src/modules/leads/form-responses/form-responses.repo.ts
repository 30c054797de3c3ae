import { type Insertable, type Selectable, sql } from 'kysely'
import { type PageParams, paginate } from '../../../core/pagination.js'
import type { TenantScope } from '../../../core/tenancy.js'
import type { Executor } from '../../../db/schema.js'
import type { FormResponsesTable } from '../../../db/schema-leads.js'
import { scoped } from '../../../db/scoped.js'
import { NEWEST_FIRST } from '../schema-parts.js'
import type { FormResponseListQuery } from './form-responses.schemas.js'

export type FormResponseRow = Omit<Selectable<FormResponsesTable>, 'org_id' | 'livemode'> & {
  callback_id: string | null
}

const COLUMNS = [
  'id',
  'form_id',
  'domain_id',
  'contact_id',
  'form_type',
  'form_data',
  'source_url',
  'user_agent',
  'ip_address',
  'created_at',
] as const

/** The callback a response scheduled, selected beside its columns. */
const CALLBACK_ID = sql<
  string | null
>`(select c.id from callbacks c where c.form_response_id = form_responses.id limit 1)`

/** Form responses of the given ids (of the scope), with their callbacks. */
export async function findFormResponseRows(
  db: Executor,
  scope: TenantScope,
  ids: string[],
): Promise<FormResponseRow[]> {
  return scoped(db, 'form_responses', scope)
    .select([...COLUMNS, CALLBACK_ID.as('callback_id')])
    .where('id', 'in', ids)
    .execute()
}

export function insertFormResponse(
  db: Executor,
  scope: TenantScope,
  row: Omit<Insertable<FormResponsesTable>, 'org_id' | 'livemode'>,
) {
  return db
    .insertInto('form_responses')
    .values({ ...row, org_id: scope.orgId, livemode: scope.livemode })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()
}

export function listFormResponses(db: Executor, scope: TenantScope, query: FormResponseListQuery & PageParams) {
  let q = scoped(db, 'form_responses', scope)
  if (query.form_id !== undefined) q = q.where('form_id', '=', query.form_id)
  if (query.domain_id !== undefined) q = q.where('domain_id', '=', query.domain_id)
  if (query.lead_id !== undefined) q = q.where('contact_id', '=', query.lead_id)
  if (query.created_after !== undefined) q = q.where('created_at', '>=', new Date(query.created_after))
  if (query.created_before !== undefined) q = q.where('created_at', '<', new Date(query.created_before))
  return paginate(
    q,
    (qb) => qb.select([...COLUMNS, CALLBACK_ID.as('callback_id')]),
    sql<string>`id`,
    { ...NEWEST_FIRST, expression: sql`created_at` },
    query,
  )
}
